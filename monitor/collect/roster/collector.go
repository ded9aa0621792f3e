// Package roster collects identity provider accounts from a user list:
// the export of Google Workspace, Okta, Microsoft Entra ID, JumpCloud,
// Rippling or BambooHR, recognised by its header, or a generic roster
// CSV from any tool that can write one. One "idp.account" resource per
// row, keyed by lower-cased email.
package roster

import (
	"context"
	"log/slog"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

// KindAccount is the resource kind of one identity provider account.
const KindAccount = "idp.account"

// SettingDeparted names the setting listing the emails of people who have
// left (separated by commas, semicolons, spaces or new lines). It adds to
// an optional departed column of the CSV.
const SettingDeparted = "departed"

type collector struct{ clock assay.Clock }

// New returns the roster collector on the system clock.
func New() monitor.Collector { return collector{clock: assay.SystemClock{}} }

// NewWithClock returns the roster collector measuring last-login ages
// against clock.
func NewWithClock(clock assay.Clock) monitor.Collector { return collector{clock: clock} }

func (collector) Kind() string            { return "roster" }
func (collector) ResourceKinds() []string { return []string{KindAccount} }

// Validate checks the departed setting and, when a CSV is attached, that
// it parses.
func (c collector) Validate(cfg monitor.Config) error {
	departed, err := departedSetting(cfg.Settings[SettingDeparted])
	if err != nil {
		return err
	}
	if len(cfg.Input) == 0 {
		return nil
	}
	_, err = Parse(cfg.Input, departed, c.clock.Now())
	return err
}

func (c collector) Collect(ctx context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	res, notes, err := c.CollectNotes(ctx, cfg)
	for _, n := range notes {
		monitor.Note(ctx, "%s", n) // kept with the run
	}
	return res, err
}

// CollectNotes is Collect that also returns what the import should tell
// its user ("Read as a Google Workspace user export: 412 users.", what the
// export does not say). The notes are logged too.
func (c collector) CollectNotes(ctx context.Context, cfg monitor.Config) ([]assay.Resource, []string, error) {
	departed, err := departedSetting(cfg.Settings[SettingDeparted])
	if err != nil {
		return nil, nil, err
	}
	if len(cfg.Input) == 0 {
		return nil, nil, assay.Invalid("input", "no roster CSV was uploaded: export the user list of your identity provider as CSV")
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	r, err := Read(cfg.Input, departed, c.clock.Now())
	if err != nil {
		return nil, nil, err
	}
	for _, n := range r.Notes {
		slog.InfoContext(ctx, "roster import", "format", r.Format, "note", n)
	}
	return r.Resources, r.Notes, nil
}

// departedSetting parses the departed setting into a set of lower-cased
// emails.
func departedSetting(s string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	}) {
		if !strings.Contains(f, "@") {
			return nil, assay.Invalid(SettingDeparted, "departed: %q is not an email address", f)
		}
		out[strings.ToLower(f)] = true
	}
	return out, nil
}
