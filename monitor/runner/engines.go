package runner

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

// maxEngines bounds the cache: one entry per distinct check set (the
// library plus one organisation's custom checks, narrowed to a source's
// resource kinds), so a handful per organisation.
const maxEngines = 256

// engineCache compiles each distinct set of checks once.
type engineCache struct {
	mu sync.Mutex
	m  map[string]compiled
}

// compiled is an engine over the checks that compile, and why the others
// do not (a custom check saved under an older engine, say): they yield
// error results rather than stopping the organisation's monitoring.
type compiled struct {
	engine *monitor.Engine
	bad    []badCheck
}

type badCheck struct {
	check assay.Check
	err   error
}

// checkSetKey is a digest over everything that changes how a check
// evaluates or reports.
func checkSetKey(checks []assay.Check) (string, error) {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, c := range checks {
		if err := enc.Encode(c); err != nil {
			return "", fmt.Errorf("check %s: %w", c.ID, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// get returns the engine for checks, compiling it on first use.
func (c *engineCache) get(checks []assay.Check) (compiled, error) {
	key, err := checkSetKey(checks)
	if err != nil {
		return compiled{}, err
	}
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return e, nil
	}
	if e, err = compile(checks); err != nil {
		return compiled{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxEngines {
		c.m = make(map[string]compiled)
	}
	c.m[key] = e
	return e, nil
}

// compile builds the engine, setting aside checks that do not compile
// (and repeated ids: the first one wins).
func compile(checks []assay.Check) (compiled, error) {
	if e, err := monitor.NewEngine(checks); err == nil {
		return compiled{engine: e}, nil
	}
	var out compiled
	var good []assay.Check
	seen := map[string]bool{}
	for _, ch := range checks {
		if seen[ch.ID] {
			continue
		}
		seen[ch.ID] = true
		if _, err := monitor.Compile(ch); err != nil {
			out.bad = append(out.bad, badCheck{ch, err})
			continue
		}
		good = append(good, ch)
	}
	e, err := monitor.NewEngine(good)
	if err != nil {
		return compiled{}, fmt.Errorf("compile checks: %w", err)
	}
	out.engine = e
	return out, nil
}

// badResults are the error results of the checks that do not compile.
func (c compiled) badResults() []assay.CheckResult {
	out := make([]assay.CheckResult, 0, len(c.bad))
	for _, b := range c.bad {
		out = append(out, assay.CheckResult{CheckID: b.check.ID, ResourceKind: b.check.Kind, Status: assay.CheckError,
			Reason: clip(fmt.Sprintf("%s could not be compiled: %s", b.check.ID, assay.ErrorMessage(b.err)))})
	}
	return out
}

// clip bounds a reason to what the store keeps.
func clip(s string) string {
	const max = 1000
	if len(s) <= max {
		return s
	}
	for i := max; i > 0; i-- {
		if s[i]&0xC0 != 0x80 {
			return s[:i] + "…"
		}
	}
	return ""
}
