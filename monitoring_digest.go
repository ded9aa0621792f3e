package assay

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"slices"
	"strings"
)

// Run digest versions: how MonitorRun.Digest was computed. Runs recorded
// before version 2 existed keep version 1; new runs use DigestVersion.
const (
	// DigestV1 is RunDigest: one SHA-256 over every result line, sorted by
	// check id first.
	DigestV1 = 1
	// DigestV2 is RunDigestV2: a SHA-256 per resource over its result
	// lines, then one SHA-256 over those in resource id order, so a run can
	// be digested as its results stream, one resource at a time.
	DigestV2 = 2
	// DigestVersion is the version new runs are recorded with.
	DigestVersion = DigestV2
)

// RunDigestOf computes a run's digest of the given version over its
// results, in any order.
func RunDigestOf(version int, results []CheckResult) (string, error) {
	switch version {
	case DigestV1:
		return RunDigest(results), nil
	case DigestV2:
		return RunDigestV2(results), nil
	}
	return "", Invalid("digest_version", "Unknown run digest version %d; Assay knows versions 1 and 2.", version)
}

// VerifyRunDigest recomputes run's digest from results, with the version
// the run was recorded with (0 is read as 1), and says which differs.
func VerifyRunDigest(run MonitorRun, results []CheckResult) error {
	v := run.DigestVersion
	if v == 0 {
		v = DigestV1
	}
	got, err := RunDigestOf(v, results)
	if err != nil {
		return err
	}
	if got != run.Digest {
		return Errorf(ECONFLICT, "Run %d: its %d results have the version %d digest %s, but the run records %s: a result was added, removed or changed.",
			run.ID, len(results), v, got, run.Digest)
	}
	return nil
}

// appendResultLine appends the line a result contributes to a digest
// (both versions): check id, resource kind, resource id, status and
// reason, separated by NUL and ended by a newline.
func appendResultLine(buf []byte, r *CheckResult) []byte {
	buf = append(buf, r.CheckID...)
	buf = append(buf, 0)
	buf = append(buf, r.ResourceKind...)
	buf = append(buf, 0)
	buf = append(buf, r.ResourceID...)
	buf = append(buf, 0)
	buf = append(buf, r.Status...)
	buf = append(buf, 0)
	buf = append(buf, r.Reason...)
	return append(buf, '\n')
}

// compareLines orders results by their digest line: check id, resource
// kind, resource id, status, reason, comparing bytes.
func compareLines(a, b *CheckResult) int {
	if c := strings.Compare(a.CheckID, b.CheckID); c != 0 {
		return c
	}
	if c := strings.Compare(a.ResourceKind, b.ResourceKind); c != 0 {
		return c
	}
	if c := strings.Compare(a.ResourceID, b.ResourceID); c != 0 {
		return c
	}
	if c := strings.Compare(string(a.Status), string(b.Status)); c != 0 {
		return c
	}
	return strings.Compare(a.Reason, b.Reason)
}

// RunDigestV2 is the version 2 digest of a run's results, in any order:
//
//  1. Results are grouped by resource id (ResourceID, compared as bytes;
//     "" is the source itself).
//  2. Each group's results are sorted by check id, then resource kind,
//     resource id, status and reason (bytes), and the group's hash is the
//     SHA-256 of their lines, each "check NUL kind NUL resource NUL status
//     NUL reason LF" (the version 1 line).
//  3. The digest is the hex SHA-256 of the groups' 32-byte hashes,
//     concatenated in ascending resource id order.
//
// It is the reference implementation; RunDigester computes the same
// while a run's results stream.
func RunDigestV2(results []CheckResult) string {
	idx := make([]int, len(results))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(x, y int) int {
		a, b := &results[x], &results[y]
		if c := strings.Compare(a.ResourceID, b.ResourceID); c != 0 {
			return c
		}
		return compareLines(a, b)
	})
	top := sha256.New()
	var buf []byte
	for from := 0; from < len(idx); {
		to := from + 1
		for to < len(idx) && results[idx[to]].ResourceID == results[idx[from]].ResourceID {
			to++
		}
		buf = buf[:0]
		for _, i := range idx[from:to] {
			buf = appendResultLine(buf, &results[i])
		}
		sum := sha256.Sum256(buf)
		top.Write(sum[:])
		from = to
	}
	return hex.EncodeToString(top.Sum(nil))
}

// RunDigester computes RunDigestV2 one resource at a time: Add each
// resource's results as they come, in any resource order, then Sum. It
// keeps 32 bytes and the id per resource. Not safe for concurrent use.
type RunDigester struct {
	groups []digestGroup
	h      hash.Hash
	buf    []byte
	// perm is the sorted order of the last resource's results when they
	// did not come sorted; checks is the check ids it was made for.
	perm   []int
	checks []string
}

type digestGroup struct {
	id  string
	sum [sha256.Size]byte
}

// Add digests the results of one resource: every result carries the same
// ResourceID, and no other Add carries that id (Sum refuses a repeat).
func (d *RunDigester) Add(results []CheckResult) {
	if len(results) == 0 {
		return
	}
	if d.h == nil {
		d.h = sha256.New()
	}
	d.buf = d.buf[:0]
	if d.sorted(results) {
		for i := range results {
			d.buf = appendResultLine(d.buf, &results[i])
		}
	} else {
		for _, i := range d.order(results) {
			d.buf = appendResultLine(d.buf, &results[i])
		}
	}
	g := digestGroup{id: results[0].ResourceID}
	d.h.Reset()
	d.h.Write(d.buf)
	d.h.Sum(g.sum[:0])
	d.groups = append(d.groups, g)
}

// sorted reports whether results are in line order already.
func (d *RunDigester) sorted(results []CheckResult) bool {
	for i := 1; i < len(results); i++ {
		if compareLines(&results[i-1], &results[i]) > 0 {
			return false
		}
	}
	return true
}

// order returns the line order of results, reusing the last resource's
// when its checks came in the same order (resources of one kind do).
func (d *RunDigester) order(results []CheckResult) []int {
	same := len(d.checks) == len(results)
	for i := 0; same && i < len(results); i++ {
		same = d.checks[i] == results[i].CheckID
	}
	if same && d.isOrder(results) {
		return d.perm
	}
	d.perm, d.checks = d.perm[:0], d.checks[:0]
	for i := range results {
		d.perm = append(d.perm, i)
		d.checks = append(d.checks, results[i].CheckID)
	}
	slices.SortStableFunc(d.perm, func(x, y int) int { return compareLines(&results[x], &results[y]) })
	return d.perm
}

// isOrder checks that the cached permutation sorts results (equal check
// ids in one resource are rare; then the other fields decide).
func (d *RunDigester) isOrder(results []CheckResult) bool {
	for i := 1; i < len(d.perm); i++ {
		if compareLines(&results[d.perm[i-1]], &results[d.perm[i]]) > 0 {
			return false
		}
	}
	return true
}

// Sum returns the digest of every resource added so far. It fails when
// two Adds carried the same resource id.
func (d *RunDigester) Sum() (string, error) {
	slices.SortFunc(d.groups, func(a, b digestGroup) int { return strings.Compare(a.id, b.id) })
	top := sha256.New()
	for i, g := range d.groups {
		if i > 0 && d.groups[i-1].id == g.id {
			return "", fmt.Errorf("run digest: the results of resource %q came in two parts", g.id)
		}
		top.Write(g.sum[:])
	}
	return hex.EncodeToString(top.Sum(nil)), nil
}
