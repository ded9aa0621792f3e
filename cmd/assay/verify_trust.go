package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay/app"
)

// verifyTrustSnapshotFile checks a trust center snapshot offline with the
// key given and prints what it attests.
func verifyTrustSnapshotFile(cmd *cobra.Command, path, key string, asJSON bool) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if key == "" {
		return fmt.Errorf("%s: give the company's public key with --key (from its trust center's key link, ideally confirmed with the company)", path)
	}
	p, err := app.VerifyTrustSnapshot(b, key)
	if err != nil {
		return fmt.Errorf("%s does not verify: %w", path, err)
	}
	if asJSON {
		return printJSON(cmd.OutOrStdout(), p)
	}
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "The snapshot verifies: %s's trust center as of %s, signed with the key given.\n", p.Company, p.GeneratedAt.Format("2006-01-02 15:04 MST"))
	if p.Checkpoint != nil {
		fmt.Fprintf(w, "It is tied to the ledger checkpoint of %d entries (root %s), whose signature also verifies.\n", p.Checkpoint.Size, p.Checkpoint.Root)
	}
	for _, t := range p.Tiles {
		v := t.Value
		if t.State == "no_data" {
			v = "no data"
		}
		fmt.Fprintf(w, "  %s: %s (%s)\n", t.Title, v, t.Inputs)
	}
	for _, d := range p.Documents {
		fmt.Fprintf(w, "  Document %q sha256 %s\n", d.Title, d.SHA256)
	}
	return nil
}
