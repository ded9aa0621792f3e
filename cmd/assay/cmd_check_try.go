package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

// newCheckTestCmd is `assay check test`: try a CEL expression on resources
// from a file before saving it as a custom check. It needs no server and
// no database.
func newCheckTestCmd() *cobra.Command {
	var expr, file, kind, reason string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "test --expr EXPR --resource r.json",
		Short: "Evaluate a check expression on resources from a file",
		Long: "Test compiles a check expression the way a custom check is compiled and evaluates it on each\n" +
			"resource in the file (one resource {\"kind\",\"id\",\"name\",\"attrs\"} or a list of them; - reads standard\n" +
			"input). The resource's attributes are in r, its id and name in id and name; the expression must be true\n" +
			"or false, true meaning pass. It prints pass, fail or error for each resource with the reason, rendered\n" +
			"from --reason (a template with the resource as dot: {{.Name}}, {{.Attrs.port}}). With --kind, only\n" +
			"resources of that kind are evaluated. A bad expression exits non-zero with the line and column at fault.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c := assay.Check{ID: "custom-test", Title: "test", Kind: kind, Expr: expr, Reason: reason, Severity: assay.SeverityLow}
			prg, err := monitor.Compile(c)
			if err != nil {
				var ae *assay.Error
				if errors.As(err, &ae) {
					return fmt.Errorf("%s: %s", ae.Field, ae.Message)
				}
				return err
			}
			resources, err := readResources(cmd.InOrStdin(), file)
			if err != nil {
				return err
			}
			var results []assay.CheckResult
			skipped := 0
			for _, res := range resources {
				if kind != "" && res.Kind != kind {
					skipped++
					continue
				}
				results = append(results, prg.EvalContext(cmd.Context(), res))
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), results)
			}
			return printCheckResults(cmd.OutOrStdout(), results, skipped)
		},
	}
	cmd.Flags().StringVar(&expr, "expr", "", "CEL expression, true when the resource passes (required)")
	cmd.Flags().StringVar(&file, "resource", "", "JSON file with one resource or a list of them; - for standard input (required)")
	cmd.Flags().StringVar(&kind, "kind", "", "evaluate only resources of this kind")
	cmd.Flags().StringVar(&reason, "reason", "", "failure reason template, e.g. 'TLS {{.Attrs.tls_min}} on {{.Name}}'")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the results as JSON")
	_ = cmd.MarkFlagRequired("expr")
	_ = cmd.MarkFlagRequired("resource")
	return cmd
}

// readResources reads one resource or a list of them from path ("-" is
// in).
func readResources(in io.Reader, path string) ([]assay.Resource, error) {
	var b []byte
	var err error
	if path == "-" {
		b, err = io.ReadAll(io.LimitReader(in, 64<<20))
	} else {
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read resources: %w", err)
	}
	b = bytes.TrimSpace(b)
	var list []assay.Resource
	if len(b) > 0 && b[0] == '[' {
		err = json.Unmarshal(b, &list)
	} else {
		var one assay.Resource
		err = json.Unmarshal(b, &one)
		list = []assay.Resource{one}
	}
	if err != nil {
		return nil, fmt.Errorf("read resources from %s: not a resource or a list of resources: %w", path, err)
	}
	for i, r := range list {
		if r.Kind == "" || r.ID == "" {
			return nil, fmt.Errorf("read resources from %s: resource %d has no kind or id", path, i+1)
		}
	}
	return list, nil
}

func printCheckResults(w io.Writer, results []assay.CheckResult, skipped int) error {
	counts := map[assay.CheckStatus]int{}
	var b strings.Builder
	for _, r := range results {
		counts[r.Status]++
		name := r.ResourceName
		if name == "" {
			name = r.ResourceID
		}
		fmt.Fprintf(&b, "%-5s  %s", r.Status, name)
		if r.Reason != "" {
			fmt.Fprintf(&b, ": %s", r.Reason)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%d pass, %d fail, %d error", counts[assay.CheckPass], counts[assay.CheckFail], counts[assay.CheckError])
	if skipped > 0 {
		fmt.Fprintf(&b, ", %d skipped (other kinds)", skipped)
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}
