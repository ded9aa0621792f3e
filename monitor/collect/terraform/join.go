package terraform

import (
	"encoding/json"
	"strings"
)

// find returns the resource of type typ that src's argument attr points
// at: first by value (the argument equals one of the target's key
// attributes, as in a state or a plan whose values are known), then by the
// configuration's references (a plan, where the target's id is known only
// after apply).
func (d *doc) find(src *resource, attr, typ string, keys ...string) *resource {
	if v := str(src.Values, attr); v != "" {
		if t := d.findByValue(typ, v, keys...); t != nil {
			return t
		}
	}
	return d.findByRef(src, attr, typ)
}

// findByValue returns the first resource of typ whose key attribute equals v.
func (d *doc) findByValue(typ, v string, keys ...string) *resource {
	for _, t := range d.byType[typ] {
		for _, k := range keys {
			if s := str(t.Values, k); s != "" && s == v {
				return t
			}
		}
	}
	return nil
}

// findByRef resolves src's argument attr through the configuration to a
// resource of type typ in src's module. Among several instances it picks
// the one with src's instance key.
func (d *doc) findByRef(src *resource, attr, typ string) *resource {
	for _, ref := range d.refs(src, attr) {
		cands := d.byConfig[joinAddr(src.Module, ref)]
		if len(cands) == 0 || cands[0].Type != typ {
			continue
		}
		if len(cands) == 1 {
			return cands[0]
		}
		for _, c := range cands {
			if c.Index == src.Index {
				return c
			}
		}
	}
	return nil
}

// refs lists the resources ("aws_s3_bucket.logs") that src's argument attr
// refers to in the configuration.
func (d *doc) refs(src *resource, attr string) []string {
	raw, ok := d.exprs[src.ConfigAddr][attr]
	if !ok {
		return nil
	}
	var e struct {
		References []string `json:"references"`
	}
	if json.Unmarshal(raw, &e) != nil {
		return nil
	}
	var out []string
	for _, r := range e.References {
		parts := strings.SplitN(stripKeys(r), ".", 3)
		if len(parts) < 2 {
			continue
		}
		switch parts[0] {
		case "var", "local", "module", "data", "each", "count", "path", "terraform", "self":
			continue
		}
		out = append(out, parts[0]+"."+parts[1])
	}
	return out
}

// configured reports whether src's argument attr has a value now or is set
// in the configuration to something known only after apply.
func (d *doc) configured(src *resource, attr string) bool {
	if v, ok := src.Values[attr]; ok && v != nil && v != "" {
		return true
	}
	raw, ok := d.exprs[src.ConfigAddr][attr]
	if !ok {
		return false
	}
	var e map[string]any
	return json.Unmarshal(raw, &e) == nil && (e["references"] != nil || (e["constant_value"] != nil && e["constant_value"] != ""))
}

// str returns m[k] as a string ("" when absent or not a string).
func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

// boolean returns m[k] as a bool, def when absent.
func boolean(m map[string]any, k string, def bool) bool {
	if b, ok := m[k].(bool); ok {
		return b
	}
	return def
}

// integer returns m[k] as an int64, def when absent.
func integer(m map[string]any, k string, def int64) int64 {
	switch x := m[k].(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	}
	return def
}

// block returns the first element of a nested block (a list of objects in
// Terraform's JSON), or nil.
func block(m map[string]any, k string) map[string]any {
	l, _ := m[k].([]any)
	if len(l) == 0 {
		return nil
	}
	b, _ := l[0].(map[string]any)
	return b
}

// blocks returns every element of a nested block.
func blocks(m map[string]any, k string) []map[string]any {
	l, _ := m[k].([]any)
	out := make([]map[string]any, 0, len(l))
	for _, e := range l {
		if b, ok := e.(map[string]any); ok {
			out = append(out, b)
		}
	}
	return out
}

// strs returns m[k] as a list of strings.
func strs(m map[string]any, k string) []string {
	l, _ := m[k].([]any)
	out := make([]string, 0, len(l))
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// setDefault sets m[k] to v unless it already has a value (a plan leaves
// out what is known only after apply; checks need every attribute).
func setDefault(m map[string]any, k string, v any) {
	if cur, ok := m[k]; !ok || cur == nil {
		m[k] = v
	}
}

// anyList turns strings into a []any a check can iterate.
func anyList[T any](l []T) []any {
	out := make([]any, len(l))
	for i, v := range l {
		out[i] = v
	}
	return out
}
