package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// newAuditManageCmds are the engagement's own commands: show it, move its
// status, invite an auditor limited to it, and open a corrective action
// from one of its exceptions.
func newAuditManageCmds(g *globals) []*cobra.Command {
	return []*cobra.Command{newAuditShowCmd(g), newAuditStatusCmd(g), newAuditInviteCmd(g), newAuditCorrectiveCmd(g)}
}

func newAuditShowCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "show ID",
		Short: "Show one engagement with its samples",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"audit"},
		Run: func(c *call) error {
			id := c.ID(0)
			a, err := c.m.App.Audit(c.ctx, c.p, id)
			if err != nil {
				return err
			}
			v := app.ViewAudit(a)
			if c.json {
				return printJSON(c.w, v)
			}
			samples, err := c.m.App.AuditSamples(c.ctx, c.p, id)
			if err != nil {
				return err
			}
			w := c.w
			fmt.Fprintf(w, "Audit %d: %s (%s, %s)\nFirm: %s; status: %s; %d controls in its frozen scope\n", v.ID, v.Name, v.Type, periodText(a), orNone(v.Firm), v.Status, len(v.Scope.Controls))
			for _, warn := range v.Warnings {
				fmt.Fprintln(w, "Warning: "+warn)
			}
			fmt.Fprintf(w, "Samples: %d\n", len(samples))
			for _, s := range samples {
				fmt.Fprintf(w, "  %d: %s %s, %d of %d, seed %d\n", s.ID, s.Population, s.ControlID, s.Size, s.PopulationSize, s.Seed)
			}
			return nil
		},
	})
}

func auditStatusNames() string {
	names := make([]string, len(assay.AuditStatuses))
	for i, s := range assay.AuditStatuses {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

func newAuditStatusCmd(g *globals) *cobra.Command {
	var to string
	cmd := actingCommand(g, acting{
		Use:   "status ID --to STATUS",
		Short: "Move an engagement on (" + auditStatusNames() + "; closed is final)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"audit"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&to, "to", "", "the new status: "+auditStatusNames())
		},
		Run: func(c *call) error {
			a, err := c.m.App.SetAuditStatus(c.ctx, c.p, c.ID(0), assay.AuditStatus(strings.TrimSpace(to)))
			if err != nil {
				return err
			}
			return c.Line(app.ViewAudit(a), "Audit %d %q is now %s.", a.ID, a.Name, a.Status)
		},
	})
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

func newAuditInviteCmd(g *globals) *cobra.Command {
	var email, name, expires string
	var passwordStdin bool
	var exp *time.Time
	var password string
	cmd := actingCommand(g, acting{
		Use:   "invite ID --email E --name N --expires DATE",
		Short: "Invite an auditor who may read this engagement only, until a date",
		Long: "Invite an auditor limited to the engagement. Their access lasts through the end of --expires.\n" +
			"The password is read from standard input with --password-stdin; otherwise one is generated and printed once.",
		Args: cobra.ExactArgs(1),
		IDs:  []string{"audit"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&email, "email", "", "the auditor's email (required)")
			fl.StringVar(&name, "name", "", "the auditor's name")
			fl.StringVar(&expires, "expires", "", "last day of their access (2028-06-30; required)")
			fl.BoolVar(&passwordStdin, "password-stdin", false, "read their initial password from standard input instead of generating one")
		},
		Before: func(c *call) (err error) {
			if exp, err = assay.ParseDate("expires", expires); err != nil {
				return err
			}
			if passwordStdin {
				if password, err = readPassword(c.cmd, true); err != nil {
					return err
				}
			}
			return nil
		},
		Run: func(c *call) error {
			id := c.ID(0)
			in, err := c.m.App.InviteAuditor(c.ctx, c.p, id, app.AuditorInvite{Email: email, Name: name, Password: password, Expires: exp, DateOnly: true})
			if err != nil {
				return err
			}
			return c.Out(in, func(w io.Writer) error {
				fmt.Fprintf(w, "Invited %s <%s> as an auditor of audit %d until %s.\n", in.User.Name, in.User.Email, id, in.User.AccessExpiresAt.Format(time.DateTime))
				if in.Password != "" {
					fmt.Fprintf(w, "Sign in as %s with password %s\nThe password is not shown again; ask them to change it.\n", in.User.Email, in.Password)
				}
				return nil
			})
		},
	})
	_ = cmd.MarkFlagRequired("email")
	_ = cmd.MarkFlagRequired("expires")
	return cmd
}

func newAuditCorrectiveCmd(g *globals) *cobra.Command {
	var control, exception, owner, due string
	cmd := actingCommand(g, acting{
		Use:   "corrective ID --control C --exception TEXT",
		Short: "Open a corrective action for an exception found in the engagement's period",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"audit"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&control, "control", "", "the control the exception is about (required)")
			fl.StringVar(&exception, "exception", "", "the exception, as found (required)")
			fl.StringVar(&owner, "owner", "", "who corrects it (email)")
			fl.StringVar(&due, "due", "", "when it is due (2028-03-31; default: the review interval from today)")
		},
		Run: func(c *call) error {
			x := app.AuditException{ControlID: control, Exception: exception}
			var err error
			if x.OwnerID, err = userIDByEmail(c.ctx, c.p, "owner", owner); err != nil {
				return err
			}
			if x.DueDate, err = assay.ParseDate("due", due); err != nil {
				return err
			}
			ca, err := c.m.App.CorrectAuditException(c.ctx, c.p, c.ID(0), x)
			if err != nil {
				return err
			}
			return printCorrective(c, ca, "Opened")
		},
	})
	return cmd
}
