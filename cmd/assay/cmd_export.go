package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/export"
)

func newExportCmd(g *globals) *cobra.Command {
	var from, to, out, orgSlug, as string
	var auditID int64
	cmd := &cobra.Command{
		Use:   "export matrix|bundle|oscal|workpaper --out FILE",
		Short: "Export the control matrix (XLSX), the evidence bundle (zip) or OSCAL assessment results for a period",
		Long: "Export writes one of the auditor's exports for the period --from to --to (dates, the last day included;\n" +
			"default: the twelve months to today):\n\n" +
			"  matrix  the control matrix workbook (one row per in-scope criterion and control)\n" +
			"  bundle  the evidence bundle: files, manifest, ledger entries with inclusion proofs, a fresh signed\n" +
			"          checkpoint and the public key; check it with `assay verify BUNDLE.zip --key KEY`\n" +
			"  oscal   NIST OSCAL 1.1.3 assessment results\n" +
			"  workpaper  (with --audit) the auditor's workpaper: per control in scope its owner, how it is tested,\n" +
			"          populations and sample items, evidence with SHA-256, result, exceptions, management response\n" +
			"          and requests; sheets for the samples and the requests\n\n" +
			"Each export is recorded in the activity trail and signs a fresh ledger checkpoint.",
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{"matrix", "bundle", "oscal", "workpaper"},
		RunE: func(cmd *cobra.Command, args []string) error {
			kind := map[string]string{"matrix": "control-matrix", "bundle": "evidence-bundle", "oscal": "oscal-assessment-results", "workpaper": "auditor-workpaper"}[args[0]]
			if kind == "" {
				return fmt.Errorf("unknown export %q: use matrix, bundle, oscal or workpaper", args[0])
			}
			if args[0] == "workpaper" && auditID == 0 {
				return errors.New("the workpaper is an engagement's: give --audit ID")
			}
			if out == "" {
				return errors.New("say where to write the export with --out FILE")
			}
			ctx := cmd.Context()
			m, err := g.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			period, err := export.ParsePeriod(from, to, m.Config.Clock.Now())
			if err != nil {
				return errors.New(assay.ErrorMessage(err))
			}
			org, err := firstOrg(ctx, m.Store, orgSlug)
			if err != nil {
				return err
			}
			os_ := m.Store.Org(org.ID)
			var audit *assay.Audit
			if auditID != 0 {
				a, err := os_.Audit(ctx, auditID)
				if err != nil {
					return fmt.Errorf("--audit %d: %s", auditID, assay.ErrorMessage(err))
				}
				if period, err = export.EngagementPeriod(a); err != nil {
					return errors.New(assay.ErrorMessage(err))
				}
				audit = &a
			}
			actor := assay.Actor{Name: "assay export", Via: "cli"}
			if as != "" {
				p, err := m.App.PrincipalByEmail(ctx, as)
				if err != nil || p.User.OrgID != org.ID {
					return fmt.Errorf("--as %s: no such user in %s", as, org.Name)
				}
				if !p.User.Can(assay.ActionExport, nil) {
					return fmt.Errorf("--as %s: role %s cannot export", as, p.User.Role)
				}
				actor = p.Actor()
			}
			recorded := kind
			if audit != nil {
				recorded = fmt.Sprintf("%s (engagement %d)", kind, audit.ID)
			}
			if _, err := os_.RecordExport(ctx, actor, recorded, period.From, period.To); err != nil {
				return err
			}
			cp, _, err := m.IssueCheckpoint(ctx)
			if err != nil {
				return fmt.Errorf("sign a checkpoint: %w", err)
			}
			checks, err := m.App.Checks(ctx, os_)
			if err != nil {
				return err
			}
			d, err := export.Load(ctx, os_, m.Catalog.DomainCriteria(), checks, period, m.Config.Clock.Now())
			if err != nil {
				return err
			}
			if audit != nil {
				d.ApplyScope(audit.Scope)
			}
			if cp.Size > 0 {
				d.Checkpoint = &cp
			}
			err = writeFileAtomic(out, func(w io.Writer) error {
				switch args[0] {
				case "workpaper":
					wp, err := export.LoadWorkpaper(ctx, os_, audit.ID, m.Config.Clock.Now())
					if err != nil {
						return err
					}
					return export.WriteWorkpaper(w, wp)
				case "matrix":
					return export.WriteMatrix(w, d)
				case "oscal":
					return export.WriteOSCAL(w, d)
				}
				src := export.BundleSource{
					OpenBlob: func(digest string, size int64) (io.ReadCloser, error) { return m.Blobs.Open(digest, size) },
					Proof:    os_.LedgerProof, Checkpoint: cp, PublicKey: m.Ledger.VerifierKey,
				}
				if audit != nil {
					if src.Populations, src.Range, err = export.AuditPopulations(ctx, os_, m.Store, *audit, cp); err != nil {
						return err
					}
				}
				return export.WriteBundle(ctx, w, d, src)
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Wrote the %s of %s for %s to %s (%d evidence items; ledger checkpoint at %d entries).\n",
				kind, org.Name, period, out, len(d.Evidence), cp.Size)
			if args[0] == "bundle" {
				fmt.Fprintf(cmd.OutOrStdout(), "Check it with: assay verify %s --key '%s'\n", out, m.Ledger.VerifierKey)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "first day of the period (YYYY-MM-DD)")
	cmd.Flags().StringVar(&to, "to", "", "last day of the period, included (YYYY-MM-DD)")
	cmd.Flags().StringVar(&out, "out", "", "file to write")
	cmd.Flags().Int64Var(&auditID, "audit", 0, "export for this audit engagement: its period and frozen scope (instead of --from/--to)")
	cmd.Flags().StringVar(&orgSlug, "org", "", "organisation slug (needed when there are several)")
	cmd.Flags().StringVar(&as, "as", "", "email of the admin or auditor to record as the exporter")
	return cmd
}

// writeFileAtomic writes a file through a temporary file in the same
// folder, renamed into place only when fn succeeds.
func writeFileAtomic(path string, fn func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".assay-export-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = fn(f); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// verifyBundleFile checks an evidence bundle offline (export.VerifyBundle).
func verifyBundleFile(_ context.Context, path, vkey string) (export.BundleReport, error) {
	f, err := os.Open(path)
	if err != nil {
		return export.BundleReport{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return export.BundleReport{}, err
	}
	return export.VerifyBundle(f, st.Size(), vkey)
}

func printBundleReport(w io.Writer, rep export.BundleReport) {
	fmt.Fprintf(w, "Bundle of %s for %s: %d evidence items, %d files (%d bytes) match manifest.json and the ledger.\n",
		rep.Organization, rep.Period, rep.Items, rep.Files, rep.Bytes)
	fmt.Fprintf(w, "Ledger: %d entries proved included in the tree of %d entries with root %s, signed by %s.\n",
		rep.Proofs, rep.TreeSize, rep.Root, rep.Origin)
	if rep.KeyChecked {
		fmt.Fprintln(w, "Key: the bundled public key is the key you gave with --key.")
	} else {
		fmt.Fprintf(w, "Caveat: checked only against the key inside the bundle (%s), which proves the bundle is consistent, not who made it; run again with --key and a key obtained separately.\n", rep.PublicKey)
	}
	for _, p := range rep.Populations {
		what := p.Kind
		if p.ControlID != "" {
			what += " of " + p.ControlID
		}
		if p.FromLedger {
			fmt.Fprintf(w, "Population %s (%s): %d rows, listed again from the ledger between two signed checkpoints: complete, none added; the sample is the documented draw.\n", p.Path, what, p.Count)
		} else {
			fmt.Fprintf(w, "Population %s (%s): %d rows match their digests and the sample is the documented draw (evidence populations are not listed from the ledger).\n", p.Path, what, p.Count)
		}
	}
	fmt.Fprintln(w, "Everything matches.")
}
