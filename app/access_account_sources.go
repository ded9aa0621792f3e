package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor/collect/roster"
	"github.com/assay-platform/assay/store"
)

// Resource kinds an access review reads accounts from.
const (
	KindIdPAccount   = "idp.account"
	KindPostgresRole = "postgres.role"
	KindOktaUser     = "okta.user"
	KindGitHubMember = "github.member"
	KindGoogleUser   = "google.user"
	KindEntraUser    = "entra.user"
	KindAWSIAMUser   = "aws.iam_user"
)

// accountSourceKinds are the source kinds whose runs hold accounts.
var accountSourceKinds = []string{"roster", "postgres", "okta", "github", "google-workspace", "entra", "aws"}

// sourceAccounts reads the accounts of a monitoring source's latest
// successful run: the identity roster's idp.account resources or a
// PostgreSQL source's login roles, for the campaign system named system.
func (a *App) sourceAccounts(ctx context.Context, org store.OrgStore, sourceID int64, system string) ([]assay.NewAccessAccount, error) {
	src, err := org.Source(ctx, sourceID)
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		return nil, assay.Invalid("source_id", "No monitoring source %d in this organisation.", sourceID)
	} else if err != nil {
		return nil, err
	}
	if !slices.Contains(accountSourceKinds, src.Kind) {
		return nil, assay.Invalid("source_id", "Source %q is a %s source; choose an identity roster, an Okta, a GitHub, a Google Workspace, an Entra ID, an AWS or a PostgreSQL source.", src.Name, src.Kind)
	}
	if a.blobs == nil || a.snaps == nil {
		return nil, assay.Errorf(assay.ECONFLICT, "This server keeps no blob store, so run snapshots cannot be read; upload a CSV instead.")
	}
	runs, err := org.Runs(ctx, sourceID, 50)
	if err != nil {
		return nil, err
	}
	snapshot := ""
	for _, run := range runs {
		if run.Status == assay.RunOK && run.Snapshot != "" {
			snapshot = run.Snapshot
			break
		}
	}
	if snapshot == "" {
		return nil, assay.Errorf(assay.ECONFLICT, "Source %q has no successful run with a snapshot yet; run it first.", src.Name)
	}
	resources, err := a.snaps(ctx, a.blobs, snapshot)
	if err != nil {
		return nil, fmt.Errorf("read snapshot of source %d: %w", sourceID, err)
	}
	if strings.TrimSpace(system) == "" {
		system = src.Name
	}
	out := resourceAccounts(resources, system)
	if len(out) == 0 {
		return nil, assay.Errorf(assay.ECONFLICT, "The latest run of %q found no accounts.", src.Name)
	}
	return out, nil
}

// rosterCSVAccounts reads an identity roster export (the roster
// collector's format) straight from the campaign form.
func rosterCSVAccounts(data []byte, system string, clock assay.Clock) ([]assay.NewAccessAccount, error) {
	resources, err := roster.Parse(data, nil, clock.Now())
	if err != nil {
		return nil, assay.Invalid("file", "The roster cannot be read: %s", assay.ErrorMessage(err))
	}
	out := resourceAccounts(resources, system)
	if len(out) == 0 {
		return nil, assay.Invalid("file", "The roster has no accounts.")
	}
	return out, nil
}

// resourceAccounts turns idp.account and postgres.role resources into
// accounts of system. PostgreSQL roles that cannot log in (groups, the
// built-in pg_ roles) are not accounts and are left out.
func resourceAccounts(resources []assay.Resource, system string) []assay.NewAccessAccount {
	out := []assay.NewAccessAccount{}
	for _, r := range resources {
		switch r.Kind {
		case KindIdPAccount:
			a := assay.NewAccessAccount{System: system, Account: attrString(r.Attrs, "user"), Email: attrString(r.Attrs, "email"),
				Source: assay.AccountFromRoster, Departed: r.Attrs["departed"] == true}
			if a.Account == "" {
				a.Account = a.Email
			}
			if a.Account == "" {
				a.Account = r.ID
			}
			var privs []string
			if r.Attrs["admin"] == true {
				privs = append(privs, "admin")
			}
			if st := attrString(r.Attrs, "status"); st != "" {
				privs = append(privs, "status "+st)
			}
			if r.Attrs["mfa"] == false {
				privs = append(privs, "no MFA")
			}
			a.Privileges = strings.Join(privs, ", ")
			out = append(out, a)
		case KindOktaUser, KindGitHubMember, KindGoogleUser, KindEntraUser, KindAWSIAMUser:
			out = append(out, liveIdentityAccount(r, system))
		case KindPostgresRole:
			name := attrString(r.Attrs, "role")
			if name == "" || r.Attrs["can_login"] != true || strings.HasPrefix(name, "pg_") {
				continue
			}
			var privs []string
			for _, flag := range []string{"superuser", "create_role", "create_db", "replication", "bypass_rls"} {
				if r.Attrs[flag] == true {
					privs = append(privs, flag)
				}
			}
			if groups, ok := r.Attrs["member_of"].([]any); ok {
				for _, g := range groups {
					privs = append(privs, fmt.Sprintf("member of %v", g))
				}
			}
			out = append(out, assay.NewAccessAccount{System: system, Account: name, Privileges: strings.Join(privs, ", "), Source: assay.AccountFromPostgres})
		}
	}
	slices.SortFunc(out, func(a, b assay.NewAccessAccount) int { return strings.Compare(a.Account, b.Account) })
	return slices.CompactFunc(out, func(a, b assay.NewAccessAccount) bool { return strings.EqualFold(a.Account, b.Account) })
}

// liveIdentityAccount turns an Okta, Google Workspace or Entra ID user, an
// AWS IAM user (as ACCOUNT_ID/NAME, with its console password and active
// keys as privileges) or a GitHub member or outside collaborator into an account (kept as an
// identity roster's, the account source the store knows), with its roles
// and MFA as privileges. An Okta user who is deprovisioned and a Google
// Workspace user who is archived count as departed.
func liveIdentityAccount(r assay.Resource, system string) assay.NewAccessAccount {
	a := assay.NewAccessAccount{System: system, Account: attrString(r.Attrs, "login"), Email: attrString(r.Attrs, "email"), Source: assay.AccountFromRoster}
	if a.Account == "" {
		a.Account = r.ID
	}
	var privs []string
	if role := attrString(r.Attrs, "role"); role != "" {
		privs = append(privs, role)
	}
	if roles, ok := r.Attrs["roles"].([]any); ok {
		for _, x := range roles {
			privs = append(privs, fmt.Sprintf("%v", x))
		}
	}
	if st := attrString(r.Attrs, "status"); st != "" {
		privs = append(privs, "status "+strings.ToLower(st))
		a.Departed = st == "DEPROVISIONED" || (r.Kind == KindGoogleUser && st == "archived")
	}
	if r.Kind == KindAWSIAMUser {
		// IAM user names repeat across accounts: the account keeps them apart.
		if acct := attrString(r.Attrs, "account_id"); acct != "" {
			a.Account = acct + "/" + a.Account
		}
		if r.Attrs["console_access"] == true {
			privs = append(privs, "console password")
		}
		// A snapshot read back holds numbers as json.Number.
		keys, _ := strconv.ParseInt(fmt.Sprint(r.Attrs["active_keys"]), 10, 64)
		if keys == 1 {
			privs = append(privs, "1 active access key")
		} else if keys > 1 {
			privs = append(privs, fmt.Sprintf("%d active access keys", keys))
		}
	}
	if r.Attrs["mfa"] == false || r.Attrs["two_factor"] == false || r.Attrs["enrolled_2sv"] == false || r.Attrs["mfa_registered"] == false {
		privs = append(privs, "no MFA")
	}
	a.Privileges = strings.Join(privs, ", ")
	return a
}

func attrString(attrs map[string]any, key string) string {
	if v, ok := attrs[key].(string); ok {
		return strings.TrimSpace(v)
	}
	return ""
}
