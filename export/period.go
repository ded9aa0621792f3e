// Package export produces what auditors take away for one organisation
// over a period: the control matrix (XLSX), the evidence bundle (a zip that
// `assay verify BUNDLE.zip` checks offline) and OSCAL assessment results.
//
// It takes plain inputs (a Period and the organisation's Data), so the
// server, the CLI and, later, an audit engagement with its frozen scope all
// call it the same way.
package export

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
	"github.com/assay-platform/assay/store"
)

// Period is the span an export covers: From and To are whole days (UTC),
// and To is included.
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// ParsePeriod reads two dates (YYYY-MM-DD). An empty to is today; an empty
// from is a year before to.
func ParsePeriod(from, to string, now time.Time) (Period, error) {
	var p Period
	var err error
	if to == "" {
		p.To = assay.Day(now)
	} else if p.To, err = time.Parse(time.DateOnly, to); err != nil {
		return p, assay.Invalid("to", "The period's end %q is not a date (YYYY-MM-DD).", to)
	}
	if from == "" {
		p.From = p.To.AddDate(-1, 0, 1)
	} else if p.From, err = time.Parse(time.DateOnly, from); err != nil {
		return p, assay.Invalid("from", "The period's start %q is not a date (YYYY-MM-DD).", from)
	}
	return p, p.Validate()
}

// Validate checks that the period runs forwards.
func (p Period) Validate() error {
	if p.From.IsZero() || p.To.IsZero() {
		return assay.Invalid("from", "An export needs a period: from and to dates.")
	}
	if p.To.Before(p.From) {
		return assay.Invalid("to", "The period ends (%s) before it starts (%s).", p.To.Format(time.DateOnly), p.From.Format(time.DateOnly))
	}
	return nil
}

// Start is the first instant of the period.
func (p Period) Start() time.Time { return assay.Day(p.From) }

// End is the first instant after the period (midnight after To).
func (p Period) End() time.Time { return assay.Day(p.To).AddDate(0, 0, 1) }

// String is "YYYY-MM-DD to YYYY-MM-DD".
func (p Period) String() string {
	return p.From.Format(time.DateOnly) + " to " + p.To.Format(time.DateOnly)
}

// StatusChange is one recorded status of a control: from At on, the
// control had Status (the activity entry Seq recorded it).
type StatusChange struct {
	Seq    int64
	At     time.Time
	Status assay.ControlStatus
}

// Item is an evidence item in force during the period, with the ledger
// entry that recorded it.
type Item struct {
	assay.Evidence
	Seq          int64     // the evidence.create entry
	SupersededAt time.Time // zero unless superseded
}

// Data is everything an export reads about one organisation and period.
// Load fills it from a store; an audit engagement can build it from its
// frozen scope instead.
type Data struct {
	Org         assay.Organization
	Period      Period
	GeneratedAt time.Time
	Criteria    []assay.Criterion // the in-scope criteria, in framework order
	Controls    []assay.Control
	Evidence    []Item                    // in force at some time during the period
	History     map[string][]StatusChange // per control id, oldest first
	// Checkpoint is the signed checkpoint the export refers to (nil when
	// none: the summary says so).
	Checkpoint *ledger.Checkpoint

	// Monitoring is, per control that checks test, its automated testing
	// over the period (export/monitoring.go).
	Monitoring map[string]assay.PeriodMonitoring
}

// Load reads the organisation's controls, in-scope criteria, evidence in
// force during the period, control status history and the automated
// testing its checks (the library and its custom checks) did.
func Load(ctx context.Context, os store.OrgStore, criteria []assay.Criterion, checks []assay.Check, p Period, now time.Time) (*Data, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	org, err := os.Organization(ctx)
	if err != nil {
		return nil, err
	}
	d := &Data{Org: org, Period: p, GeneratedAt: now.UTC(), History: map[string][]StatusChange{}}
	for _, c := range criteria {
		if org.Scope.Has(c.Category) {
			d.Criteria = append(d.Criteria, c)
		}
	}
	if d.Controls, err = os.Controls(ctx, assay.ControlFilter{}); err != nil {
		return nil, err
	}
	if err := d.loadHistory(ctx, os); err != nil {
		return nil, err
	}
	if err := d.loadEvidence(ctx, os); err != nil {
		return nil, err
	}
	if err := d.loadMonitoring(ctx, os, checks); err != nil {
		return nil, err
	}
	return d, nil
}

// allActivity pages through the organisation's entries of one object type,
// oldest first.
func allActivity(ctx context.Context, os store.OrgStore, objectType string) ([]assay.Activity, error) {
	var out []assay.Activity
	f := assay.ActivityFilter{ObjectType: objectType, Limit: 1000}
	for {
		page, err := os.Activity(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			break
		}
		f.BeforeSeq = page[len(page)-1].Seq
	}
	slices.Reverse(out)
	return out, nil
}

func (d *Data) loadHistory(ctx context.Context, os store.OrgStore) error {
	end := d.Period.End()
	var entries []assay.Activity
	for _, t := range []string{"organization", "control"} {
		es, err := allActivity(ctx, os, t)
		if err != nil {
			return err
		}
		entries = append(entries, es...)
	}
	slices.SortFunc(entries, func(a, b assay.Activity) int { return int(a.Seq - b.Seq) })
	type state struct {
		ID     string              `json:"id"`
		Status assay.ControlStatus `json:"status"`
	}
	add := func(a assay.Activity, c state) {
		h := d.History[c.ID]
		if len(h) > 0 && h[len(h)-1].Status == c.Status {
			return
		}
		d.History[c.ID] = append(h, StatusChange{Seq: a.Seq, At: a.At.UTC(), Status: c.Status})
	}
	for _, a := range entries {
		if !a.At.Before(end) {
			break
		}
		switch a.Action {
		case "control.adopt_library":
			var v struct {
				Adopted []state `json:"adopted"`
			}
			if err := json.Unmarshal(a.After, &v); err != nil {
				return fmt.Errorf("activity entry #%d: %w", a.Seq, err)
			}
			for _, c := range v.Adopted {
				add(a, c)
			}
		case "control.create", "control.update":
			var c state
			if err := json.Unmarshal(a.After, &c); err != nil {
				return fmt.Errorf("activity entry #%d: %w", a.Seq, err)
			}
			if c.ID == "" {
				c.ID = a.ObjectID
			}
			add(a, c)
		}
	}
	return nil
}

func (d *Data) loadEvidence(ctx context.Context, os store.OrgStore) error {
	entries, err := allActivity(ctx, os, "evidence")
	if err != nil {
		return err
	}
	created, superseded := map[string]int64{}, map[string]time.Time{}
	for _, a := range entries {
		switch a.Action {
		case "evidence.create":
			created[a.ObjectID] = a.Seq
		case "evidence.supersede":
			superseded[a.ObjectID] = a.At.UTC()
		}
	}
	list, err := os.EvidenceList(ctx, assay.EvidenceFilter{State: "all"})
	if err != nil {
		return err
	}
	start, end := d.Period.Start(), d.Period.End()
	for _, e := range list {
		id := strconv.FormatInt(e.ID, 10)
		it := Item{Evidence: e, Seq: created[id], SupersededAt: superseded[id]}
		if !e.CollectedAt.Before(end) || !e.ExpiresAt.After(start) {
			continue // collected after the period, or expired before it
		}
		if e.SupersededBy != 0 && !it.SupersededAt.IsZero() && !it.SupersededAt.After(start) {
			continue // replaced before the period began
		}
		d.Evidence = append(d.Evidence, it)
	}
	slices.SortFunc(d.Evidence, func(a, b Item) int { return int(a.ID - b.ID) })
	return nil
}

// EvidenceFor lists the items attached to a control.
func (d *Data) EvidenceFor(controlID string) []Item {
	var out []Item
	for _, it := range d.Evidence {
		if slices.Contains(it.Controls, controlID) {
			out = append(out, it)
		}
	}
	return out
}
