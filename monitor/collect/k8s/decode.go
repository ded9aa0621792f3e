package k8s

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

// object is one Kubernetes object of the input and where it was found
// ("document 2 (line 14)").
type object struct {
	m     map[string]any
	where string
}

func (o object) kind() string { s, _ := o.m["kind"].(string); return s }

// decode reads JSON (an object, a List or an array of objects) or YAML
// (one or more documents separated by ---) into objects, unwrapping Lists.
func decode(data []byte) ([]object, error) {
	data, err := monitor.Text(data)
	if err != nil {
		return nil, err
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n") // monitor.Text took any byte order mark off
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		return decodeJSON(data)
	}
	var out []object
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for n := 1; ; n++ {
		var node yaml.Node
		err := dec.Decode(&node)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, assay.Invalid("input", "YAML document %d: %s", n, strings.TrimPrefix(err.Error(), "yaml: "))
		}
		where := fmt.Sprintf("document %d (line %d)", n, node.Line)
		var v any
		if err := node.Decode(&v); err != nil {
			return nil, assay.Invalid("input", "%s: %s", where, strings.TrimPrefix(err.Error(), "yaml: "))
		}
		if v == nil {
			continue // an empty document (a trailing ---)
		}
		objs, err := unwrap(v, where)
		if err != nil {
			return nil, err
		}
		out = append(out, objs...)
	}
	return out, nil
}

func decodeJSON(data []byte) ([]object, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			line, col := monitor.LineCol(data, syn.Offset)
			return nil, assay.Invalid("input", "invalid JSON at line %d, column %d: %s", line, col, syn.Error())
		}
		return nil, assay.Invalid("input", "invalid JSON: %v", err)
	}
	if l, ok := v.([]any); ok {
		var out []object
		for i, e := range l {
			objs, err := unwrap(e, fmt.Sprintf("item %d", i+1))
			if err != nil {
				return nil, err
			}
			out = append(out, objs...)
		}
		return out, nil
	}
	return unwrap(v, "document 1")
}

// unwrap checks that v is a Kubernetes object and expands Lists.
func unwrap(v any, where string) ([]object, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, assay.Invalid("input", "%s: expected a Kubernetes object (a mapping with apiVersion and kind)", where)
	}
	kind, _ := m["kind"].(string)
	if kind == "" {
		return nil, assay.Invalid("input", "%s: the object has no kind", where)
	}
	if strings.HasSuffix(kind, "List") {
		items, ok := m["items"].([]any)
		if !ok && m["items"] != nil {
			return nil, assay.Invalid("input", "%s: %s.items is not a list", where, kind)
		}
		// A typed list from the API server (DeploymentList) leaves its
		// items' kind out.
		itemKind := strings.TrimSuffix(kind, "List")
		var out []object
		for i, it := range items {
			if m, ok := it.(map[string]any); ok && m["kind"] == nil && itemKind != "" {
				m["kind"] = itemKind
			}
			objs, err := unwrap(it, fmt.Sprintf("%s item %d", where, i+1))
			if err != nil {
				return nil, err
			}
			out = append(out, objs...)
		}
		return out, nil
	}
	return []object{{m: m, where: where}}, nil
}

// path walks nested maps: path(m, "spec", "template", "spec").
func path(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		next, _ := m[k].(map[string]any)
		if next == nil {
			return nil
		}
		m = next
	}
	return m
}

func list(m map[string]any, k string) []map[string]any {
	l, _ := m[k].([]any)
	out := make([]map[string]any, 0, len(l))
	for _, e := range l {
		if x, ok := e.(map[string]any); ok {
			out = append(out, x)
		}
	}
	return out
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

// flag returns m[k] as a bool and whether it was set.
func flag(m map[string]any, k string) (bool, bool) {
	b, ok := m[k].(bool)
	return b, ok
}
