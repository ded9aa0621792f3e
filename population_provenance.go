package assay

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// PopulationProvenance says where a population came from, so an auditor
// can judge it as information produced by the entity: what produced it,
// with which query and parameters, when, how many rows, and digests of its
// keys and of its rows. It is recorded with the population when a sample
// is drawn from it, and exported with it.
type PopulationProvenance struct {
	Producer   string    `json:"producer"`   // "assay <version>"
	Definition string    `json:"definition"` // what the population holds, in words
	Query      string    `json:"query"`      // the SQL that listed it
	Params     []string  `json:"params"`     // the query's parameters, in order
	ProducedAt time.Time `json:"produced_at"`
	Count      int       `json:"count"`
	Digest     string    `json:"digest"`      // PopulationDigest of the sorted keys
	RowsDigest string    `json:"rows_digest"` // RowsDigest of the items
	// Sources are, for monitoring data, the sources whose runs it holds
	// and the collector that read each.
	Sources []PopulationSource `json:"sources,omitempty"`
}

// PopulationSource is a monitoring source behind a population.
type PopulationSource struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Collector string `json:"collector"` // the collector and the Assay version it shipped in
}

// PopulationDefinitions says in words what each kind of population holds.
var PopulationDefinitions = map[string]string{
	PopulationEvidence:       "Evidence items attached to the control whose period overlaps the engagement's period (or, without a period, collected within it), as recorded by the cutoff entry.",
	PopulationControlChanges: "Activity entries about the control recorded within the engagement's period, up to the cutoff entry.",
	PopulationPeople:         "Users created within the engagement's period (invited auditors excluded), up to the cutoff entry: the period's new hires.",
	PopulationChanges:        "Every activity entry of the organisation recorded within the engagement's period, up to the cutoff entry.",
	PopulationCheckRuns:      "Monitoring runs of every source that started within the engagement's period and were recorded by the cutoff entry.",
	PopulationAssayAccess:    "Access to Assay: every user account of the organisation created by the cutoff entry, with its role, last sign-in, second factor (TOTP or passkey) and deactivation, as the database held them when listed.",
}

// RowsDigest is the lower-case hex SHA-256 of the items in key order, each
// written as one line of JSON ({"key","label","at"} with "at" in RFC 3339
// UTC) followed by a newline.
func RowsDigest(items []PopulationItem) string {
	h := sha256.New()
	for _, it := range items {
		b, _ := json.Marshal(struct {
			Key   string `json:"key"`
			Label string `json:"label"`
			At    string `json:"at"`
		}{it.Key, it.Label, it.At.UTC().Format(time.RFC3339Nano)})
		h.Write(b)
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}
