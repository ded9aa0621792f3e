package assay

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// naiveDigest is RunDigest written the obvious way, to check the fast one.
func naiveDigest(results []CheckResult) string {
	lines := make([]string, len(results))
	for i, r := range results {
		lines[i] = r.CheckID + "\x00" + r.ResourceID + "\x00" + r.ResourceKind + "\x00" + string(r.Status) + "\x00" + r.Reason + "\x00" +
			r.CheckID + "\x00" + r.ResourceKind + "\x00" + r.ResourceID + "\x00" + string(r.Status) + "\x00" + r.Reason + "\n"
	}
	slices.Sort(lines) // by check, resource, kind, status, reason; then the hashed form
	h := sha256.New()
	for _, l := range lines {
		fields := strings.SplitN(l, "\x00", 6)
		h.Write([]byte(fields[5]))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestRunDigest(t *testing.T) {
	var results []CheckResult
	for _, c := range []string{"http-b", "http-a", "pg-x"} {
		for _, r := range []string{"r2", "r10", "r1", "é"} {
			st, reason := CheckPass, ""
			if len(c+r)%3 == 0 {
				st, reason = CheckFail, "bad "+r
			}
			results = append(results, CheckResult{CheckID: c, ResourceKind: "k", ResourceID: r, ResourceName: r, Status: st, Reason: reason})
		}
	}
	want := naiveDigest(results)
	rng := rand.New(rand.NewPCG(7, 9))
	for range 20 {
		shuffled := slices.Clone(results)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := RunDigest(shuffled); got != want {
			t.Fatalf("digest depends on order: %s vs %s", got, want)
		}
	}
	if RunDigest(nil) != hex.EncodeToString(sha256.New().Sum(nil)) {
		t.Fatal("empty digest is not the hash of nothing")
	}
	for i, mod := range []func(*CheckResult){
		func(r *CheckResult) { r.Status = CheckError },
		func(r *CheckResult) { r.Reason = "other" },
		func(r *CheckResult) { r.ResourceID = "r3" },
		func(r *CheckResult) { r.ResourceKind = "k2" },
		func(r *CheckResult) { r.CheckID = "http-c" },
	} {
		changed := slices.Clone(results)
		mod(&changed[4])
		if RunDigest(changed) == want {
			t.Fatalf("change %d does not change the digest", i)
		}
	}
	// The name is not part of the digest (ids are what is stable).
	renamed := slices.Clone(results)
	renamed[0].ResourceName = "renamed"
	if RunDigest(renamed) != want {
		t.Fatal("a display name changed the digest")
	}
}

func TestSourceValidate(t *testing.T) {
	s := Source{Name: "  Web  ", Kind: "http"}
	if err := s.Validate(); err != nil || s.Name != "Web" || s.IntervalMinutes != DefaultIntervalMinutes {
		t.Fatalf("validate = %v, %+v", err, s)
	}
	for _, bad := range []Source{{Name: "x", Kind: "ftp"}, {Kind: "http"}, {Name: "x", Kind: "http", IntervalMinutes: 4},
		{Name: "x", Kind: "http", IntervalMinutes: MaxIntervalMinutes + 1}, {Name: "x", Kind: "http", SecretNames: []string{" "}},
		{Name: strings.Repeat("x", MaxSourceName+1), Kind: "http"}} {
		if err := bad.Validate(); ErrorCode(err) != EINVALID {
			t.Fatalf("%+v: err = %v", bad, err)
		}
	}
	if !(Source{Kind: "trivy"}).IsFileKind() || (Source{Kind: "http"}).IsFileKind() {
		t.Fatal("file kinds")
	}
}

func TestFindingDue(t *testing.T) {
	opened := time.Date(2026, 3, 2, 15, 30, 0, 0, time.UTC)
	for s, days := range map[CheckSeverity]int{SeverityCritical: 7, SeverityHigh: 14, SeverityMedium: 30, SeverityLow: 90, "": 90} {
		if got := FindingDue(opened, s); !got.Equal(Day(opened).AddDate(0, 0, days)) {
			t.Fatalf("%s: due %v", s, got)
		}
	}
}

func TestValidateRunAndResults(t *testing.T) {
	now := time.Now()
	ok := MonitorRun{SourceID: 1, Trigger: TriggerManual, StartedAt: now, EndedAt: now, Status: RunOK}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := ok
	bad.Status = "done"
	if ErrorCode(bad.Validate()) != EINVALID {
		t.Fatal("bad status accepted")
	}
	if err := ValidateResult(CheckResult{CheckID: "c", Status: CheckError, Reason: "down"}); err != nil {
		t.Fatalf("source-level error refused: %v", err)
	}
	if ErrorCode(ValidateResult(CheckResult{CheckID: "c", Status: CheckFail})) != EINVALID {
		t.Fatal("source-level failure accepted")
	}
	c := Check{ID: "custom-x", Title: "T", Kind: "k", Expr: "true", Severity: SeverityLow, Reason: "r", Controls: []string{"A"}}
	if err := ValidateCustomCheck(&c); err != nil || !c.Custom {
		t.Fatalf("custom check: %v", err)
	}
	c.ID = "custom-"
	if ErrorCode(ValidateCustomCheck(&c)) != EINVALID {
		t.Fatal("empty custom id accepted")
	}
}
