package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func newBackupCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "backup DIR",
		Short: "Copy the data folder consistently into DIR, also while the server runs",
		Long: "Backup writes into DIR (new or empty) a consistent copy of the data folder: one snapshot of the SQLite\n" +
			"database (VACUUM INTO, which the running server does not notice), the ledger's key and last checkpoint,\n" +
			"the secret key, and every evidence blob, each checked against its digest. manifest.json, written last,\n" +
			"lists the files with their SHA-256. With PostgreSQL, or blobs in S3, those parts are left to pg_dump and\n" +
			"the bucket's versioning (see the README) and the manifest says so. `assay restore DIR` puts it back.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			man, err := backup(cmd.Context(), backupSource{data: g.data, dbURL: g.db, blobsURL: g.blobs, now: g.clock().Now()}, args[0])
			if err != nil {
				return fmt.Errorf("backup: %w", err)
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), man)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Backed up %s into %s: database %s; %d files; blobs: %s (%d).\n",
				g.data, args[0], man.Database, len(man.Files), man.Blobs, man.BlobCount)
			for _, n := range man.Notes {
				fmt.Fprintln(cmd.OutOrStdout(), n)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the manifest as JSON")
	return cmd
}

func newRestoreCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "restore DIR",
		Short: "Put a backup back into a new or empty data folder (--data)",
		Long: "Restore copies the backup in DIR into the data folder --data names, which must be new or empty, checking\n" +
			"every file against the backup's manifest and every blob against its digest. Run `assay verify` on the\n" +
			"restored folder before serving it.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			man, err := restore(args[0], g.data)
			if err != nil {
				return fmt.Errorf("restore: %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Restored the backup of %s into %s (database %s; blobs: %s).\n",
				man.CreatedAt.Format("2006-01-02 15:04 MST"), g.data, man.Database, man.Blobs)
			if !strings.HasPrefix(man.Database, "sqlite") {
				fmt.Fprintln(cmd.OutOrStdout(), "The database was not in the backup: restore it with pg_restore first.")
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Check it with: assay --data %s verify\n", g.data)
			return nil
		},
	}
	return cmd
}
