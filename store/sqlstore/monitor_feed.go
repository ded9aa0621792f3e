package sqlstore

import (
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// emit takes one resource's results from the run's feed: it checks and
// counts them, digests them and compares them with the resource's state.
// Source-level results (ResourceID "") must come before any resource's:
// they decide whether the run can tell that a missing pair is gone.
func (a *runApply) emit(results []assay.CheckResult) error {
	if len(results) == 0 {
		return nil
	}
	for i := range results {
		if err := assay.ValidateResult(results[i]); err != nil {
			return indexed(a.emitted+i, a.emitted+len(results), err)
		}
		switch results[i].Status {
		case assay.CheckPass:
			a.run.Pass++
		case assay.CheckFail:
			a.run.Fail++
		default:
			a.run.Errors++
		}
	}
	a.emitted += len(results)
	if results[0].ResourceID == "" && a.complete {
		if a.run.Resources > 0 {
			return assay.Invalid("results", "The source's own results came after its resources'.")
		}
		a.complete = false
	}
	a.digest.Add(results)
	return a.applyResource(results)
}

// sliceFeed feeds a run's results held in one slice, resource by
// resource: the source's own results first, then each resource id's in
// the order the ids first appear. Results already grouped (a resource's
// together, as an engine sweep gives them) are fed in place.
func sliceFeed(results []assay.CheckResult) store.RunFeed {
	return func(emit func([]assay.CheckResult) error) (time.Time, error) {
		type run struct{ from, to int }
		var runs []run // maximal stretches of one resource id
		first := map[string]int{}
		grouped := true
		var source []assay.CheckResult
		for i := 0; i < len(results); {
			j := i + 1
			for j < len(results) && results[j].ResourceID == results[i].ResourceID {
				j++
			}
			id := results[i].ResourceID
			if id == "" {
				source = append(source, results[i:j]...)
			} else {
				if _, seen := first[id]; seen {
					grouped = false
				} else {
					first[id] = len(runs)
				}
				runs = append(runs, run{i, j})
			}
			i = j
		}
		if err := emit(source); err != nil {
			return time.Time{}, err
		}
		if grouped {
			for _, r := range runs {
				if err := emit(results[r.from:r.to]); err != nil {
					return time.Time{}, err
				}
			}
			return time.Time{}, nil
		}
		// Gather each id's stretches, in the order the ids first appear.
		byID := make([][]int, len(runs))
		var order []int
		for k, r := range runs {
			f := first[results[r.from].ResourceID]
			if f == k {
				order = append(order, k)
			}
			byID[f] = append(byID[f], k)
		}
		var buf []assay.CheckResult
		for _, f := range order {
			buf = buf[:0]
			for _, k := range byID[f] {
				buf = append(buf, results[runs[k].from:runs[k].to]...)
			}
			if err := emit(buf); err != nil {
				return time.Time{}, err
			}
		}
		return time.Time{}, nil
	}
}

// resourceIDs lists the distinct resource ids of results.
func resourceIDs(results []assay.CheckResult) []any {
	var ids []any
	seen := map[string]bool{}
	for i := range results {
		if id := results[i].ResourceID; !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}
