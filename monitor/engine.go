package monitor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/template"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"

	"github.com/assay-platform/assay"
)

// Program is one check compiled: its CEL program and its parsed failure
// reason. It is safe for concurrent use.
type Program struct {
	check  assay.Check
	prg    cel.Program
	reason *template.Template
	fast   []reasonPart // reason as plain parts, nil when it needs text/template
	// tracked is true when the program runs under the cost limit and
	// honours context interrupts (see mayRunAway).
	tracked bool
	// untracked is the same expression without the tracker, and safeSize
	// the largest value size it may run on (see costbound.go); nil and 0
	// when every evaluation must be tracked.
	untracked cel.Program
	safeSize  int
}

// Compile checks c's expression and reason template and prepares them for
// evaluation. A bad expression is an assay.Invalid("expr") error whose
// message gives each problem's position ("line 1, column 9: undeclared
// reference to 'x'"); an expression that does not yield a bool is refused
// the same way; a bad template is assay.Invalid("reason").
func Compile(c assay.Check) (*Program, error) {
	env, err := celEnv()
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(c.Expr) == "" {
		return nil, assay.Invalid("expr", "expression is required")
	}
	if len(c.Expr) > maxExprLen {
		return nil, assay.Invalid("expr", "expression is longer than %d characters", maxExprLen)
	}
	ast, iss := env.Compile(c.Expr)
	if iss != nil && iss.Err() != nil {
		return nil, assay.Invalid("expr", "%s", issueText(iss.Errors()))
	}
	// dyn is let through (r.enabled is dyn): a non-bool value at run time
	// becomes an error result.
	if out := ast.OutputType(); !out.IsExactType(cel.BoolType) && !out.IsExactType(cel.DynType) {
		return nil, assay.Invalid("expr", "expression must be true or false (a bool), not %s", out)
	}
	reason, err := parseReason(c)
	if err != nil {
		return nil, err
	}
	// Only an expression that iterates (a comprehension: exists, all,
	// map, filter...) or calls a super-linear function can run away; it
	// gets the actual-cost limit and context interrupts. Any other
	// expression costs at most its size times the resource's size, and
	// skips the tracking, which would double its evaluation time.
	bounded := mayRunAway(ast)
	opts := []cel.ProgramOption{cel.EvalOptions(cel.OptOptimize)}
	if bounded {
		opts = append(opts, cel.CostLimit(MaxCost), cel.InterruptCheckFrequency(interruptEvery))
	}
	prg, err := env.Program(ast, opts...)
	if err != nil {
		return nil, assay.Invalid("expr", "%v", err)
	}
	p := &Program{check: c, prg: prg, reason: reason, fast: fastReason(reason), tracked: bounded}
	if bounded && !callsHeavy(ast) {
		if p.safeSize = safeSize(env, ast); p.safeSize > 0 {
			if p.untracked, err = env.Program(ast, cel.EvalOptions(cel.OptOptimize)); err != nil {
				return nil, assay.Invalid("expr", "%v", err)
			}
		}
	}
	return p, nil
}

// Check returns the check the program was compiled from.
func (p *Program) Check() assay.Check { return p.check }

// Eval judges one resource. It never returns a pass on trouble: an
// evaluation error (a missing attribute, the cost limit, a non-bool value)
// is an error result with the reason. Reasons are rendered only for fail
// and error results.
func (p *Program) Eval(res assay.Resource) assay.CheckResult {
	return p.EvalContext(context.Background(), res)
}

// EvalContext is Eval under ctx: a cancelled ctx interrupts long
// comprehensions and the result is an error.
func (p *Program) EvalContext(ctx context.Context, res assay.Resource) assay.CheckResult {
	res.Attrs = NormalizeAttrs(res.Attrs)
	act := &activation{attrs: res.Attrs, id: res.ID, name: res.Name, size: resourceSize(&res)}
	return p.eval(ctx, &res, act)
}

// done reports, without blocking, whether ctx is cancelled (a closed Done
// channel is seen without taking a lock).
func done(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return true
	default:
		return false
	}
}

// resourceSize is the largest value size of a resource (see valueSize).
func resourceSize(res *assay.Resource) int {
	return max(len(res.ID), len(res.Name), valueSize(res.Attrs))
}

// eval runs the program over an activation the caller prepared (the
// resource's attributes already normalised).
func (p *Program) eval(ctx context.Context, res *assay.Resource, act *activation) assay.CheckResult {
	out := assay.CheckResult{
		CheckID:      p.check.ID,
		ResourceKind: res.Kind,
		ResourceID:   res.ID,
		ResourceName: res.Name,
	}
	var (
		val ref.Val
		err error
	)
	switch {
	case p.tracked && p.untracked != nil && act.size <= p.safeSize && !done(ctx):
		val, _, err = p.untracked.Eval(act) // statically bounded: see costbound.go
	case !p.tracked || ctx.Done() == nil:
		val, _, err = p.prg.Eval(act)
	default:
		val, _, err = p.prg.ContextEval(ctx, act)
	}
	switch {
	case err != nil:
		out.Status = assay.CheckError
		out.Reason = clip(fmt.Sprintf("%s could not be evaluated on %s: %s", p.check.ID, res.Name, evalErrText(err)))
	case val == types.True:
		out.Status = assay.CheckPass
	case val == types.False:
		out.Status = assay.CheckFail
		out.Reason = p.render(res)
	default:
		out.Status = assay.CheckError
		out.Reason = clip(fmt.Sprintf("%s could not be evaluated on %s: the expression gave %s, not true or false",
			p.check.ID, res.Name, val.Type().TypeName()))
	}
	return out
}

// evalErrText says why an evaluation failed, in a sentence.
func evalErrText(err error) string {
	var cancelled interpreter.EvalCancelledError
	if errors.As(err, &cancelled) && cancelled.Cause == interpreter.CostLimitExceeded {
		return fmt.Sprintf("the expression exceeded its cost limit (%d)", MaxCost)
	}
	return err.Error()
}
