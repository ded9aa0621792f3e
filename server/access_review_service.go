package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

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
