package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// accessLoad says where a campaign's accounts come from.
type accessLoad struct {
	From     string                   `json:"from"`      // source, roster_csv, accounts_csv (or "" with accounts)
	SourceID int64                    `json:"source_id"` // from a monitoring source
	System   string                   `json:"system"`    // the campaign system (default: the source's name, or the CSV's column)
	CSV      string                   `json:"csv"`       // roster_csv, accounts_csv
	Accounts []assay.NewAccessAccount `json:"accounts"`  // given directly
}

// loadAccounts resolves a load request into accounts and loads them.
func (s *Server) loadAccounts(ctx context.Context, org store.OrgStore, actor assay.Actor, reviewID int64, l accessLoad) (assay.AccessLoadResult, error) {
	if _, err := org.AccessReview(ctx, reviewID); err != nil {
		return assay.AccessLoadResult{}, err
	}
	list := l.Accounts
	var err error
	switch l.From {
	case "source":
		if l.SourceID == 0 {
			return assay.AccessLoadResult{}, assay.Invalid("source_id", "Choose a monitoring source.")
		}
		list, err = s.sourceAccounts(ctx, org, l.SourceID, l.System)
	case "roster_csv":
		if strings.TrimSpace(l.System) == "" {
			return assay.AccessLoadResult{}, assay.Invalid("system", "Choose the system the roster is for.")
		}
		list, err = rosterCSVAccounts([]byte(l.CSV), l.System, s.clock)
	case "accounts_csv":
		list, err = assay.ParseAccessAccountsCSV(strings.NewReader(l.CSV), l.System)
	case "":
		if len(list) == 0 {
			return assay.AccessLoadResult{}, assay.Invalid("from", "Say where the accounts come from: source, roster_csv or accounts_csv, or give accounts.")
		}
	default:
		return assay.AccessLoadResult{}, assay.Invalid("from", "Unknown account origin %q; use source, roster_csv or accounts_csv.", l.From)
	}
	if err != nil {
		return assay.AccessLoadResult{}, err
	}
	return org.LoadAccessAccounts(ctx, actor, reviewID, list)
}

// formUpload reads the text of an uploaded file field, or of the textarea
// of the same purpose when no file was chosen.
func formUpload(r *http.Request, fileField, textField string, limit int64) (string, error) {
	if f, _, err := r.FormFile(fileField); err == nil {
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, limit+1))
		if err != nil {
			return "", assay.Invalid(fileField, "The file cannot be read.")
		}
		if int64(len(b)) > limit {
			return "", assay.Errorf(assay.ETOOLARGE, "The file is larger than %d bytes.", limit)
		}
		if len(bytes.TrimSpace(b)) > 0 {
			return string(b), nil
		}
	}
	return r.PostFormValue(textField), nil
}

// accessReviewForm reads a campaign from a form: systems one per line as
// "name" or "name = owner e-mail".
func accessReviewForm(ctx context.Context, org store.OrgStore, get func(string) string) (assay.NewAccessReview, error) {
	n := assay.NewAccessReview{Name: get("name"), Period: get("period")}
	due, err := parseDate("due_date", get("due_date"))
	if err != nil {
		return n, err
	}
	if due != nil {
		n.DueDate = *due
	}
	users, err := org.Users(ctx)
	if err != nil {
		return n, err
	}
	for _, line := range strings.Split(get("systems"), "\n") {
		name, owner, _ := strings.Cut(line, "=")
		name, owner = strings.TrimSpace(name), strings.TrimSpace(owner)
		if name == "" {
			continue
		}
		sys := assay.AccessSystem{Name: name}
		if owner != "" {
			for _, u := range users {
				if strings.EqualFold(u.Email, owner) {
					sys.OwnerID = u.ID
				}
			}
			if sys.OwnerID == 0 {
				return n, assay.Invalid("systems", "No user has the e-mail %q to own %s.", owner, name)
			}
		}
		n.Systems = append(n.Systems, sys)
	}
	return n, nil
}

func accountID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("account"), 10, 64)
	if err != nil || id <= 0 {
		return 0, assay.Errorf(assay.ENOTFOUND, "Account not found in this access review.")
	}
	return id, nil
}

// accessReviewCSV writes a campaign's accounts and decisions.
// GET /api/v1/access-reviews/{id}/export.csv
func (s *Server) accessReviewCSV(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := pathID(r, "Access review")
	var rv assay.AccessReview
	var accounts []assay.AccessAccount
	if err == nil {
		rv, err = p.Org.AccessReview(r.Context(), id)
	}
	if err == nil {
		accounts, err = p.Org.AccessAccounts(r.Context(), id)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rows := [][]string{{"campaign", "period", "system", "account", "email", "person", "privileges", "source", "flag", "decision", "reason",
		"decided_by", "decided_at", "corrective_action_id"}}
	for _, a := range accounts {
		decided, ca := "", ""
		if a.DecidedAt != nil {
			decided = a.DecidedAt.UTC().Format(time.RFC3339)
		}
		if a.CorrectiveID != 0 {
			ca = strconv.FormatInt(a.CorrectiveID, 10)
		}
		rows = append(rows, []string{rv.Name, rv.Period, a.System, a.Account, a.Email, a.PersonName, a.Privileges, a.Source, a.Flag,
			string(a.Decision), a.Reason, a.DecidedByName, decided, ca})
	}
	writeCSV(w, "access-review-"+strconv.FormatInt(id, 10)+".csv", rows)
}
