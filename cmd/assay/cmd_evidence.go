package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func envInt(key string, def int64) int64 {
	if v, err := strconv.ParseInt(os.Getenv(key), 10, 64); err == nil {
		return v
	}
	return def
}

func newEvidenceCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "evidence", Short: "Add and list evidence"}
	cmd.AddCommand(newEvidenceAddCmd(g), newEvidenceListCmd(g), newEvidenceRequestCmd(g), newEvidenceAttachCmd(g))
	return cmd
}

func newEvidenceAddCmd(g *globals) *cobra.Command {
	var controls []string
	var file, link, note, title, description, periodStart, periodEnd, collected, orgSlug, as string
	var validDays int
	var supersedes int64
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "add --control ID (--file PATH | --url URL | --note TEXT)",
		Short: "Add a file, link or note as evidence for controls",
		Long: "Add evidence for one or more controls. A file is stored in the data folder under its SHA-256 digest\n" +
			"(identical files are stored once); the record is written only once the file is safely on disk.\n" +
			"It counts for --valid-days days (default 365) from the end of --period-start/--period-end, or from when it was collected.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			n := assay.NewEvidence{Title: title, Description: description, Controls: controls, ValidDays: validDays, Supersedes: supersedes}
			set := 0
			for kind, v := range map[assay.EvidenceKind]string{assay.EvidenceFile: file, assay.EvidenceLink: link, assay.EvidenceNote: note} {
				if v != "" {
					n.Kind = kind
					set++
				}
			}
			if set != 1 {
				return errors.New("give exactly one of --file, --url or --note")
			}
			n.URL, n.NoteText = link, note
			var err error
			for _, d := range []struct {
				flag, v string
				dst     **time.Time
			}{{"--period-start", periodStart, &n.PeriodStart}, {"--period-end", periodEnd, &n.PeriodEnd}, {"--collected", collected, &n.CollectedAt}} {
				if d.v == "" {
					continue
				}
				t, err := time.Parse("2006-01-02", d.v)
				if err != nil {
					return fmt.Errorf("%s %q: use a date like 2026-03-31", d.flag, d.v)
				}
				*d.dst = &t
			}
			m, err := g.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			org, err := firstOrg(ctx, m.Store, orgSlug)
			if err != nil {
				return err
			}
			ev, err := addEvidence(cmd, m, org, as, n, file)
			if err != nil {
				if assay.ErrorCode(err) != assay.EINTERNAL {
					return errors.New(assay.ErrorMessage(err))
				}
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(ev)
			}
			what := ""
			if ev.SHA256 != "" {
				what = fmt.Sprintf(" (sha256 %s, %d bytes)", ev.SHA256, ev.Size)
			}
			cmd.Printf("Added %s evidence %d %q%s to %s; it counts until %s.\n", strings.ToLower(ev.Kind.Label()), ev.ID, ev.Title, what,
				strings.Join(ev.Controls, ", "), ev.ExpiresAt.Format("2006-01-02"))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&controls, "control", nil, "control id (repeat, or separate with commas)")
	f.StringVar(&file, "file", "", "a file to store as evidence")
	f.StringVar(&link, "url", "", "a link to evidence kept elsewhere")
	f.StringVar(&note, "note", "", "a written note as evidence")
	f.StringVar(&title, "title", "", "title (default: the file name)")
	f.StringVar(&description, "description", "", "how it was produced, who signed it off")
	f.IntVar(&validDays, "valid-days", 0, "days it counts for (default 365; 92 for a quarterly review)")
	f.StringVar(&periodStart, "period-start", "", "first day of the period it covers (2026-01-01)")
	f.StringVar(&periodEnd, "period-end", "", "last day of the period it covers (2026-03-31)")
	f.StringVar(&collected, "collected", "", "day it was collected (default: now)")
	f.Int64Var(&supersedes, "supersedes", 0, "id of the evidence this corrects")
	f.StringVar(&orgSlug, "org", "", "organisation slug (default: the only one)")
	f.StringVar(&as, "as", "", "record it as added by this user (email)")
	f.BoolVar(&asJSON, "json", false, "print the new item as JSON")
	return cmd
}

// evidenceAdder is who adds: the user with that email (held to the same
// checks as on the web and the API), or the operator running the command.
func evidenceAdder(cmd *cobra.Command, m *Main, org assay.Organization, email string) (app.Principal, error) {
	if email == "" {
		return m.App.OperatorPrincipal(org, "assay evidence add"), nil
	}
	p, err := m.App.PrincipalByEmail(cmd.Context(), email)
	if err != nil || p.User.OrgID != org.ID {
		return app.Principal{}, fmt.Errorf("--as %s: no such user in %s", email, org.Name)
	}
	return p, nil
}

// addEvidence adds the item through the evidence service: everything but
// the content is checked before a file is stored.
func addEvidence(cmd *cobra.Command, m *Main, org assay.Organization, email string, n assay.NewEvidence, file string) (assay.Evidence, error) {
	p, err := evidenceAdder(cmd, m, org, email)
	if err != nil {
		return assay.Evidence{}, err
	}
	if n.Kind != assay.EvidenceFile {
		return m.App.AddEvidence(cmd.Context(), p, app.NewEvidence{Evidence: n}, nil, nil, 0)
	}
	f, err := openRegular(file)
	if err != nil {
		return assay.Evidence{}, err
	}
	defer f.Close()
	return m.App.AddEvidence(cmd.Context(), p, app.NewEvidence{Evidence: n}, &app.File{Filename: filepath.Base(file)}, f, 0)
}

// openRegular opens a regular file (not a directory or a device).
func openRegular(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	return f, nil
}

func newEvidenceListCmd(g *globals) *cobra.Command {
	var control, kind, state, orgSlug string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List evidence (in force by default)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, err := g.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			org, err := firstOrg(ctx, m.Store, orgSlug)
			if err != nil {
				return err
			}
			items, err := m.Store.Org(org.ID).EvidenceList(ctx, assay.EvidenceFilter{ControlID: control, Kind: assay.EvidenceKind(kind), State: state})
			if err != nil {
				return errors.New(assay.ErrorMessage(err))
			}
			now := m.Config.Clock.Now()
			if asJSON {
				type row struct {
					assay.Evidence
					State string `json:"state"`
				}
				out := make([]row, len(items))
				for i, e := range items {
					out[i] = row{e, e.State(now)}
				}
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			printEvidence(cmd.OutOrStdout(), now, items)
			return nil
		},
	}
	cmd.Flags().StringVar(&control, "control", "", "only evidence for this control")
	cmd.Flags().StringVar(&kind, "kind", "", "file, link or note")
	cmd.Flags().StringVar(&state, "state", "", "current, expiring, expired, superseded or all (default: in force)")
	cmd.Flags().StringVar(&orgSlug, "org", "", "organisation slug (default: the only one)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (the same items as GET /api/v1/evidence)")
	return cmd
}

func printEvidence(w io.Writer, now time.Time, items []assay.Evidence) {
	if len(items) == 0 {
		fmt.Fprintln(w, "No evidence.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSTATE\tCOUNTS UNTIL\tCONTROLS\tTITLE")
	for _, e := range items {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.Kind, e.State(now), e.ExpiresAt.Format("2006-01-02"), strings.Join(e.Controls, ","), e.Title)
	}
	tw.Flush()
}
