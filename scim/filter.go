package scim

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// Filters (RFC 7644 section 3.4.2.2) are parsed by filter-parser and
// evaluated here against a resource as its JSON object: attribute names
// are case-insensitive, and so are string comparisons (userName and
// emails are caseExact false; ids are numbers, where case does not matter).

// subOfValuePath matches attr[filter].sub op value, which providers send
// (emails[type eq "work"].value eq "a@b") but RFC 7644's grammar has no
// place for; it is read as attr[filter and sub op value].
var subOfValuePath = regexp.MustCompile(`(?i)\b([a-z][\w$-]*)\[([^\]]*)\]\.([a-z][\w$-]*)\s+(eq|ne|co|sw|ew|gt|ge|lt|le)\s+("(?:[^"\\]|\\.)*"|[^\s()]+)`)

func parseFilter(raw string) (filter.Expression, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, nil
	}
	exp, err := filter.ParseFilter([]byte(subOfValuePath.ReplaceAllString(raw, "$1[$2 and $3 $4 $5]")))
	if err != nil {
		return nil, scimError(http.StatusBadRequest, errFilter, "The filter "+strconv.Quote(raw)+" is not a SCIM filter: "+err.Error()+".")
	}
	return exp, nil
}

// matches reports whether the resource res (a JSON object) passes exp.
func matches(exp filter.Expression, res map[string]any) bool {
	switch e := exp.(type) {
	case nil:
		return true
	case *filter.LogicalExpression:
		if e.Operator == filter.AND {
			return matches(e.Left, res) && matches(e.Right, res)
		}
		return matches(e.Left, res) || matches(e.Right, res)
	case *filter.NotExpression:
		return !matches(e.Expression, res)
	case *filter.AttributeExpression:
		vals := lookup(res, e.AttributePath.AttributeName, e.AttributePath.SubAttributeName())
		return compareAny(vals, e.Operator, e.CompareValue)
	case *filter.ValuePath:
		for _, item := range asList(get(res, e.AttributePath.AttributeName)) {
			if obj, ok := item.(map[string]any); ok && matches(e.ValueFilter, obj) {
				return true
			}
		}
		return false
	}
	return false
}

// get is the attribute of obj named name, whatever its case.
func get(obj map[string]any, name string) any {
	if v, ok := obj[name]; ok {
		return v
	}
	for k, v := range obj {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

func asList(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{v}
}

// lookup returns every value at name(.sub) in obj, through multi-valued
// attributes (emails.value is each email's value).
func lookup(obj map[string]any, name, sub string) []any {
	var out []any
	for _, v := range asList(get(obj, name)) {
		if sub == "" {
			out = append(out, v)
			continue
		}
		if m, ok := v.(map[string]any); ok {
			if sv := get(m, sub); sv != nil {
				out = append(out, sv)
			}
		}
	}
	return out
}

func compareAny(vals []any, op filter.CompareOperator, want any) bool {
	if op == filter.PR {
		for _, v := range vals {
			if v != nil && v != "" {
				return true
			}
		}
		return false
	}
	for _, v := range vals {
		if compare(v, op, want) {
			return true
		}
	}
	return false
}

func compare(have any, op filter.CompareOperator, want any) bool {
	hs, ws := scalar(have), scalar(want)
	if b, ok := want.(bool); ok {
		hb, ok2 := boolValue(have)
		switch op {
		case filter.EQ:
			return ok2 && hb == b
		case filter.NE:
			return !ok2 || hb != b
		}
		return false
	}
	h, w := strings.ToLower(hs), strings.ToLower(ws)
	switch op {
	case filter.EQ:
		return h == w
	case filter.NE:
		return h != w
	case filter.CO:
		return strings.Contains(h, w)
	case filter.SW:
		return strings.HasPrefix(h, w)
	case filter.EW:
		return strings.HasSuffix(h, w)
	case filter.GT:
		return h > w
	case filter.GE:
		return h >= w
	case filter.LT:
		return h < w
	case filter.LE:
		return h <= w
	}
	return false
}

func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	}
	return ""
}

// boolValue reads a boolean as providers send it: true, or Entra's
// "True" and "False" strings.
func boolValue(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// page reads startIndex and count (RFC 7644 section 3.4.2.4): startIndex
// below 1 is 1, count below 0 is 0, and count is at most maxCount.
func page(r *http.Request) (start, count int, err error) {
	start, count = 1, defaultCount
	q := r.URL.Query()
	if v := q.Get("startIndex"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, 0, scimError(http.StatusBadRequest, errValue, "startIndex must be a whole number.")
		}
		start = max(n, 1)
	}
	if v := q.Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, 0, scimError(http.StatusBadRequest, errValue, "count must be a whole number.")
		}
		count = min(max(n, 0), maxCount)
	}
	return start, count, nil
}

// listResponse filters, pages and writes resources.
func listResponse(w http.ResponseWriter, r *http.Request, all []map[string]any) error {
	exp, err := parseFilter(r.URL.Query().Get("filter"))
	if err != nil {
		return err
	}
	start, count, err := page(r)
	if err != nil {
		return err
	}
	hits := []map[string]any{}
	for _, res := range all {
		if matches(exp, res) {
			hits = append(hits, res)
		}
	}
	from := min(start-1, len(hits))
	to := min(from+count, len(hits))
	writeJSON(w, http.StatusOK, map[string]any{
		"schemas":      []string{SchemaListResp},
		"totalResults": len(hits),
		"startIndex":   start,
		"itemsPerPage": to - from,
		"Resources":    hits[from:to],
	})
	return nil
}
