package export

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
	"github.com/assay-platform/assay/store"
)

// Where a bundle keeps the populations of an engagement's samples and the
// ledger range that proves them complete.
const (
	populationsDir = "populations/"
	RangePath      = "ledger/range.json"
)

// PopulationRecord is populations/sample-<id>.json: a sample, the
// population it was drawn from as frozen then (items and provenance), and
// the engagement's window the population covers.
type PopulationRecord struct {
	AuditID     int64            `json:"audit_id"`
	SampleID    int64            `json:"sample_id"`
	WindowStart time.Time        `json:"window_start"` // included
	WindowEnd   time.Time        `json:"window_end"`   // excluded
	Population  assay.Population `json:"population"`
	Seed        uint64           `json:"seed,string"`
	Size        int              `json:"size"`
	Keys        []string         `json:"sample_keys"`
}

// ManifestPopulation lists one population in manifest.json.
type ManifestPopulation struct {
	Path       string `json:"path"`
	SampleID   int64  `json:"sample_id"`
	Kind       string `json:"kind"`
	ControlID  string `json:"control_id,omitempty"`
	Count      int    `json:"count"`
	Digest     string `json:"digest"`
	RowsDigest string `json:"rows_digest"`
	// FromLedger is true when the population can be listed again from the
	// ledger's entries alone (ledger/range.json), which verify does.
	FromLedger bool `json:"from_ledger"`
}

func (p PopulationRecord) path() string {
	return populationsDir + "sample-" + strconv.FormatInt(p.SampleID, 10) + ".json"
}

// AuditPopulations gathers the populations of the engagement's samples,
// as frozen when each was drawn, and the ledger range that holds every
// entry from the newest checkpoint signed at or before the engagement's
// start to cp (a checkpoint signed now): with it, anyone can list the
// ledger-based populations again and see that none lost or gained a row.
func AuditPopulations(ctx context.Context, os store.OrgStore, lg store.Ledger, a assay.Audit, cp ledger.Checkpoint) ([]PopulationRecord, *ledger.RangeProof, error) {
	samples, err := os.AuditSamples(ctx, a.ID)
	if err != nil || len(samples) == 0 {
		return nil, nil, err
	}
	start, end := a.Window()
	var recs []PopulationRecord
	for _, s := range samples {
		pop, err := os.AuditSamplePopulation(ctx, a.ID, s.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("export: sample %d: %w", s.ID, err)
		}
		recs = append(recs, PopulationRecord{AuditID: a.ID, SampleID: s.ID, WindowStart: start.UTC(), WindowEnd: end.UTC(),
			Population: pop, Seed: s.Seed, Size: s.Size, Keys: s.Keys})
	}
	var first ledger.Checkpoint
	switch c, err := lg.CheckpointBefore(ctx, start); {
	case err == nil:
		first = c
	case assay.ErrorCode(err) != assay.ENOTFOUND:
		return nil, nil, err
	}
	rng, err := os.LedgerRange(ctx, first.Size, cp.Size)
	if err != nil {
		return nil, nil, fmt.Errorf("export: ledger range: %w", err)
	}
	rng.FromNote, rng.ToNote = first.Note, cp.Note
	return recs, &rng, nil
}

// rangeEntry is what a population reads of a ledger entry.
type rangeEntry struct {
	Seq        int64           `json:"seq"`
	At         string          `json:"at"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	After      json.RawMessage `json:"after"`
}

// FromLedger reports whether a kind of population can be listed from the
// ledger's entries alone. Evidence cannot: an item in force during the
// period may have been recorded long before it.
func FromLedger(kind string) bool {
	switch kind {
	case assay.PopulationChanges, assay.PopulationControlChanges, assay.PopulationPeople, assay.PopulationCheckRuns:
		return true
	}
	return false
}

// PopulationKeysFromLedger lists a population's keys again from the
// organisation's ledger entries (their canonical leaf data), with the
// same definition as the store's query (assay.PopulationDefinitions):
//
//	changes          every entry with start <= at < end and seq <= cutoff: "activity:<seq>"
//	control_changes  those about the control (object_type "control", object_id the control)
//	people           user.create and user.scim entries up to the cutoff whose user
//	                 (after) has no engagement and start <= created_at < end: "user:<id>"
//	check_runs       monitor.run entries up to the cutoff whose run (after.run) has
//	                 start <= started_at < end: "run:<id>"
func PopulationKeysFromLedger(rec PopulationRecord, leaves []string) ([]string, error) {
	pop := rec.Population
	ws, we := rec.WindowStart.UTC().Format(ledger.TimeLayout), rec.WindowEnd.UTC().Format(ledger.TimeLayout)
	within := func(t time.Time) bool { return !t.Before(rec.WindowStart) && t.Before(rec.WindowEnd) }
	keys := []string{}
	seenUser := map[string]bool{}
	for _, raw := range leaves {
		var e rangeEntry
		if err := json.Unmarshal([]byte(raw), &e); err != nil {
			return nil, fmt.Errorf("a ledger entry is not valid JSON (%v)", err)
		}
		if e.Seq > pop.CutoffSeq {
			continue
		}
		switch pop.Kind {
		case assay.PopulationChanges, assay.PopulationControlChanges:
			if e.At < ws || e.At >= we {
				continue
			}
			if pop.Kind == assay.PopulationControlChanges && (e.ObjectType != "control" || e.ObjectID != pop.ControlID) {
				continue
			}
			keys = append(keys, "activity:"+strconv.FormatInt(e.Seq, 10))
		case assay.PopulationPeople:
			// A user is created by user.create, or by an identity provider
			// (user.scim, whose entries after a user's creation name the
			// same user again: kept once).
			if e.Action != "user.create" && e.Action != assay.EventSCIMChange {
				continue
			}
			if seenUser[e.ObjectID] {
				continue
			}
			var u struct {
				EngagementID int64     `json:"engagement_id"`
				CreatedAt    time.Time `json:"created_at"`
			}
			if err := json.Unmarshal(e.After, &u); err != nil {
				return nil, fmt.Errorf("ledger entry #%d: the user it adds is not readable (%v)", e.Seq, err)
			}
			if u.EngagementID == 0 && within(u.CreatedAt) {
				seenUser[e.ObjectID] = true
				keys = append(keys, "user:"+e.ObjectID)
			}
		case assay.PopulationCheckRuns:
			if e.Action != "monitor.run" {
				continue
			}
			var r struct {
				Run struct {
					StartedAt time.Time `json:"started_at"`
				} `json:"run"`
			}
			if err := json.Unmarshal(e.After, &r); err != nil {
				return nil, fmt.Errorf("ledger entry #%d: the run it records is not readable (%v)", e.Seq, err)
			}
			if within(r.Run.StartedAt) {
				keys = append(keys, "run:"+e.ObjectID)
			}
		default:
			return nil, fmt.Errorf("the %s population cannot be listed from the ledger", pop.Kind)
		}
	}
	return keys, nil
}
