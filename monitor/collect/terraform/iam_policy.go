package terraform

import (
	"encoding/json"
	"strings"
)

// statement is one statement of an IAM policy document, its element lists
// read from a string or a list of strings. A nil list is an absent
// element.
type statement struct {
	effect                string
	action, notAction     []string
	resource, notResource []string
}

// policyStatements reads an IAM policy document as a plan or a state holds
// it: the JSON text of `policy` (a heredoc, file() or jsonencode result,
// and now and then JSON text encoded once more) or, from hand-made or
// converted documents, the object itself. ok is false when v holds no
// readable document (absent, unknown until apply, or broken).
func policyStatements(v any) (list []statement, ok bool) {
	for range 2 { // JSON text, or JSON text of JSON text
		s, isText := v.(string)
		if !isText {
			break
		}
		if strings.TrimSpace(s) == "" || json.Unmarshal([]byte(s), &v) != nil {
			return nil, false
		}
	}
	doc, isObj := v.(map[string]any)
	if !isObj {
		return nil, false
	}
	raw, found := field(doc, "Statement")
	if !found {
		return nil, false
	}
	var items []any
	switch x := raw.(type) {
	case []any:
		items = x
	case map[string]any:
		items = []any{x}
	default:
		return nil, false
	}
	for _, it := range items {
		m, isObj := it.(map[string]any)
		if !isObj {
			continue
		}
		effect, _ := fieldValue(m, "Effect").(string)
		list = append(list, statement{effect: effect,
			action: elements(m, "Action"), notAction: elements(m, "NotAction"),
			resource: elements(m, "Resource"), notResource: elements(m, "NotResource")})
	}
	return list, true
}

// field finds a policy element by name; IAM spells them one way, but
// documents converted by tools sometimes change their case.
func field(m map[string]any, name string) (any, bool) {
	if v, ok := m[name]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

func fieldValue(m map[string]any, name string) any {
	v, _ := field(m, name)
	return v
}

// elements reads an element that is a string or a list of strings; nil
// when absent.
func elements(m map[string]any, name string) []string {
	v, ok := field(m, name)
	if !ok {
		return nil
	}
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, isText := e.(string); isText {
				out = append(out, s)
			}
		}
		return out
	}
	return []string{}
}

// adminStatement reports whether a statement gives administrator access:
// it allows every action, or every IAM action (with which a principal
// grants itself the rest), on every resource. Action "*", "*:*", "iam:*"
// or "IAM:*" counts, as a string or in a list. NotAction allows all but
// what it lists: it is administrator access unless what it lists covers
// every IAM action (AWS's PowerUserAccess, NotAction iam:*, is not), since
// a principal left with IAM can make itself an administrator. NotResource
// allows all but the resources it lists, which is every resource that
// matters here.
func adminStatement(s statement) bool {
	if !strings.EqualFold(strings.TrimSpace(s.effect), "Allow") {
		return false
	}
	everyResource := s.notResource != nil && s.resource == nil
	for _, r := range s.resource {
		everyResource = everyResource || onlyStars(r)
	}
	if !everyResource {
		return false
	}
	if s.action != nil {
		for _, a := range s.action {
			if coversPrefix(a, "iam:") {
				return true
			}
		}
		return false
	}
	if s.notAction == nil {
		return false
	}
	for _, a := range s.notAction {
		if coversPrefix(a, "iam:") {
			return false
		}
	}
	return true
}

// adminDocument reports whether an IAM policy document gives
// administrator access (adminStatement), and whether it could be read.
func adminDocument(v any) (admin, readable bool) {
	list, ok := policyStatements(v)
	if !ok {
		return false, false
	}
	for _, s := range list {
		if adminStatement(s) {
			return true, true
		}
	}
	return false, true
}

func onlyStars(p string) bool {
	p = strings.TrimSpace(p)
	return p != "" && strings.Trim(p, "*") == ""
}

// coversPrefix reports whether the IAM wildcard pattern (* for any run of
// characters, ? for one; case-insensitive, as IAM compares actions)
// matches every string that begins with prefix: "*", "iam:*", "i*" and
// "*:*" cover "iam:", "iam:Get*" and "s3:*" do not.
func coversPrefix(pattern, prefix string) bool {
	p := strings.ToLower(strings.TrimSpace(pattern))
	if p == "" {
		return false
	}
	// The positions of p a match can be at after reading each byte of the
	// prefix; a '*' may also match nothing.
	closure := func(set map[int]bool) map[int]bool {
		for i := 0; i < len(p); i++ {
			if set[i] && p[i] == '*' {
				set[i+1] = true
			}
		}
		return set
	}
	at := closure(map[int]bool{0: true})
	for _, c := range []byte(strings.ToLower(prefix)) {
		next := map[int]bool{}
		for i := range at {
			if i >= len(p) {
				continue
			}
			switch p[i] {
			case '*':
				next[i] = true
			case '?':
				next[i+1] = true
			default:
				if p[i] == c {
					next[i+1] = true
				}
			}
		}
		at = closure(next)
	}
	// Whatever follows the prefix matches only if the rest is all stars.
	for i := range at {
		if i < len(p) && strings.Trim(p[i:], "*") == "" {
			return true
		}
	}
	return false
}
