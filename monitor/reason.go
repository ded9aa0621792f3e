package monitor

import (
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"unicode"
	"unicode/utf8"

	"github.com/assay-platform/assay"
)

// maxReason bounds a rendered failure reason; longer ones are cut.
const maxReason = 1000

// reasonFuncs are the helpers a reason template may use besides the
// text/template built-ins:
//
//	{{join .Attrs.protocols ", "}}  a list's items joined by a separator
//	{{lower .Attrs.x}} {{upper .Attrs.x}}
//	{{or .Attrs.x "none"}}          (built-in) a fallback for an empty value
//	{{ago .Attrs.days}}             a number of days before now: "today",
//	                                "1 day ago", "10 days ago"; a negative
//	                                number is ahead: "in 10 days"
//	{{until .Attrs.days}}           a number of days from now: "in 10 days",
//	                                "in 1 day", "today"; a negative number
//	                                is past: "10 days ago"
//	{{count .Attrs.n "secret" "secrets"}}  "1 secret", "3 secrets"
//	{{capital .Attrs.x}}            the first letter in upper case
var reasonFuncs = template.FuncMap{
	"join": func(v any, sep string) string {
		switch l := v.(type) {
		case []string:
			return strings.Join(l, sep)
		case []any:
			parts := make([]string, len(l))
			for i, x := range l {
				parts[i] = fmt.Sprint(x)
			}
			return strings.Join(parts, sep)
		case nil:
			return ""
		}
		return fmt.Sprint(v)
	},
	"lower": func(v any) string { return strings.ToLower(fmt.Sprint(v)) },
	"upper": func(v any) string { return strings.ToUpper(fmt.Sprint(v)) },
	"ago":   ago,
	"until": func(v any) string {
		if n, ok := whole(v); ok {
			return ago(-n)
		}
		return fmt.Sprintf("in %v days", v)
	},
	"count": func(v any, one, many string) string {
		n, ok := whole(v)
		switch {
		case !ok:
			return fmt.Sprintf("%v %s", v, many)
		case n == 1:
			return "1 " + one
		}
		return strconv.FormatInt(n, 10) + " " + many
	},
	"capital": func(v any) string {
		s := ""
		if v != nil {
			s = fmt.Sprint(v)
		}
		r, size := utf8.DecodeRuneInString(s)
		if size == 0 {
			return s
		}
		return string(unicode.ToUpper(r)) + s[size:]
	},
}

// ago says when a number of days before now was, in words; a negative
// number is days ahead.
func ago(v any) string {
	n, ok := whole(v)
	switch {
	case !ok:
		return fmt.Sprintf("%v days ago", v)
	case n == 0:
		return "today"
	case n == 1:
		return "1 day ago"
	case n == -1:
		return "in 1 day"
	case n < 0:
		return "in " + strconv.FormatInt(-n, 10) + " days"
	}
	return strconv.FormatInt(n, 10) + " days ago"
}

// whole reads a template value as a whole number.
func whole(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case float64:
		return wholeFloat(x)
	}
	return 0, false
}

// parseReason parses a check's failure-reason template. An empty template
// is allowed: the reason then says which check failed on which resource.
func parseReason(c assay.Check) (*template.Template, error) {
	if strings.TrimSpace(c.Reason) == "" {
		return nil, nil
	}
	t, err := template.New(c.ID).Funcs(reasonFuncs).Parse(c.Reason)
	if err != nil {
		return nil, assay.Invalid("reason", "reason template: %s", strings.TrimPrefix(err.Error(), "template: "))
	}
	return t, nil
}

// render writes the failure reason for res. A template that fails to
// execute still yields a useful reason naming the resource.
func (p *Program) render(res *assay.Resource) string {
	if p.reason == nil {
		return fmt.Sprintf("%s failed on %s", p.check.ID, res.Name)
	}
	if p.fast != nil {
		if s, ok := renderFast(p.fast, res); ok {
			return clip(s)
		}
	}
	var b strings.Builder
	if err := p.reason.Execute(&b, res); err != nil {
		return fmt.Sprintf("%s failed on %s (reason template: %v)", p.check.ID, res.Name, err)
	}
	return clip(b.String())
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= maxReason {
		return s
	}
	cut := maxReason
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// reasonPart is one piece of a reason template that needs no
// text/template machinery: literal text, or a field path such as
// [Name] or [Attrs tls_min].
type reasonPart struct {
	text  string
	field []string
}

// fastReason turns a template made only of text and plain field
// references ({{.Name}}, {{.Attrs.x.y}}) into parts, so most reasons
// render without reflection; nil when the template uses anything else.
func fastReason(t *template.Template) []reasonPart {
	if t == nil || t.Tree == nil || t.Tree.Root == nil {
		return nil
	}
	var parts []reasonPart
	for _, n := range t.Tree.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			parts = append(parts, reasonPart{text: string(n.Text)})
		case *parse.ActionNode:
			if n.Pipe == nil || len(n.Pipe.Decl) > 0 || len(n.Pipe.Cmds) != 1 || len(n.Pipe.Cmds[0].Args) != 1 {
				return nil
			}
			f, ok := n.Pipe.Cmds[0].Args[0].(*parse.FieldNode)
			if !ok || len(f.Ident) == 0 {
				return nil
			}
			switch f.Ident[0] {
			case "Name", "ID", "Kind":
				if len(f.Ident) != 1 {
					return nil
				}
			case "Attrs":
				if len(f.Ident) < 2 {
					return nil
				}
			default:
				return nil
			}
			parts = append(parts, reasonPart{field: f.Ident})
		default:
			return nil
		}
	}
	return parts
}

// renderFast renders parts for res. It gives up (false) on any value it
// cannot print exactly as text/template would, such as a missing
// attribute, so the caller falls back to the template.
func renderFast(parts []reasonPart, res *assay.Resource) (string, bool) {
	var b strings.Builder
	for _, p := range parts {
		if p.field == nil {
			b.WriteString(p.text)
			continue
		}
		switch p.field[0] {
		case "Name":
			b.WriteString(res.Name)
			continue
		case "ID":
			b.WriteString(res.ID)
			continue
		case "Kind":
			b.WriteString(res.Kind)
			continue
		}
		var v any = res.Attrs
		for _, key := range p.field[1:] {
			m, ok := v.(map[string]any)
			if !ok {
				return "", false
			}
			if v, ok = m[key]; !ok {
				return "", false
			}
		}
		switch x := v.(type) {
		case string:
			b.WriteString(x)
		case int64:
			b.WriteString(strconv.FormatInt(x, 10))
		case bool:
			b.WriteString(strconv.FormatBool(x))
		default:
			return "", false
		}
	}
	return b.String(), true
}
