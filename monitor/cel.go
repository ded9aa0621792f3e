package monitor

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/ext"
	"cel.dev/cel-go/interpreter"
)

// Limits that keep one check's evaluation bounded whatever its expression.
const (
	// MaxCost is the most a single evaluation may spend, in CEL's cost
	// units (roughly one per operation and one per comprehension
	// iteration). A check over a list of some thousands of entries stays
	// far below it; nested comprehensions over big lists hit it and yield
	// an error result instead of running for minutes.
	MaxCost = 1_000_000
	// interruptEvery is how many comprehension iterations pass between
	// two looks at the context, so a cancelled sweep stops promptly.
	interruptEvery = 100
	// maxExprLen bounds the source text of an expression.
	maxExprLen = 8 << 10
)

var (
	envOnce sync.Once
	envVal  *cel.Env
	envErr  error
)

// celEnv is the one environment every check compiles in: r holds the
// resource's attributes, id and name its identity. The string, set, list
// and math extensions are on so checks can say what they mean.
func celEnv() (*cel.Env, error) {
	envOnce.Do(func() {
		envVal, envErr = cel.NewEnv(
			cel.Variable("r", cel.MapType(cel.StringType, cel.DynType)),
			cel.Variable("id", cel.StringType),
			cel.Variable("name", cel.StringType),
			ext.Strings(),
			ext.Sets(),
			ext.Lists(ext.ListsMaxRangeSize(10_000)),
			ext.Math(),
			cel.ParserExpressionSizeLimit(maxExprLen),
		)
		if envErr != nil {
			envErr = fmt.Errorf("monitor: build CEL environment: %w", envErr)
		}
	})
	return envVal, envErr
}

// issueText turns CEL's compile issues into one line per problem, each
// with its position: "line 1, column 9: undeclared reference to 'x'".
func issueText(errs []*common.Error) string {
	parts := make([]string, 0, len(errs))
	for _, e := range errs {
		parts = append(parts, fmt.Sprintf("line %d, column %d: %s", e.Location.Line(), e.Location.Column()+1, e.Message))
	}
	return strings.Join(parts, "; ")
}

// activation hands a resource to a CEL program. One is reused for every
// check of the resource, so evaluating N checks costs no per-check
// allocation for the variables.
type activation struct {
	attrs    map[string]any
	id, name string
	size     int // the resource's largest value size (resourceSize)
}

var _ interpreter.Activation = (*activation)(nil)

func (a *activation) ResolveName(name string) (any, bool) {
	switch name {
	case "r":
		return a.attrs, true
	case "id":
		return a.id, true
	case "name":
		return a.name, true
	}
	return nil, false
}

func (a *activation) Parent() interpreter.Activation { return nil }

// NormalizeAttrs returns attrs with every whole-number float (as JSON
// decoding produces) turned into an int64, at any depth, so checks can
// compare with integer literals: r.port == 22. The input is not modified;
// it is returned as is when nothing needed changing. A nil map becomes an
// empty one.
func NormalizeAttrs(attrs map[string]any) map[string]any {
	if attrs == nil {
		return map[string]any{}
	}
	out, _ := normalizeMap(attrs)
	return out
}

func normalizeMap(m map[string]any) (map[string]any, bool) {
	var cp map[string]any
	for k, v := range m {
		nv, changed := normalizeValue(v)
		if !changed {
			continue
		}
		if cp == nil {
			cp = make(map[string]any, len(m))
			for k2, v2 := range m {
				cp[k2] = v2
			}
		}
		cp[k] = nv
	}
	if cp == nil {
		return m, false
	}
	return cp, true
}

func normalizeList(l []any) ([]any, bool) {
	var cp []any
	for i, v := range l {
		nv, changed := normalizeValue(v)
		if !changed {
			continue
		}
		if cp == nil {
			cp = make([]any, len(l))
			copy(cp, l)
		}
		cp[i] = nv
	}
	if cp == nil {
		return l, false
	}
	return cp, true
}

func normalizeValue(v any) (any, bool) {
	switch x := v.(type) {
	case float64:
		if i, ok := wholeFloat(x); ok {
			return i, true
		}
	case float32:
		if i, ok := wholeFloat(float64(x)); ok {
			return i, true
		}
		return float64(x), true
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, true
		}
		if f, err := x.Float64(); err == nil {
			return f, true
		}
		return x.String(), true
	case map[string]any:
		if m, changed := normalizeMap(x); changed {
			return m, true
		}
	case []any:
		if l, changed := normalizeList(x); changed {
			return l, true
		}
	}
	return v, false
}

// wholeFloat reports f as an int64 when it is a whole number that an
// int64 holds exactly.
func wholeFloat(f float64) (int64, bool) {
	if f != math.Trunc(f) || math.IsInf(f, 0) || f < -(1<<63) || f >= 1<<63 {
		return 0, false
	}
	return int64(f), true
}

// heavyFuncs are the functions whose cost grows faster than their input
// or that build big values from small ones.
var heavyFuncs = map[string]bool{
	"sets.contains": true, "sets.equivalent": true, "sets.intersects": true,
	"distinct": true, "sort": true, "flatten": true, "lists.range": true,
}

// callsHeavy reports whether an expression calls one of heavyFuncs, whose
// cost the static estimator may not know: such checks are always tracked.
func callsHeavy(a *cel.Ast) bool {
	root := celast.NavigateAST(a.NativeRep())
	for _, call := range celast.MatchDescendants(root, celast.KindMatcher(celast.CallKind)) {
		if heavyFuncs[call.AsCall().FunctionName()] {
			return true
		}
	}
	return false
}

// mayRunAway reports whether an expression needs the cost limit: it has a
// comprehension (exists, all, exists_one, map, filter and the like all
// expand to one) or calls a heavy function.
func mayRunAway(a *cel.Ast) bool {
	root := celast.NavigateAST(a.NativeRep())
	if len(celast.MatchDescendants(root, celast.KindMatcher(celast.ComprehensionKind))) > 0 {
		return true
	}
	for _, call := range celast.MatchDescendants(root, celast.KindMatcher(celast.CallKind)) {
		if heavyFuncs[call.AsCall().FunctionName()] {
			return true
		}
	}
	return false
}
