package terraform

import "slices"

// changes is what a plan's resource_changes say beyond the values: which
// values are known only after apply (after_unknown), by resource address.
// A state has none.
type changes struct {
	plan    bool                      // the document is a plan
	unknown map[string]map[string]any // address -> after_unknown
}

func readChanges(planned bool, list []changeDoc) changes {
	c := changes{plan: planned || len(list) > 0, unknown: map[string]map[string]any{}}
	for _, ch := range list {
		if ch.Address == "" || slices.Equal(ch.Change.Actions, []string{"delete"}) {
			continue
		}
		if m, ok := ch.Change.AfterUnknown.(map[string]any); ok && len(m) > 0 {
			c.unknown[ch.Address] = m
		}
	}
	return c
}

// unknown reports whether the plan leaves r's attribute attr (or any part
// of it, for a block) to be known only after apply.
func (d *doc) unknown(r *resource, attr string) bool {
	return anyTrue(d.changes.unknown[r.Address][attr])
}

func anyTrue(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case []any:
		return slices.ContainsFunc(x, anyTrue)
	case map[string]any:
		for _, e := range x {
			if anyTrue(e) {
				return true
			}
		}
	}
	return false
}
