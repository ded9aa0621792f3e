package assay

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"slices"
	"time"
)

// Population kinds an auditor may sample from.
const (
	PopulationEvidence       = "evidence"        // evidence items of a control within the period
	PopulationControlChanges = "control_changes" // activity entries (changes) of a control within the period
	PopulationPeople         = "people"          // users created (onboarded) within the period, not invited auditors
	PopulationChanges        = "changes"         // every activity entry within the period
	PopulationCheckRuns      = "check_runs"      // monitoring runs of every source started within the period
	// PopulationAssayAccess is Assay's own user accounts as they stood at
	// the cutoff: who has access to Assay itself, with role, creation,
	// last sign-in, second factor and deactivation.
	PopulationAssayAccess = "assay_access"
)

// PopulationKinds lists every kind.
var PopulationKinds = []string{PopulationEvidence, PopulationControlChanges, PopulationPeople, PopulationChanges, PopulationCheckRuns, PopulationAssayAccess}

// PopulationNeedsControl reports whether the kind is per control.
func PopulationNeedsControl(kind string) bool {
	return kind == PopulationEvidence || kind == PopulationControlChanges
}

// PopulationItem is one member of a population. Key is stable and unique
// ("evidence:12", "activity:345", "user:7"); it is what samples record.
type PopulationItem struct {
	Key   string    `json:"key"`
	Label string    `json:"label"`
	At    time.Time `json:"at"`
}

// Population is what a sample is drawn from.
type Population struct {
	Kind      string           `json:"kind"`
	ControlID string           `json:"control_id,omitempty"`
	CutoffSeq int64            `json:"cutoff_seq"` // the last activity entry it may include
	Digest    string           `json:"digest"`
	Items     []PopulationItem `json:"items"`
	// Provenance is where the population came from (nil for populations
	// frozen before provenance was recorded).
	Provenance *PopulationProvenance `json:"provenance,omitempty"`
	// Frozen is true when this is the copy kept with a sample, not a
	// fresh listing.
	Frozen bool `json:"frozen,omitempty"`
}

// AuditSample is a recorded sample. It is never changed or deleted.
type AuditSample struct {
	ID               int64  `json:"id"`
	AuditID          int64  `json:"audit_id"`
	Population       string `json:"population"`
	ControlID        string `json:"control_id,omitempty"`
	PopulationSize   int    `json:"population_size"`
	PopulationDigest string `json:"population_digest"`
	// RowsDigest is the SHA-256 of the population's rows (RowsDigest) as
	// frozen with the sample; empty for samples drawn before rows were kept.
	RowsDigest string `json:"rows_digest,omitempty"`
	// CutoffSeq is the last activity entry when the sample was drawn: the
	// population is listed as it stood then, so anyone can list it again.
	CutoffSeq     int64     `json:"cutoff_seq"`
	Seed          uint64    `json:"seed,string"`
	Size          int       `json:"size"`
	Keys          []string  `json:"keys"`
	CreatedByName string    `json:"created_by_name"`
	CreatedAt     time.Time `json:"created_at"`
}

// NewSample is the input to draw a sample. A nil Seed asks for a random one.
type NewSample struct {
	Population string  `json:"population"`
	ControlID  string  `json:"control_id"`
	Size       int     `json:"size"`
	Seed       *uint64 `json:"seed,string"`
}

// MaxSampleSize bounds one sample.
const MaxSampleSize = 1000

// DefaultSampleSize is the usual size of a sample from a population of n
// (the table auditors commonly start from for a control tested once per
// item): all of 1 to 5, five of 6 to 50, a tenth (rounded up) of 51 to
// 250, and 25 of more. The auditor may choose another size.
func DefaultSampleSize(n int) int {
	switch {
	case n <= 5:
		return n
	case n <= 50:
		return 5
	case n <= 250:
		return (n + 9) / 10
	}
	return 25
}

// SortedKeys returns the population's keys sorted bytewise.
func SortedKeys(items []PopulationItem) []string {
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = it.Key
	}
	slices.Sort(keys)
	return keys
}

// PopulationDigest is the lower-case hex SHA-256 of the sorted keys, each
// followed by a newline ("\n").
func PopulationDigest(sortedKeys []string) string {
	h := sha256.New()
	for _, k := range sortedKeys {
		h.Write([]byte(k))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// DrawSample is the documented sampling algorithm (README, "Samples"):
// sort the keys bytewise; seed math/rand/v2's PCG with (seed, 0); for i
// from len-1 down to 1 swap keys[i] with keys[j], j = Uint64() mod (i+1);
// take the first n (all of them when n exceeds the population).
func DrawSample(keys []string, seed uint64, n int) []string {
	k := slices.Clone(keys)
	slices.Sort(k)
	rng := rand.New(rand.NewPCG(seed, 0))
	for i := len(k) - 1; i > 0; i-- {
		j := int(rng.Uint64() % uint64(i+1))
		k[i], k[j] = k[j], k[i]
	}
	if n > len(k) {
		n = len(k)
	}
	return k[:n]
}
