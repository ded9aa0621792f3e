package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

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

// parseID reads a positional id ("campaign id", "account id").
func parseID(what, arg string) (int64, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%s %q: give a number", what, arg)
	}
	return id, nil
}

func newAccessReviewListCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the campaigns, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			list, err := m.App.AccessReviews(ctx, p)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"access_reviews": list, "count": len(list)})
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tPERIOD\tDUE\tSTATUS\tDECIDED\tREVOKED\tCHANGED")
			for _, rv := range list {
				status := string(rv.Status)
				if rv.Overdue(m.App.Now()) {
					status += " (overdue)"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d/%d\t%d\t%d\n", rv.ID, rv.Name, rv.Period, rv.DueDate.Format(time.DateOnly), status,
					rv.Decided, rv.Accounts, rv.Revoked, rv.Changed)
			}
			return tw.Flush()
		},
	}
	f.add(cmd)
	return cmd
}

func newAccessReviewShowCmd(g *globals) *cobra.Command {
	var f actingFlags
	var pending bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a campaign with its accounts and decisions",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := parseID("campaign id", args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			d, err := m.App.AccessReview(ctx, p, id)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), d)
			}
			w := cmd.OutOrStdout()
			rv := d.Review
			fmt.Fprintf(w, "Access review %d: %s (%s), %s, due %s; %d of %d accounts decided\n", rv.ID, rv.Name, rv.Period, rv.Status,
				rv.DueDate.Format(time.DateOnly), rv.Decided, rv.Accounts)
			for _, sys := range rv.Systems {
				fmt.Fprintf(w, "  %s: reviewed by %s, %d of %d decided\n", sys.Name, orNone(sys.OwnerName), sys.Decided, sys.Accounts)
			}
			if rv.EvidenceID != 0 {
				fmt.Fprintf(w, "Completed by %s; evidence %d\n", rv.CompletedByName, rv.EvidenceID)
			}
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ACCOUNT ID\tSYSTEM\tACCOUNT\tEMAIL\tPRIVILEGES\tFLAG\tDECISION\tBY")
			for _, a := range d.Accounts {
				if pending && a.Decision != "" {
					continue
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.System, a.Account, a.Email, a.Privileges, a.Flag,
					orDash(string(a.Decision)), a.DecidedByName)
			}
			return tw.Flush()
		},
	}
	f.add(cmd)
	cmd.Flags().BoolVar(&pending, "pending", false, "list only the accounts waiting for a decision")
	return cmd
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newAccessReviewOpenCmd(g *globals) *cobra.Command {
	var f actingFlags
	var name, period, due string
	var systems []string
	cmd := &cobra.Command{
		Use:     "open --name N --period P --due DATE --system NAME[=OWNER-EMAIL]...",
		Short:   "Open a campaign over systems, each reviewed by its owner (or an admin)",
		Example: "  assay access-review open --name \"Q1 review\" --period \"2026 Q1\" --due 2026-03-31 --system Okta=it@example.com --system GitHub",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
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
				if sys.OwnerID, err = userIDByEmail(ctx, p, "system", strings.TrimSpace(owner)); err != nil {
					return err
				}
				n.Systems = append(n.Systems, sys)
			}
			rv, err := m.App.OpenAccessReview(ctx, p, n)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), rv)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Opened access review %d: %s (%s), due %s, %d systems. Load their accounts next.\n",
				rv.ID, rv.Name, rv.Period, rv.DueDate.Format(time.DateOnly), len(rv.Systems))
			return nil
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&name, "name", "", "campaign name")
	cmd.Flags().StringVar(&period, "period", "", "the period reviewed (2026 Q1)")
	cmd.Flags().StringVar(&due, "due", "", "due date (2026-03-31)")
	cmd.Flags().StringArrayVar(&systems, "system", nil, "a system under review, NAME or NAME=OWNER-EMAIL (repeat)")
	return cmd
}

func newAccessReviewLoadCmd(g *globals) *cobra.Command {
	var f actingFlags
	var sourceID int64
	var csvFile, system string
	var rosterFormat bool
	cmd := &cobra.Command{
		Use:   "load ID (--source SOURCE-ID | --csv FILE) [--system NAME]",
		Short: "Load a campaign's accounts from a roster or PostgreSQL source's latest run, or a CSV/XLSX file (all or nothing)",
		Long: "Load reads accounts from a monitoring source's latest successful run (an identity roster or a PostgreSQL source) " +
			"or from a file of accounts (columns system, account, email, privileges; CSV, tab-separated or XLSX, UTF-8 or UTF-16). " +
			"--roster reads the file as an identity roster export instead. Accounts already loaded are updated while undecided.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := parseID("campaign id", args[0])
			if err != nil {
				return err
			}
			l := app.AccessLoad{System: system}
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
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			res, err := m.App.LoadAccessAccounts(ctx, p, id, l)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), res)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Loaded into access review %d: %d added, %d updated, %d unchanged.\n", id, res.Added, res.Updated, res.Unchanged)
			return nil
		},
	}
	f.add(cmd)
	cmd.Flags().Int64Var(&sourceID, "source", 0, "monitoring source id (identity roster or PostgreSQL) whose latest run gives the accounts")
	cmd.Flags().StringVar(&csvFile, "csv", "", "file of accounts (CSV, tab-separated or XLSX)")
	cmd.Flags().StringVar(&system, "system", "", "the campaign system (default: the source's name, or the file's system column)")
	cmd.Flags().BoolVar(&rosterFormat, "roster", false, "the --csv file is an identity roster export")
	return cmd
}

func newAccessReviewDecideCmd(g *globals) *cobra.Command {
	var f actingFlags
	var decision, reason string
	cmd := &cobra.Command{
		Use:   "decide ID ACCOUNT-ID --decision keep|change|revoke --reason TEXT",
		Short: "Decide an account (members: only the accounts of the systems they own); change and revoke open a corrective action",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := parseID("campaign id", args[0])
			if err != nil {
				return err
			}
			account, err := parseID("account id", args[1])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			a, err := m.App.DecideAccess(ctx, p, id, account, assay.NewAccessDecision{Decision: assay.AccessDecision(decision), Reason: reason})
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), a)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s %s on %s: %s", a.DecidedByName, a.Decision, a.System, a.Account)
			if a.CorrectiveID != 0 {
				fmt.Fprintf(cmd.OutOrStdout(), " (corrective action %d)", a.CorrectiveID)
			}
			fmt.Fprintln(cmd.OutOrStdout())
			return nil
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&decision, "decision", "", "keep, change or revoke")
	cmd.Flags().StringVar(&reason, "reason", "", "why")
	return cmd
}

func newAccessReviewCompleteCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "complete ID",
		Short: "Complete a fully decided campaign; its summary becomes evidence on the access review controls",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := parseID("campaign id", args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			rv, err := m.App.CompleteAccessReview(ctx, p, id)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), rv)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Completed access review %d: %d accounts, %d revoked, %d changed; evidence %d.\n",
				rv.ID, rv.Accounts, rv.Revoked, rv.Changed, rv.EvidenceID)
			return nil
		},
	}
	f.add(cmd)
	return cmd
}

func newAccessReviewExportCmd(g *globals) *cobra.Command {
	var f actingFlags
	var output string
	cmd := &cobra.Command{
		Use:   "export ID [--output FILE]",
		Short: "Write a campaign's accounts and decisions as CSV (--json: the accounts document)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := parseID("campaign id", args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			if f.asJSON {
				accounts, err := m.App.AccessAccounts(ctx, p, id)
				if err != nil {
					return err
				}
				return printJSON(cmd.OutOrStdout(), map[string]any{"accounts": accounts, "count": len(accounts)})
			}
			out, err := m.App.ExportAccessReview(ctx, p, id)
			if err != nil {
				return err
			}
			if output == "" {
				return tabular.WriteCSV(cmd.OutOrStdout(), out.Rows)
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
			fmt.Fprintf(cmd.OutOrStdout(), "Wrote %d accounts to %s.\n", len(out.Rows)-1, output)
			return nil
		},
	}
	f.add(cmd)
	cmd.Flags().StringVarP(&output, "output", "o", "", "write the CSV to this file instead of standard output")
	return cmd
}
