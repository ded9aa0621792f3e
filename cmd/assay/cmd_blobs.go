package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay/evidence"
)

func newBlobsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "blobs", Short: "Manage where evidence blobs are stored"}
	cmd.AddCommand(newBlobsMigrateCmd(g))
	return cmd
}

// migrateReport is what `assay blobs migrate` did.
type migrateReport struct {
	To       string `json:"to"`
	Blobs    int    `json:"blobs"`
	Copied   int    `json:"copied"`
	Verified int    `json:"verified"`
}

func newBlobsMigrateCmd(g *globals) *cobra.Command {
	var to string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "migrate --to s3://bucket/prefix",
		Short: "Copy the data folder's evidence blobs to an S3-compatible bucket and verify each",
		Long: "Migrate copies every blob under blobs/ in the data folder to the bucket --to names (endpoint and\n" +
			"credentials from the AWS_* variables), skipping those already there, then reads each one back from the\n" +
			"bucket and checks it against its SHA-256. It changes nothing in the data folder and can be run again;\n" +
			"once it succeeds, start every server with --blobs and the same URL. New uploads made while it runs stay\n" +
			"in the folder: stop the servers first, or run it again after switching.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !evidence.IsS3URL(to) {
				return fmt.Errorf("--to %q: give s3://bucket/prefix", to)
			}
			dir := filepath.Join(g.data, "blobs")
			if _, err := os.Stat(dir); err != nil {
				return fmt.Errorf("no blobs to migrate at %s: %w", dir, err)
			}
			src, err := evidence.Open(dir)
			if err != nil {
				return err
			}
			dst, err := openBlobStore(cmd.Context(), g.data, to)
			if err != nil {
				return err
			}
			if stray, err := src.Stray(); err != nil {
				return err
			} else if len(stray) > 0 {
				return fmt.Errorf("%s holds %d files that are not blobs (first: %s): run `assay verify` and sort them out first", dir, len(stray), stray[0])
			}
			var digests []string
			if err := src.Walk(func(b evidence.Blob) error { digests = append(digests, b.SHA256); return nil }); err != nil {
				return err
			}
			sort.Strings(digests)
			rep := migrateReport{To: dst.String(), Blobs: len(digests)}
			for _, d := range digests {
				if err := cmd.Context().Err(); err != nil {
					return err
				}
				copied, err := evidence.Copy(dst, src, d)
				if err != nil {
					if errors.Is(err, evidence.ErrCorrupt) {
						return fmt.Errorf("blob %s does not verify; nothing more was copied: %w", d, err)
					}
					return err
				}
				if copied {
					rep.Copied++
				}
				rep.Verified++
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), rep)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d blobs in %s: %d copied to %s, %d already there; each one read back and verified.\n",
				rep.Blobs, dir, rep.Copied, rep.To, rep.Blobs-rep.Copied)
			fmt.Fprintf(cmd.OutOrStdout(), "Start the servers with --blobs %s (or ASSAY_BLOBS).\n", to)
			return nil
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "the bucket: s3://bucket/prefix[?path-style=true]")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}
