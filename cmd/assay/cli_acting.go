package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay/app"
)

// acting describes a command that calls the application services as
// someone. actingCommand adds the acting flags (--org, --as, --json), reads
// the id arguments and runs Before before the store opens, then opens it and
// runs Run with who acts.
type acting struct {
	Use, Short, Long, Example string
	Args                      cobra.PositionalArgs
	// IDs are the kinds of the leading id arguments ("risk", "campaign"),
	// read as positive numbers ("risk id "x": give a number"); see call.ID.
	IDs []string
	// Flags adds the command's own flags.
	Flags func(fl *pflag.FlagSet)
	// Before checks and reads what needs no store (dates, files), so that
	// bad input fails before the store opens. Optional.
	Before func(c *call) error
	Run    func(c *call) error
}

// call is one run of an acting command.
type call struct {
	ctx  context.Context
	cmd  *cobra.Command
	args []string
	ids  []int64
	json bool
	w    io.Writer
	// m and p are set for Run, not for Before.
	m *Main
	p app.Principal
}

func actingCommand(g *globals, s acting) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use: s.Use, Short: s.Short, Long: s.Long, Example: s.Example, Args: s.Args,
		RunE: func(cmd *cobra.Command, args []string) error {
			c := &call{ctx: cmd.Context(), cmd: cmd, args: args, json: f.asJSON, w: cmd.OutOrStdout()}
			for i, kind := range s.IDs {
				if i >= len(args) {
					break
				}
				id, err := recordID(kind, args[i])
				if err != nil {
					return err
				}
				c.ids = append(c.ids, id)
			}
			if s.Before != nil {
				if err := s.Before(c); err != nil {
					return err
				}
			}
			m, p, err := f.principal(c.ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			c.m, c.p = m, p
			return s.Run(c)
		},
	}
	f.add(cmd)
	if s.Flags != nil {
		s.Flags(cmd.Flags())
	}
	return cmd
}

// idHints end the error of a bad id of some kinds.
var idHints = map[string]string{"policy": " (see assay policy list)"}

// recordID reads the id argument of a command about one kind of record.
func recordID(kind, arg string) (int64, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%s id %q: give a number%s", kind, arg, idHints[kind])
	}
	return id, nil
}

// ID is the i-th id argument named in IDs (0 when an optional one is not
// given).
func (c *call) ID(i int) int64 {
	if i < len(c.ids) {
		return c.ids[i]
	}
	return 0
}

// changed reports whether the flag was given.
func (c *call) changed(name string) bool { return c.cmd.Flags().Changed(name) }

// Out prints v as JSON with --json, else the text.
func (c *call) Out(v any, text func(w io.Writer) error) error {
	if c.json {
		return printJSON(c.w, v)
	}
	return text(c.w)
}

// Line prints v as JSON with --json, else one line of text.
func (c *call) Line(v any, format string, args ...any) error {
	if c.json {
		return printJSON(c.w, v)
	}
	_, err := fmt.Fprintf(c.w, format+"\n", args...)
	return err
}

// List prints {key: items, "count": n} with --json, else the text.
func (c *call) List(key string, items any, n int, text func(w io.Writer) error) error {
	return c.Out(map[string]any{key: items, "count": n}, text)
}

// table writes a tab-separated header and rows aligned in columns.
func table(w io.Writer, header string, rows func(tw io.Writer)) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	rows(tw)
	return tw.Flush()
}

// mapSlice is f of each item of in.
func mapSlice[T, V any](in []T, f func(T) V) []V {
	out := make([]V, len(in))
	for i, x := range in {
		out[i] = f(x)
	}
	return out
}

// setChanged sets *dst to v if the flag was given.
func setChanged[T any](c *call, flag string, dst *T, v T) {
	if c.changed(flag) {
		*dst = v
	}
}
