package assay

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// naiveDigestV2 is RunDigestV2 written from its documented definition.
func naiveDigestV2(results []CheckResult) string {
	groups := map[string][]string{}
	for _, r := range results {
		groups[r.ResourceID] = append(groups[r.ResourceID],
			r.CheckID+"\x00"+r.ResourceKind+"\x00"+r.ResourceID+"\x00"+string(r.Status)+"\x00"+r.Reason+"\n")
	}
	ids := make([]string, 0, len(groups))
	for id := range groups {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	top := sha256.New()
	for _, id := range ids {
		lines := groups[id]
		slices.Sort(lines) // NUL sorts before every other byte: field order
		sum := sha256.Sum256([]byte(strings.Join(lines, "")))
		top.Write(sum[:])
	}
	return hex.EncodeToString(top.Sum(nil))
}

func digestResults() []CheckResult {
	var results []CheckResult
	for _, r := range []string{"r2", "r10", "r1", "é", ""} {
		for _, c := range []string{"http-b", "http-a", "pg-x", "http-a"} {
			st, reason := CheckPass, ""
			if len(c+r)%3 == 0 {
				st, reason = CheckFail, "bad "+r
			}
			if r == "" {
				st, reason = CheckError, "source down"
			}
			kind := "k"
			if c == "http-a" && len(results)%2 == 1 {
				kind = "k0" // the same check id twice on one resource: kinds differ
			}
			results = append(results, CheckResult{CheckID: c, ResourceKind: kind, ResourceID: r, ResourceName: r, Status: st, Reason: reason})
		}
	}
	return results
}

// digestByResource feeds results to a RunDigester one resource at a time,
// the resources in the given order.
func digestByResource(t *testing.T, results []CheckResult, rng *rand.Rand) string {
	t.Helper()
	byID := map[string][]CheckResult{}
	var ids []string
	for _, r := range results {
		if _, ok := byID[r.ResourceID]; !ok {
			ids = append(ids, r.ResourceID)
		}
		byID[r.ResourceID] = append(byID[r.ResourceID], r)
	}
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	var d RunDigester
	for _, id := range ids {
		d.Add(byID[id])
	}
	got, err := d.Sum()
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestRunDigestV2(t *testing.T) {
	results := digestResults()
	want := naiveDigestV2(results)
	if want == naiveDigest(results) {
		t.Fatal("versions 1 and 2 agree: the test proves nothing")
	}
	rng := rand.New(rand.NewPCG(7, 9))
	for range 20 {
		shuffled := slices.Clone(results)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := RunDigestV2(shuffled); got != want {
			t.Fatalf("digest depends on order: %s vs %s", got, want)
		}
		if got := digestByResource(t, shuffled, rng); got != want {
			t.Fatalf("streamed digest %s, reference %s", got, want)
		}
	}
	if RunDigestV2(nil) != hex.EncodeToString(sha256.New().Sum(nil)) {
		t.Fatal("empty digest is not the hash of nothing")
	}
	var d RunDigester
	if got, err := d.Sum(); err != nil || got != RunDigestV2(nil) {
		t.Fatalf("empty digester = %s, %v", got, err)
	}
	for i, mod := range []func(*CheckResult){
		func(r *CheckResult) { r.Status = CheckError },
		func(r *CheckResult) { r.Reason = "other" },
		func(r *CheckResult) { r.ResourceID = "r3" },
		func(r *CheckResult) { r.ResourceKind = "k2" },
		func(r *CheckResult) { r.CheckID = "http-c" },
	} {
		changed := slices.Clone(results)
		mod(&changed[5])
		if RunDigestV2(changed) == want || digestByResource(t, changed, rng) == want {
			t.Fatalf("change %d does not change the digest", i)
		}
	}
	if RunDigestV2(results[1:]) == want || RunDigestV2(append(slices.Clone(results), results[0])) == want {
		t.Fatal("a removed or repeated result does not change the digest")
	}
	renamed := slices.Clone(results)
	renamed[0].ResourceName = "renamed"
	if RunDigestV2(renamed) != want {
		t.Fatal("a display name changed the digest")
	}
	// One resource's results in two Adds are refused.
	d = RunDigester{}
	d.Add(results[:2])
	d.Add(results[2:4])
	if _, err := d.Sum(); err == nil {
		t.Fatal("a resource in two parts was summed")
	}
}

// TestVerifyRunDigest: a version 1 run and a version 2 run both verify
// against their results, and a tampered result fails each.
func TestVerifyRunDigest(t *testing.T) {
	results := digestResults()
	v1 := MonitorRun{ID: 1, Digest: RunDigest(results)} // recorded before versions: 0 reads as 1
	v2 := MonitorRun{ID: 2, Digest: RunDigestV2(results), DigestVersion: DigestV2}
	for _, run := range []MonitorRun{v1, v2} {
		if err := VerifyRunDigest(run, results); err != nil {
			t.Fatalf("run %d: %v", run.ID, err)
		}
		tampered := slices.Clone(results)
		if tampered[3].Status == CheckPass {
			tampered[3].Status, tampered[3].Reason = CheckFail, "forged"
		} else {
			tampered[3].Status, tampered[3].Reason = CheckPass, ""
		}
		if err := VerifyRunDigest(run, tampered); err == nil || ErrorCode(err) != ECONFLICT {
			t.Fatalf("run %d: tampered result verified: %v", run.ID, err)
		}
	}
	// A version 2 digest is not a version 1 digest.
	if err := VerifyRunDigest(MonitorRun{Digest: v2.Digest, DigestVersion: DigestV1}, results); err == nil {
		t.Fatal("a version 2 digest verified as version 1")
	}
	if err := VerifyRunDigest(MonitorRun{Digest: v2.Digest, DigestVersion: 3}, results); ErrorCode(err) != EINVALID {
		t.Fatalf("unknown version: %v", err)
	}
}
