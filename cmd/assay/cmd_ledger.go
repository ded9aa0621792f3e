package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay/ledger"
)

func newLedgerCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ledger",
		Short: "The tamper-evident ledger: its public key, checkpoints and proofs",
		Long: "Every activity entry is a leaf of a Merkle tree whose checkpoints the server signs every minute while it grows.\n" +
			"These commands print the public key auditors check checkpoints with, sign a checkpoint now, and prove\n" +
			"an entry is in the tree or that one tree size is a prefix of another. `assay verify` checks everything.",
	}
	cmd.AddCommand(newLedgerKeyCmd(g), newLedgerCheckpointCmd(g), newLedgerProofCmd(g), newLedgerConsistencyCmd(g))
	return cmd
}

func newLedgerKeyCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "key",
		Short: "Print the public key that checks the ledger's checkpoints",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, err := ledger.LoadKey(g.data)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), k.VerifierKey)
			return nil
		},
	}
}

func newLedgerCheckpointCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "checkpoint",
		Short: "Sign a checkpoint now (if the ledger grew) and print the latest",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := g.open(cmd.Context(), cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			cp, _, err := m.IssueCheckpoint(cmd.Context())
			if err != nil {
				return err
			}
			if cp.Size == 0 {
				return fmt.Errorf("the ledger is empty: there is nothing to sign yet")
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), cp)
			}
			fmt.Fprint(cmd.OutOrStdout(), cp.Note)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newLedgerProofCmd(g *globals) *cobra.Command {
	var seq, size int64
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "proof --seq N [--size N]",
		Short: "Print the inclusion proof of an activity entry",
		Long: "Print the proof that activity entry --seq is in the ledger's tree of --size entries (default: the latest\n" +
			"checkpoint's size when it covers the entry, else the current size). The proof is checked before it is printed.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if seq < 1 {
				return fmt.Errorf("give the entry number with --seq (the # shown on the Activity page)")
			}
			m, err := g.open(cmd.Context(), cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			p, err := m.Store.LedgerInclusionBySeq(cmd.Context(), seq, size)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), p)
			}
			printInclusion(cmd.OutOrStdout(), p)
			return nil
		},
	}
	cmd.Flags().Int64Var(&seq, "seq", 0, "the activity entry's number")
	cmd.Flags().Int64Var(&size, "size", 0, "the tree size to prove against (default: the latest checkpoint's)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (the same document as GET /api/v1/ledger/entries/{seq}/proof)")
	return cmd
}

func printInclusion(w io.Writer, p ledger.Inclusion) {
	fmt.Fprintf(w, "Activity entry #%d is leaf %d of the tree of %d entries.\n\n", p.Seq, p.Index, p.TreeSize)
	fmt.Fprintf(w, "leaf       %s\n", p.Leaf)
	fmt.Fprintf(w, "leaf hash  %s\n", p.LeafHash)
	fmt.Fprintf(w, "root hash  %s\n", p.Root)
	fmt.Fprintf(w, "proof      %d hashes, leaf to root:\n", len(p.Proof))
	for _, h := range p.Proof {
		fmt.Fprintf(w, "           %s\n", h)
	}
	if p.Checkpoint != nil {
		fmt.Fprintf(w, "\nThe signed checkpoint at that size:\n\n%s", p.Checkpoint.Note)
	} else {
		fmt.Fprintf(w, "\nNo checkpoint is signed at size %d yet; ask again after the next one (every minute) for a proof against a signed root.\n", p.TreeSize)
	}
}

func newLedgerConsistencyCmd(g *globals) *cobra.Command {
	var from, to int64
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "consistency --from A [--to B]",
		Short: "Print the proof that the tree of size A is a prefix of the tree of size B",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := g.open(cmd.Context(), cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			p, err := m.Store.LedgerConsistency(cmd.Context(), from, to)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), p)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "The tree of %d entries is a prefix of the tree of %d entries.\n\n", p.From, p.To)
			fmt.Fprintf(w, "root at %d  %s\nroot at %d  %s\nproof      %d hashes:\n", p.From, p.FromRoot, p.To, p.ToRoot, len(p.Proof))
			for _, h := range p.Proof {
				fmt.Fprintf(w, "           %s\n", h)
			}
			return nil
		},
	}
	cmd.Flags().Int64Var(&from, "from", 0, "the smaller tree size")
	cmd.Flags().Int64Var(&to, "to", 0, "the larger tree size (default: the latest checkpoint's)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (the same document as GET /api/v1/ledger/consistency)")
	return cmd
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
