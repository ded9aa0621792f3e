package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/tabular"
)

// The access review commands mirror the API under /api/v1/access-reviews
// and call the same services: list, show, open, load, decide, complete,
// export.
func newAccessReviewCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "access-review", Short: "Access review campaigns: list, show, open, load accounts, decide, complete, export"}
	cmd.AddCommand(newAccessReviewListCmd(g), newAccessReviewShowCmd(g), newAccessReviewOpenCmd(g), newAccessReviewLoadCmd(g),
		newAccessReviewDecideCmd(g), newAccessReviewCompleteCmd(g), newAccessReviewExportCmd(g))
	return cmd
}

func newAccessReviewListCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "list",
		Short: "List the campaigns, newest first",
		Args:  cobra.NoArgs,
		Run: func(c *call) error {
			list, err := c.m.App.AccessReviews(c.ctx, c.p)
			if err != nil {
				return err
			}
			return c.List("access_reviews", list, len(list), func(w io.Writer) error {
				return table(w, "ID\tNAME\tPERIOD\tDUE\tSTATUS\tDECIDED\tREVOKED\tCHANGED", func(tw io.Writer) {
					for _, rv := range list {
						status := string(rv.Status)
						if rv.Overdue(c.m.App.Now()) {
							status += " (overdue)"
						}
						fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d/%d\t%d\t%d\n", rv.ID, rv.Name, rv.Period, rv.DueDate.Format(time.DateOnly), status,
							rv.Decided, rv.Accounts, rv.Revoked, rv.Changed)
					}
				})
			})
		},
	})
}

func newAccessReviewShowCmd(g *globals) *cobra.Command {
	var pending bool
	return actingCommand(g, acting{
		Use:   "show ID",
		Short: "Show a campaign with its accounts and decisions",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"campaign"},
		Flags: func(fl *pflag.FlagSet) {
			fl.BoolVar(&pending, "pending", false, "list only the accounts waiting for a decision")
		},
		Run: func(c *call) error {
			d, err := c.m.App.AccessReview(c.ctx, c.p, c.ID(0))
			if err != nil {
				return err
			}
			return c.Out(d, func(w io.Writer) error {
				rv := d.Review
				fmt.Fprintf(w, "Access review %d: %s (%s), %s, due %s; %d of %d accounts decided\n", rv.ID, rv.Name, rv.Period, rv.Status,
					rv.DueDate.Format(time.DateOnly), rv.Decided, rv.Accounts)
				for _, sys := range rv.Systems {
					fmt.Fprintf(w, "  %s: reviewed by %s, %d of %d decided\n", sys.Name, orNone(sys.OwnerName), sys.Decided, sys.Accounts)
				}
				if rv.EvidenceID != 0 {
					fmt.Fprintf(w, "Completed by %s; evidence %d\n", rv.CompletedByName, rv.EvidenceID)
				}
				return table(w, "ACCOUNT ID\tSYSTEM\tACCOUNT\tEMAIL\tPRIVILEGES\tFLAG\tDECISION\tBY", func(tw io.Writer) {
					for _, a := range d.Accounts {
						if pending && a.Decision != "" {
							continue
						}
						fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.System, a.Account, a.Email, a.Privileges, a.Flag,
							orDash(string(a.Decision)), a.DecidedByName)
					}
				})
			})
		},
	})
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newAccessReviewOpenCmd(g *globals) *cobra.Command {
	var name, period, due string
	var systems []string
	return actingCommand(g, acting{
		Use:     "open --name N --period P --due DATE --system NAME[=OWNER-EMAIL]...",
		Short:   "Open a campaign over systems, each reviewed by its owner (or an admin)",
		Example: "  assay access-review open --name \"Q1 review\" --period \"2026 Q1\" --due 2026-03-31 --system Okta=it@example.com --system GitHub",
		Args:    cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&name, "name", "", "campaign name")
			fl.StringVar(&period, "period", "", "the period reviewed (2026 Q1)")
			fl.StringVar(&due, "due", "", "due date (2026-03-31)")
			fl.StringArrayVar(&systems, "system", nil, "a system under review, NAME or NAME=OWNER-EMAIL (repeat)")
		},
		Run: func(c *call) error {
			n := assay.NewAccessReview{Name: name, Period: period}
			if due != "" {
				d, err := assay.ParseDate("due", due)
				if err != nil {
					return err
				}
				if d != nil {
					n.DueDate = *d
				}
			}
			for _, s := range systems {
				sysName, owner, _ := strings.Cut(s, "=")
				sys := assay.AccessSystem{Name: strings.TrimSpace(sysName)}
				var err error
				if sys.OwnerID, err = userIDByEmail(c.ctx, c.p, "system", strings.TrimSpace(owner)); err != nil {
					return err
				}
				n.Systems = append(n.Systems, sys)
			}
			rv, err := c.m.App.OpenAccessReview(c.ctx, c.p, n)
			if err != nil {
				return err
			}
			return c.Line(rv, "Opened access review %d: %s (%s), due %s, %d systems. Load their accounts next.",
				rv.ID, rv.Name, rv.Period, rv.DueDate.Format(time.DateOnly), len(rv.Systems))
		},
	})
}

func newAccessReviewLoadCmd(g *globals) *cobra.Command {
	var sourceID int64
	var csvFile, system string
	var rosterFormat bool
	var l app.AccessLoad
	return actingCommand(g, acting{
		Use:   "load ID (--source SOURCE-ID | --csv FILE) [--system NAME]",
		Short: "Load a campaign's accounts from a roster or PostgreSQL source's latest run, or a CSV/XLSX file (all or nothing)",
		Long: "Load reads accounts from a monitoring source's latest successful run (an identity roster or a PostgreSQL source) " +
			"or from a file of accounts (columns system, account, email, privileges; CSV, tab-separated or XLSX, UTF-8 or UTF-16). " +
			"--roster reads the file as an identity roster export instead. Accounts already loaded are updated while undecided.",
		Args: cobra.ExactArgs(1),
		IDs:  []string{"campaign"},
		Flags: func(fl *pflag.FlagSet) {
			fl.Int64Var(&sourceID, "source", 0, "monitoring source id (identity roster or PostgreSQL) whose latest run gives the accounts")
			fl.StringVar(&csvFile, "csv", "", "file of accounts (CSV, tab-separated or XLSX)")
			fl.StringVar(&system, "system", "", "the campaign system (default: the source's name, or the file's system column)")
			fl.BoolVar(&rosterFormat, "roster", false, "the --csv file is an identity roster export")
		},
		Before: func(c *call) error {
			l = app.AccessLoad{System: system}
			switch {
			case (sourceID == 0) == (csvFile == ""):
				return fmt.Errorf("give either --source SOURCE-ID or --csv FILE")
			case sourceID != 0:
				l.From, l.SourceID = app.LoadFromSource, sourceID
			default:
				b, err := os.ReadFile(csvFile)
				if err != nil {
					return fmt.Errorf("read %s: %w", csvFile, err)
				}
				l.From, l.CSV = app.LoadFromAccountsCSV, string(b)
				if rosterFormat {
					l.From = app.LoadFromRosterCSV
				}
			}
			return nil
		},
		Run: func(c *call) error {
			res, err := c.m.App.LoadAccessAccounts(c.ctx, c.p, c.ID(0), l)
			if err != nil {
				return err
			}
			return c.Line(res, "Loaded into access review %d: %d added, %d updated, %d unchanged.", c.ID(0), res.Added, res.Updated, res.Unchanged)
		},
	})
}

func newAccessReviewDecideCmd(g *globals) *cobra.Command {
	var decision, reason string
	return actingCommand(g, acting{
		Use:   "decide ID ACCOUNT-ID --decision keep|change|revoke --reason TEXT",
		Short: "Decide an account (members: only the accounts of the systems they own); change and revoke open a corrective action",
		Args:  cobra.ExactArgs(2),
		IDs:   []string{"campaign", "account"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&decision, "decision", "", "keep, change or revoke")
			fl.StringVar(&reason, "reason", "", "why")
		},
		Run: func(c *call) error {
			a, err := c.m.App.DecideAccess(c.ctx, c.p, c.ID(0), c.ID(1), assay.NewAccessDecision{Decision: assay.AccessDecision(decision), Reason: reason})
			if err != nil {
				return err
			}
			return c.Out(a, func(w io.Writer) error {
				fmt.Fprintf(w, "%s %s on %s: %s", a.DecidedByName, a.Decision, a.System, a.Account)
				if a.CorrectiveID != 0 {
					fmt.Fprintf(w, " (corrective action %d)", a.CorrectiveID)
				}
				_, err := fmt.Fprintln(w)
				return err
			})
		},
	})
}

func newAccessReviewCompleteCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "complete ID",
		Short: "Complete a fully decided campaign; its summary becomes evidence on the access review controls",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"campaign"},
		Run: func(c *call) error {
			rv, err := c.m.App.CompleteAccessReview(c.ctx, c.p, c.ID(0))
			if err != nil {
				return err
			}
			return c.Line(rv, "Completed access review %d: %d accounts, %d revoked, %d changed; evidence %d.",
				rv.ID, rv.Accounts, rv.Revoked, rv.Changed, rv.EvidenceID)
		},
	})
}

func newAccessReviewExportCmd(g *globals) *cobra.Command {
	var output string
	return actingCommand(g, acting{
		Use:   "export ID [--output FILE]",
		Short: "Write a campaign's accounts and decisions as CSV (--json: the accounts document)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"campaign"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVarP(&output, "output", "o", "", "write the CSV to this file instead of standard output")
		},
		Run: func(c *call) error {
			id := c.ID(0)
			if c.json {
				accounts, err := c.m.App.AccessAccounts(c.ctx, c.p, id)
				if err != nil {
					return err
				}
				return c.List("accounts", accounts, len(accounts), nil)
			}
			out, err := c.m.App.ExportAccessReview(c.ctx, c.p, id)
			if err != nil {
				return err
			}
			if output == "" {
				return tabular.WriteCSV(c.w, out.Rows)
			}
			file, err := os.Create(output)
			if err != nil {
				return err
			}
			if err := tabular.WriteCSV(file, out.Rows); err != nil {
				file.Close()
				return err
			}
			if err := file.Close(); err != nil {
				return err
			}
			_, err = fmt.Fprintf(c.w, "Wrote %d accounts to %s.\n", len(out.Rows)-1, output)
			return err
		},
	})
}
