package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/store"
)

// Custom checks from the command line: `assay check add`, `update` and
// `delete` work on the local database, compile the expression exactly as
// the web form and the API do, and go through the same store methods (so
// the same audit trail).

// checkFlags are the definition flags of `check add` and `check update`.
type checkFlags struct {
	id, title, kind, expr, severity, reason, remediation, file, orgSlug string
	controls                                                            []string
	asJSON                                                              bool
}

func (f *checkFlags) register(cmd *cobra.Command, withID bool) {
	fl := cmd.Flags()
	if withID {
		fl.StringVar(&f.id, "id", "", `check id, lower case and hyphens ("custom-" is added when missing)`)
	}
	fl.StringVar(&f.title, "title", "", "what passing means, e.g. \"Buckets have an owner tag\"")
	fl.StringVar(&f.kind, "kind", "", "the resource kind it evaluates, e.g. terraform.aws_s3_bucket")
	fl.StringVar(&f.expr, "expr", "", "CEL expression, true when the resource passes (try it first with `assay check test`)")
	fl.StringVar(&f.severity, "severity", "", "critical, high, medium or low (add: default medium)")
	fl.StringVar(&f.reason, "reason", "", "failure reason template, e.g. '{{.Name}} has no owner tag'")
	fl.StringVar(&f.remediation, "remediation", "", "what to do when it fails")
	fl.StringArrayVar(&f.controls, "control", nil, "a control the check tests (repeatable, or comma-separated)")
	fl.StringVar(&f.file, "file", "", "JSON file with the check's fields (as the API takes them); - for standard input; flags given win")
	fl.StringVar(&f.orgSlug, "org", "", "organisation slug (default: the only one)")
	fl.BoolVar(&f.asJSON, "json", false, "print the saved check as JSON")
}

// apply puts the file's fields, then the flags that were given, on c.
func (f *checkFlags) apply(cmd *cobra.Command, c *assay.Check) error {
	if f.file != "" {
		if err := readCheckFile(cmd.InOrStdin(), f.file, c); err != nil {
			return err
		}
	}
	fl := cmd.Flags()
	for _, s := range []struct {
		flag string
		dst  *string
		v    string
	}{{"id", &c.ID, f.id}, {"title", &c.Title, f.title}, {"kind", &c.Kind, f.kind}, {"expr", &c.Expr, f.expr},
		{"reason", &c.Reason, f.reason}, {"remediation", &c.Remediation, f.remediation}} {
		if fl.Lookup(s.flag) != nil && fl.Changed(s.flag) {
			*s.dst = s.v
		}
	}
	if fl.Changed("severity") {
		c.Severity = assay.CheckSeverity(strings.ToLower(strings.TrimSpace(f.severity)))
	}
	if fl.Changed("control") {
		c.Controls = nil
		for _, v := range f.controls {
			for _, id := range strings.Split(v, ",") {
				if id = strings.TrimSpace(id); id != "" {
					c.Controls = append(c.Controls, id)
				}
			}
		}
	}
	return nil
}

// readCheckFile decodes a check's JSON onto c: fields the file does not
// have stay as they are.
func readCheckFile(in io.Reader, path string, c *assay.Check) error {
	var b []byte
	var err error
	if path == "-" {
		b, err = io.ReadAll(io.LimitReader(in, 1<<20))
	} else {
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return fmt.Errorf("read check: %w", err)
	}
	id := c.ID
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(c); err != nil {
		return fmt.Errorf("read check from %s: %w", path, err)
	}
	if id != "" && c.ID != id {
		return fmt.Errorf("read check from %s: its id %q is not %q; a check's id cannot change", path, c.ID, id)
	}
	return nil
}

// compileCheck normalises the id and compiles the check against the
// organisation's controls; the error names the field, and for the
// expression the line and column.
func compileCheck(ctx context.Context, org store.OrgStore, c assay.Check) (assay.Check, error) {
	c.ID, c.Kind = strings.TrimSpace(c.ID), strings.TrimSpace(c.Kind)
	if c.ID != "" && !strings.HasPrefix(c.ID, monitor.CustomPrefix) {
		c.ID = monitor.CustomPrefix + c.ID
	}
	ctls, err := org.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		return c, err
	}
	known := make(map[string]bool, len(ctls))
	for _, ctl := range ctls {
		known[ctl.ID] = true
	}
	if err := monitor.ValidateCheck(c, func(id string) bool { return known[id] }); err != nil {
		return c, err
	}
	c.Custom = true
	return c, nil
}

// plainError turns an *assay.Error into "field: message" for the terminal.
func plainError(err error) error {
	var e *assay.Error
	if errors.As(err, &e) {
		if e.Field != "" {
			return fmt.Errorf("%s: %s", e.Field, e.Message)
		}
		return errors.New(e.Message)
	}
	return err
}

// customCheck finds a custom check of the organisation; a library check
// is refused by name.
func customCheck(ctx context.Context, services *app.App, org store.OrgStore, id string) (assay.Check, error) {
	checks, err := services.Checks(ctx, org)
	if err != nil {
		return assay.Check{}, err
	}
	i := slices.IndexFunc(checks, func(c assay.Check) bool { return c.ID == id })
	switch {
	case i < 0:
		return assay.Check{}, fmt.Errorf("no check %q (see `assay check list`)", id)
	case !checks[i].Custom:
		return assay.Check{}, fmt.Errorf("check %s is part of the check library and cannot be changed or deleted; write a custom check instead", id)
	}
	return checks[i], nil
}

func printSavedCheck(cmd *cobra.Command, c assay.Check, verb string, asJSON bool) error {
	if asJSON {
		return printJSON(cmd.OutOrStdout(), c)
	}
	cmd.Printf("Custom check %s %s: %s (%s, %s, controls %s).\n", c.ID, verb, c.Title, c.Kind, c.Severity, strings.Join(c.Controls, ", "))
	cmd.Println("It runs with the next run of each source of that kind (`assay check run`).")
	return nil
}

func newCheckAddCmd(g *globals) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Add a custom check (its expression is compiled before anything is saved)",
		Example: "  assay check add --id s3-owner --title \"Buckets have an owner tag\" --kind terraform.aws_s3_bucket \\\n" +
			"    --expr \"has(r.tags) && 'owner' in r.tags\" --reason '{{.Name}} has no owner tag' --control DAT-01\n" +
			"  assay check add --file check.json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			c := assay.Check{Severity: assay.SeverityMedium}
			if err := f.apply(cmd, &c); err != nil {
				return err
			}
			m, err := g.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			org, err := firstOrg(ctx, m.Store, f.orgSlug)
			if err != nil {
				return err
			}
			os := m.Store.Org(org.ID)
			if c, err = compileCheck(ctx, os, c); err != nil {
				return plainError(err)
			}
			saved, err := os.CreateCustomCheck(ctx, cliActor, c)
			if err != nil {
				return plainError(err)
			}
			return printSavedCheck(cmd, saved, "added", f.asJSON)
		},
	}
	f.register(cmd, true)
	return cmd
}

func newCheckUpdateCmd(g *globals) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "update ID",
		Short: "Change a custom check: the fields given replace the stored ones (its id stays)",
		Example: "  assay check update custom-s3-owner --severity high\n" +
			"  assay check update custom-s3-owner --file check.json",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			m, err := g.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			org, err := firstOrg(ctx, m.Store, f.orgSlug)
			if err != nil {
				return err
			}
			os := m.Store.Org(org.ID)
			c, err := customCheck(ctx, m.App, os, args[0])
			if err != nil {
				return err
			}
			if err := f.apply(cmd, &c); err != nil {
				return err
			}
			c.ID = args[0]
			if c, err = compileCheck(ctx, os, c); err != nil {
				return plainError(err)
			}
			saved, err := os.UpdateCustomCheck(ctx, cliActor, args[0], c)
			if err != nil {
				return plainError(err)
			}
			return printSavedCheck(cmd, saved, "updated", f.asJSON)
		},
	}
	f.register(cmd, false)
	return cmd
}

func newCheckDeleteCmd(g *globals) *cobra.Command {
	var orgSlug string
	cmd := &cobra.Command{
		Use:   "delete ID",
		Short: "Delete a custom check: its history stays, its current results end and its open findings close",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
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
			os := m.Store.Org(org.ID)
			if _, err := customCheck(ctx, m.App, os, args[0]); err != nil {
				return err
			}
			open, err := openFindingsOf(ctx, os, args[0])
			if err != nil {
				return err
			}
			if err := os.DeleteCustomCheck(ctx, cliActor, args[0]); err != nil {
				return plainError(err)
			}
			cmd.Printf("Custom check %s deleted; its history is kept.", args[0])
			if open > 0 {
				cmd.Printf(" %d open finding(s) closed.", open)
			}
			cmd.Println()
			return nil
		},
	}
	cmd.Flags().StringVar(&orgSlug, "org", "", "organisation slug (default: the only one)")
	return cmd
}

// openFindingsOf counts a check's open findings.
func openFindingsOf(ctx context.Context, org store.OrgStore, checkID string) (int, error) {
	list, err := org.Findings(ctx, true)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range list {
		if f.CheckID == checkID {
			n++
		}
	}
	return n, nil
}
