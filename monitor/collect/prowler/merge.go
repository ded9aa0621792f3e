package prowler

import (
	"slices"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

// findingKey identifies a finding: Prowler's uid alone does not, as
// Prowler writes the same uid for more than one finding (its own example
// reports do), sometimes for the same check on the same resource (a true
// repeat) and sometimes for different resources.
type findingKey struct{ uid, check, resource string }

// parsed is one finding read from the report.
type parsed struct {
	key   findingKey
	name  string
	attrs map[string]any
}

// statusRank orders statuses from best to worst.
var statusRank = map[string]int{"PASS": 0, "MANUAL": 1, "FAIL": 2}

// worse reports whether a should stand for a finding rather than b, its
// copy: a worse status, or the same one not muted while b is.
func worse(a, b map[string]any) bool {
	ra, rb := statusRank[a["status"].(string)], statusRank[b["status"].(string)]
	if ra != rb {
		return ra > rb
	}
	return !a["muted"].(bool) && b["muted"].(bool)
}

// merge turns findings into resources, one per finding key, in report
// order. Copies of a finding are merged into one that keeps the worst
// status and every SOC 2 criterion of any copy. A resource's id is the
// finding's uid when no other finding shares it; uid, check and resource
// otherwise; check and resource when the uid is empty. notes says how
// many copies were merged and how many uids were shared.
func merge(found []parsed, notes *monitor.Notes) []assay.Resource {
	at := map[findingKey]int{}
	keysOfUID := map[string]int{}
	var kept []parsed
	repeated, copies := map[findingKey]bool{}, 0
	for _, p := range found {
		i, dup := at[p.key]
		if !dup {
			at[p.key] = len(kept)
			kept = append(kept, p)
			keysOfUID[p.key.uid]++
			continue
		}
		copies++
		repeated[p.key] = true
		prev := kept[i]
		soc := union(prev.attrs["soc2"].([]any), p.attrs["soc2"].([]any))
		if worse(p.attrs, prev.attrs) {
			kept[i] = p
		}
		kept[i].attrs["soc2"] = soc
	}
	out := make([]assay.Resource, 0, len(kept))
	shared := 0
	for _, p := range kept {
		id := p.key.uid
		switch {
		case id == "":
			id = p.key.check + "|" + p.key.resource
		case keysOfUID[id] > 1:
			id = id + "|" + p.key.check + "|" + p.key.resource
			shared++
		}
		out = append(out, assay.Resource{Kind: KindFinding, ID: id, Name: p.name, Attrs: p.attrs})
	}
	if copies > 0 {
		notes.Add("Prowler listed %s more than once (same uid, check and resource): %s merged into %s, keeping the worst status.",
			count(len(repeated), "finding", "findings"), count(copies, "repeated copy was", "repeated copies were"), pronoun(len(repeated)))
	}
	if shared > 0 {
		notes.Add("%s a uid with a finding of another check or resource; each is identified by its uid, check and resource.",
			count(shared, "finding shares", "findings share"))
	}
	return out
}

// union returns the criteria of a and b, sorted, each once.
func union(a, b []any) []any {
	ids := make([]string, 0, len(a)+len(b))
	for _, v := range append(slices.Clip(a), b...) {
		if s, ok := v.(string); ok && !slices.Contains(ids, s) {
			ids = append(ids, s)
		}
	}
	slices.Sort(ids)
	out := make([]any, len(ids))
	for i, s := range ids {
		out[i] = s
	}
	return out
}

// count writes n with the singular or plural phrase.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}
