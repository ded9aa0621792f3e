package export

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
)

// PopulationReport is what verify found of one population.
type PopulationReport struct {
	Path      string `json:"path"`
	Kind      string `json:"kind"`
	ControlID string `json:"control_id,omitempty"`
	Count     int    `json:"count"`
	// FromLedger is true when the population was listed again from the
	// ledger range and matched; false when only its own digests and the
	// sample drawn from it were checked (evidence populations).
	FromLedger bool `json:"from_ledger"`
}

// verifyPopulations checks each listed population: its digests and count,
// that the sample is what the documented draw gives from it, and, for
// ledger-based kinds, that the ledger range (both checkpoints signed by v)
// lists exactly its rows.
func verifyPopulations(m Manifest, read func(string) ([]byte, error), v note.Verifier) ([]PopulationReport, error) {
	if len(m.Populations) == 0 {
		return nil, nil
	}
	var own []string
	var rangeStart ledger.Tree
	var rangeSigned bool
	needRange := slices.ContainsFunc(m.Populations, func(p ManifestPopulation) bool { return FromLedger(p.Kind) })
	if needRange {
		raw, err := read(RangePath)
		if err != nil {
			return nil, err
		}
		var rng ledger.RangeProof
		if err := json.Unmarshal(raw, &rng); err != nil {
			return nil, fail("%s is not valid JSON (%v).", RangePath, err)
		}
		if own, err = rng.Check(v); err != nil {
			return nil, fail("The ledger range does not prove the entries complete: %v.", err)
		}
		rangeStart, rangeSigned = rng.From, rng.FromNote != ""
		if rangeSigned {
			_, at, _ := ledger.OpenCheckpoint(rng.FromNote, v)
			for _, p := range m.Populations {
				rec, err := readRecord(read, p)
				if err != nil {
					return nil, err
				}
				if FromLedger(p.Kind) && at.After(rec.WindowStart) {
					return nil, fail("The ledger range starts at a checkpoint signed %s, after the period of %s began (%s): it may miss entries.",
						at.Format("2006-01-02 15:04"), p.Path, rec.WindowStart.Format("2006-01-02"))
				}
			}
		}
	}
	var out []PopulationReport
	for _, p := range m.Populations {
		rec, err := readRecord(read, p)
		if err != nil {
			return nil, err
		}
		pop := rec.Population
		keys := assay.SortedKeys(pop.Items)
		if got := assay.PopulationDigest(keys); got != pop.Digest || got != p.Digest {
			return nil, fail("%s: its %d rows have the digest %s, but it records %s (manifest.json: %s): a row was added, removed or changed.", p.Path, len(keys), got, pop.Digest, p.Digest)
		}
		if len(keys) != p.Count {
			return nil, fail("%s holds %d rows, but manifest.json says %d.", p.Path, len(keys), p.Count)
		}
		if pop.Provenance != nil {
			if got := assay.RowsDigest(pop.Items); got != pop.Provenance.RowsDigest || got != p.RowsDigest {
				return nil, fail("%s: its rows have the digest %s, but its provenance records %s: a row was changed.", p.Path, got, pop.Provenance.RowsDigest)
			}
			if pop.Provenance.Count != len(keys) {
				return nil, fail("%s holds %d rows, but its provenance counted %d.", p.Path, len(keys), pop.Provenance.Count)
			}
		}
		if drawn := assay.DrawSample(keys, rec.Seed, rec.Size); !slices.Equal(drawn, rec.Keys) {
			return nil, fail("%s: the sample drawn with seed %d is not the sample recorded.", p.Path, rec.Seed)
		}
		r := PopulationReport{Path: p.Path, Kind: pop.Kind, ControlID: pop.ControlID, Count: len(keys)}
		if FromLedger(pop.Kind) {
			again, err := PopulationKeysFromLedger(rec, own)
			if err != nil {
				return nil, fail("%s: %v.", p.Path, err)
			}
			slices.Sort(again)
			if missing, extra := diffKeys(again, keys); len(missing)+len(extra) > 0 {
				return nil, fail("%s does not match the ledger: %d rows the ledger holds are missing (%s), %d rows are not in the ledger (%s).",
					p.Path, len(missing), sample(missing), len(extra), sample(extra))
			}
			if !rangeSigned && rangeStart.Size != 0 {
				return nil, fail("The ledger range does not start at a signed checkpoint.")
			}
			r.FromLedger = true
		}
		out = append(out, r)
	}
	return out, nil
}

func readRecord(read func(string) ([]byte, error), p ManifestPopulation) (PopulationRecord, error) {
	var rec PopulationRecord
	if !strings.HasPrefix(p.Path, populationsDir) {
		return rec, fail("manifest.json lists a population at %s, outside %s.", p.Path, populationsDir)
	}
	raw, err := read(p.Path)
	if err != nil {
		return rec, err
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		return rec, fail("%s is not valid JSON (%v).", p.Path, err)
	}
	if rec.SampleID != p.SampleID || rec.Population.Kind != p.Kind || rec.Population.ControlID != p.ControlID {
		return rec, fail("%s is not the population manifest.json lists there.", p.Path)
	}
	return rec, nil
}

// diffKeys compares two sorted key lists.
func diffKeys(want, got []string) (missing, extra []string) {
	i, j := 0, 0
	for i < len(want) || j < len(got) {
		switch {
		case j >= len(got) || (i < len(want) && want[i] < got[j]):
			missing = append(missing, want[i])
			i++
		case i >= len(want) || got[j] < want[i]:
			extra = append(extra, got[j])
			j++
		default:
			i++
			j++
		}
	}
	return missing, extra
}

func sample(keys []string) string {
	if len(keys) == 0 {
		return "none"
	}
	if len(keys) > 3 {
		return strings.Join(keys[:3], ", ") + fmt.Sprintf(" and %d more", len(keys)-3)
	}
	return strings.Join(keys, ", ")
}
