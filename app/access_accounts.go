package app

import (
	"context"
	"slices"
	"strings"

	"github.com/assay-platform/assay"
)

// AccessLoad says where a campaign's accounts come from (the body of
// POST /api/v1/access-reviews/{id}/accounts).
type AccessLoad struct {
	From     string                   `json:"from"`      // source, roster_csv, accounts_csv (or "" with accounts)
	SourceID int64                    `json:"source_id"` // from a monitoring source
	System   string                   `json:"system"`    // the campaign system (default: the source's name, or the CSV's column)
	CSV      string                   `json:"csv"`       // roster_csv, accounts_csv
	Accounts []assay.NewAccessAccount `json:"accounts"`  // given directly
}

// Where AccessLoad.From says accounts come from.
const (
	LoadFromSource      = "source"
	LoadFromRosterCSV   = "roster_csv"
	LoadFromAccountsCSV = "accounts_csv"
)

// LoadAccessAccounts reads accounts from where l says (an identity
// roster's or a PostgreSQL source's latest snapshot, a roster export, a
// CSV of accounts, or a list) and loads them into an open campaign, all
// or none, in one transaction.
func (a *App) LoadAccessAccounts(ctx context.Context, p Principal, reviewID int64, l AccessLoad) (assay.AccessLoadResult, error) {
	if err := MayManageAccessReviews(p); err != nil {
		return assay.AccessLoadResult{}, err
	}
	if _, err := p.Org.AccessReview(ctx, reviewID); err != nil {
		return assay.AccessLoadResult{}, err
	}
	list := l.Accounts
	var err error
	switch l.From {
	case LoadFromSource:
		if l.SourceID == 0 {
			return assay.AccessLoadResult{}, assay.Invalid("source_id", "Choose a monitoring source.")
		}
		list, err = a.sourceAccounts(ctx, p.Org, l.SourceID, l.System)
	case LoadFromRosterCSV:
		if strings.TrimSpace(l.System) == "" {
			return assay.AccessLoadResult{}, assay.Invalid("system", "Choose the system the roster is for.")
		}
		list, err = rosterCSVAccounts([]byte(l.CSV), l.System, a.clock)
	case LoadFromAccountsCSV:
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
	return p.Org.LoadAccessAccounts(ctx, p.Actor(), reviewID, list)
}

// DecideAccess records the principal's decision on one account: keep,
// change or revoke, with a reason. Change and revoke open a corrective
// action in the same transaction. Members decide only the accounts of
// the systems they own.
func (a *App) DecideAccess(ctx context.Context, p Principal, reviewID, accountID int64, d assay.NewAccessDecision) (assay.AccessAccount, error) {
	if !p.User.Can(assay.ActionReviewAccess, nil) {
		return assay.AccessAccount{}, assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not decide access review accounts.", p.User.Role)
	}
	rv, err := p.Org.AccessReview(ctx, reviewID)
	if err != nil {
		return assay.AccessAccount{}, err
	}
	acc, err := a.accessAccount(ctx, p, reviewID, accountID)
	if err != nil {
		return assay.AccessAccount{}, err
	}
	if err := MayDecideAccess(p, rv, acc); err != nil {
		return assay.AccessAccount{}, err
	}
	return p.Org.DecideAccess(ctx, p.Actor(), reviewID, accountID, d)
}

// accessAccount finds one account of a campaign.
func (a *App) accessAccount(ctx context.Context, p Principal, reviewID, accountID int64) (assay.AccessAccount, error) {
	accounts, err := p.Org.AccessAccounts(ctx, reviewID)
	if err != nil {
		return assay.AccessAccount{}, err
	}
	for _, acc := range accounts {
		if acc.ID == accountID {
			return acc, nil
		}
	}
	return assay.AccessAccount{}, assay.Errorf(assay.ENOTFOUND, "Account not found in this access review.")
}

// AccessAccountSources lists the monitoring sources a campaign can load
// accounts from: identity rosters, Okta, GitHub and PostgreSQL sources.
func (a *App) AccessAccountSources(ctx context.Context, p Principal) ([]assay.Source, error) {
	if err := MayManageAccessReviews(p); err != nil {
		return nil, err
	}
	all, err := p.Org.Sources(ctx)
	if err != nil {
		return nil, err
	}
	var out []assay.Source
	for _, src := range all {
		if slices.Contains(accountSourceKinds, src.Kind) {
			out = append(out, src)
		}
	}
	return out, nil
}
