package k8s

import "fmt"

// plain turns the mappings YAML decodes with keys that are not strings
// (map[any]any, as `1: x` or `true: y` give) into map[string]any, so
// that a single odd key deep in an object does not hide the mapping that
// holds it (a pod spec, a container) from the readers.
func plain(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = plain(e)
		}
		return x
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = plain(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = plain(e)
		}
		return x
	}
	return v
}
