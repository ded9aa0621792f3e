package monitor

import (
	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/cost"
)

// Skipping the cost tracker where it cannot matter. An expression that
// iterates is tracked so that a runaway evaluation stops at MaxCost, but the
// tracking costs as much as the evaluation itself. CEL's static estimator
// gives an upper bound of an expression's cost once every list, map and
// string it reads has a known largest size; Compile works out, per check,
// the largest size (a power of two) for which that bound stays well under
// MaxCost, and the engine runs an untracked program on every resource whose
// values are all within it. Only a resource with a bigger list (or string)
// than that pays for the tracking.

// maxSafeSize is the largest size tried; boundMargin keeps the static bound
// a safe distance below the limit the tracker would enforce.
const (
	maxSafeSize = 1 << 20
	boundMargin = 4
)

// sizeBound is an estimator that says every value the expression reads
// from the resource has at most n entries (lists, maps) or bytes (strings).
type sizeBound uint64

func (n sizeBound) EstimateSize(cost.AstNode) *cost.SizeEstimate {
	e := cost.RangedSizeEstimate(0, uint64(n))
	return &e
}

func (sizeBound) EstimateCallCost(string, string, *cost.AstNode, []cost.AstNode) *cost.CallEstimate {
	return nil // the standard cost of each function
}

// safeSize is the largest power of two n up to maxSafeSize for which the
// expression's static cost bound, over values of at most n entries, stays
// under MaxCost/boundMargin; 0 when there is none (always track).
func safeSize(env *cel.Env, ast *cel.Ast) int {
	best := 0
	for n := 1; n <= maxSafeSize; n <<= 1 {
		est, err := env.EstimateCost(ast, sizeBound(n))
		if err != nil || est.Max > MaxCost/boundMargin {
			break
		}
		best = n
	}
	return best
}

// valueSize is the largest number of entries of any list or map, or bytes
// of any string, in v at any depth: what safeSize is compared with.
func valueSize(v any) int {
	switch x := v.(type) {
	case string:
		return len(x)
	case []any:
		n := len(x)
		for _, e := range x {
			n = max(n, valueSize(e))
		}
		return n
	case map[string]any:
		n := len(x)
		for k, e := range x {
			n = max(n, len(k), valueSize(e))
		}
		return n
	case []string:
		n := len(x)
		for _, e := range x {
			n = max(n, len(e))
		}
		return n
	}
	return 1
}
