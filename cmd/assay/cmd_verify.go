package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/ledger"
)

func newVerifyCmd(g *globals) *cobra.Command {
	var vkey string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "verify [BUNDLE.zip | TRUST-SNAPSHOT.json]",
		Short: "Recompute the ledger from the database and blobs and name the first thing that does not match",
		Long: "Verify recomputes everything from the database and the data folder: each ledger leaf from the live\n" +
			"activity row, the tree's stored hashes, every checkpoint's signature and root, the rows' counts and order,\n" +
			"the state of organisations, controls, users and API tokens against the last state the ledger recorded, and\n" +
			"every evidence blob's digest. It names the first thing that does not match and exits 1; otherwise it\n" +
			"prints a summary. Checkpoints are checked with the data folder's key, or with --key (the public key\n" +
			"`assay ledger key` prints).\n\n" +
			"With a BUNDLE.zip argument it checks an evidence bundle offline instead (no server, no database): each\n" +
			"file's digest against manifest.json and the ledger entry that recorded it, each entry's inclusion proof\n" +
			"against the signed checkpoint, and the checkpoint's signature with the bundled key. Give --key to check\n" +
			"that the bundled key is the one you expect: the bundled key alone proves only self-consistency.\n\n" +
			"With a trust center snapshot (.json) and --key it checks the snapshot offline: the payload's SHA-256, the\n" +
			"signature over it and the ledger checkpoint inside, all with the key given (never the one in the file).",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("key") && strings.TrimSpace(vkey) == "" {
				// --key "$(assay ledger key)" with a failed command
				// substitution: never fall back to the bundled key.
				return errors.New("--key is empty: give the ledger's public key (assay ledger key prints it), or leave --key out")
			}
			if len(args) == 1 {
				// assay verify BUNDLE.zip or SNAPSHOT.json: offline, no server, no database.
				if strings.HasSuffix(strings.ToLower(args[0]), ".json") {
					return verifyTrustSnapshotFile(cmd, args[0], vkey, asJSON)
				}
				if !strings.HasSuffix(strings.ToLower(args[0]), ".zip") {
					return fmt.Errorf("%s: give an evidence bundle (.zip), a trust center snapshot (.json), or no argument to verify the database", args[0])
				}
				rep, err := verifyBundleFile(cmd.Context(), args[0], vkey)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), rep)
				}
				printBundleReport(cmd.OutOrStdout(), rep)
				return nil
			}
			rep, took, err := verifyData(cmd.Context(), g, vkey)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), rep)
			}
			printReport(cmd.OutOrStdout(), rep, took)
			return nil
		},
	}
	cmd.Flags().StringVar(&vkey, "key", "", "the ledger's public key (default: from ledger.key in --data)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	return cmd
}

// verifyData verifies the database and data folder g names. A
// *ledger.Mismatch is the first thing that does not match.
func verifyData(ctx context.Context, g *globals, vkey string) (ledger.Report, time.Duration, error) {
	start := time.Now()
	var rep ledger.Report
	if g.db == "" {
		// Do not create an empty database where there is none.
		if _, err := os.Stat(filepath.Join(g.data, "assay.db")); errors.Is(err, fs.ErrNotExist) {
			return rep, 0, fmt.Errorf("there is no database at %s", filepath.Join(g.data, "assay.db"))
		}
	}
	opts := ledger.Options{BlobDir: filepath.Join(g.data, "blobs")}
	if g.blobs != "" {
		st, err := openBlobStore(ctx, g.data, g.blobs)
		if err != nil {
			return rep, 0, err
		}
		opts.Blobs, opts.BlobsWhere = checkBlobStore(st), st.String()
	}
	if vkey != "" {
		v, err := ledger.NewVerifier(vkey)
		if err != nil {
			return rep, 0, err
		}
		opts.Verifier = v
	} else if k, err := ledger.LoadKey(g.data); err == nil {
		// The data folder that signs keeps a copy of its last checkpoint.
		opts.Verifier, opts.RequireLastCheckpoint = k.Verifier(), true
	}
	last, err := ledger.ReadLastCheckpoint(g.data)
	if err != nil {
		return rep, 0, err
	}
	opts.LastCheckpoint = last

	m := NewMain(Config{DataDir: g.data, DBURL: g.db, BlobsURL: g.blobs, Clock: g.clock()})
	if err := m.OpenStore(ctx); err != nil {
		return rep, 0, err
	}
	defer m.Close()
	err = m.Store.LedgerSnapshot(ctx, func(s ledger.Snapshot) error {
		var err error
		rep, err = ledger.Verify(ctx, s, opts)
		return err
	})
	return rep, time.Since(start), err
}

func printReport(w io.Writer, rep ledger.Report, took time.Duration) {
	fmt.Fprintf(w, "Ledger: %d entries and %d stored hashes recomputed from the live rows; root %s.\n", rep.Entries, rep.StoredHashes, rep.Root)
	if rep.Latest != nil {
		fmt.Fprintf(w, "Checkpoints: %d, every one signed and matching the tree; the latest at %d entries, %s.\n",
			rep.Checkpoints, rep.Latest.Size, rep.Latest.CreatedAt.Format(time.RFC3339))
	} else {
		fmt.Fprintln(w, "Checkpoints: none signed yet.")
	}
	fmt.Fprintf(w, "State: %d organisations, %d controls, %d users and %d API tokens match the ledger.\n",
		rep.Organizations, rep.Controls, rep.Users, rep.APITokens)
	fmt.Fprintf(w, "Blobs: %d files match their SHA-256 names; %d evidence digests have their blobs.\n", rep.Blobs, rep.EvidenceDigests)
	fmt.Fprintf(w, "Everything matches (%s).\n", took.Round(time.Millisecond))
}

// checkBlobStore checks every blob of a store other than the data folder's
// (an S3 bucket) for ledger.Verify: a blob that does not match its digest
// is a mismatch, like a changed file.
func checkBlobStore(st evidence.Store) func(context.Context) (map[string]bool, error) {
	return func(context.Context) (map[string]bool, error) {
		sizes, err := evidence.VerifyAll(st)
		if errors.Is(err, evidence.ErrCorrupt) {
			return nil, &ledger.Mismatch{Sentence: fmt.Sprintf("A blob in %s does not match its name, so it was changed: %v.", st, err)}
		}
		if err != nil {
			return nil, err
		}
		have := make(map[string]bool, len(sizes))
		for d := range sizes {
			have[d] = true
		}
		return have, nil
	}
}
