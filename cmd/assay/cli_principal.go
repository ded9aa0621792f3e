package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// actingFlags are the flags of a command that calls an application
// service: which organisation, acting as whom, and JSON output.
type actingFlags struct {
	org    string
	as     string
	asJSON bool
}

func (f *actingFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.org, "org", "", "organisation slug (default: the only one)")
	cmd.Flags().StringVar(&f.as, "as", "", "act as this user (email), held to the same checks as on the web; default: the operator, as an admin recorded as the system")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print JSON (the API's document)")
}

// principal opens the store and returns who acts: the --as user (who must
// belong to the organisation) or the operator.
func (f *actingFlags) principal(ctx context.Context, g *globals, cmd *cobra.Command) (*Main, app.Principal, error) {
	m, err := g.open(ctx, cmd)
	if err != nil {
		return nil, app.Principal{}, err
	}
	org, err := firstOrg(ctx, m.Store, f.org)
	if err != nil {
		m.Close()
		return nil, app.Principal{}, err
	}
	if f.as == "" {
		return m, m.App.OperatorPrincipal(org, cmd.CommandPath()), nil
	}
	p, err := m.App.PrincipalByEmail(ctx, f.as)
	if err != nil || p.User.OrgID != org.ID {
		m.Close()
		return nil, app.Principal{}, fmt.Errorf("--as %s: no such user in %s", f.as, org.Name)
	}
	return m, p, nil
}

// userIDByEmail resolves an --owner/--approver email to a user id of the
// principal's organisation ("" is nobody).
func userIDByEmail(ctx context.Context, p app.Principal, flag, email string) (int64, error) {
	if email == "" {
		return 0, nil
	}
	users, err := p.Org.Users(ctx)
	if err != nil {
		return 0, err
	}
	for _, u := range users {
		if u.Email == email {
			return u.ID, nil
		}
	}
	return 0, assay.Invalid(flag, "No user %s in this organisation.", email)
}
