package storetest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
	"github.com/assay-platform/assay/store"
)

var ledgerTests = []subtest{
	{"LedgerHoldsEveryEntry", testLedgerHoldsEveryEntry},
	{"LedgerInclusionProofs", testLedgerInclusionProofs},
	{"LedgerConsistencyProofs", testLedgerConsistencyProofs},
	{"LedgerCheckpoints", testLedgerCheckpoints},
	{"LedgerCheckpointRefusesBadNotes", testLedgerCheckpointBadNotes},
	{"LedgerProofTenancy", testLedgerProofTenancy},
	{"LedgerRangeProof", testLedgerRangeProof},
	{"LedgerRefusedChangeAppendsNothing", testLedgerRefusedChange},
	{"LedgerConcurrentWriters", testLedgerConcurrentWriters},
	{"LedgerVerifyReplaysState", testLedgerVerifyReplaysState},
}

// trail returns every entry of the organisations, oldest first.
func (e *Env) trail(orgs ...store.OrgStore) []assay.Activity {
	e.T.Helper()
	var all []assay.Activity
	for _, o := range orgs {
		all = append(all, e.Activity(o)...)
	}
	slices.SortFunc(all, func(a, b assay.Activity) int { return int(a.Seq - b.Seq) })
	return all
}

// Verify runs ledger.Verify on the store and fails the test on any error.
func (e *Env) Verify(opts ledger.Options) ledger.Report {
	e.T.Helper()
	var rep ledger.Report
	err := e.Store.LedgerSnapshot(e.Ctx, func(s ledger.Snapshot) error {
		var err error
		rep, err = ledger.Verify(e.Ctx, s, opts)
		return err
	})
	if err != nil {
		e.T.Fatalf("verify: %v", err)
	}
	return rep
}

// someHistory makes a few kinds of change in an organisation.
func (e *Env) someHistory(os store.OrgStore) {
	e.T.Helper()
	u := e.User(os, "ann@example.com", assay.RoleMember)
	e.Update(os, "AC-01", assay.ControlPatch{Notes: ptr("reviewed\n\"quoted\" \\ tab\t and ünïcode"), OwnerID: ptr(u.ID)})
	e.SetStatus(os, "PR-01", assay.StatusNotApplicable)
	must(os.UpdateScope(e.Ctx, Actor, assay.Scope{Categories: []string{"availability"}})).get(e.T)
	must(os.CreateControl(e.Ctx, assay.ActorFor(u, "api"), assay.NewCustomControl("CUS-1", "Custom <one> & more", "", []string{"CC6.1"}))).get(e.T)
}

func testLedgerHoldsEveryEntry(e *Env) {
	t := e.T
	tree := must(e.Store.LedgerTree(e.Ctx)).get(t)
	if tree.Size != 0 {
		t.Fatalf("empty store: tree size %d", tree.Size)
	}
	_, a := e.Org("acme")
	_, b := e.Org("bravo")
	e.someHistory(a)
	e.Update(b, "AV-01", assay.ControlPatch{Notes: ptr("b")})
	all := e.trail(a, b)

	// The tree is the entries as the store returns them, in seq order:
	// each leaf rebuilds from the public activity row.
	mem := &ledger.MemoryTree{}
	for i, act := range all {
		if _, err := mem.Append(ledger.EntryFromActivity(int64(i), act).Hash()); err != nil {
			t.Fatal(err)
		}
	}
	root := must(mem.Root(mem.N)).get(t)
	tree = must(e.Store.LedgerTree(e.Ctx)).get(t)
	if tree.Size != int64(len(all)) || tree.Root != root {
		t.Fatalf("tree = %d %s, want %d %s rebuilt from the trail", tree.Size, tree.Root, len(all), root)
	}
	rep := e.Verify(ledger.Options{})
	if rep.Entries != int64(len(all)) || rep.Root != root || rep.StoredHashes != int64(len(mem.Hashes)) {
		t.Fatalf("verify report = %+v", rep)
	}
}

func testLedgerInclusionProofs(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	e.someHistory(os)
	all := e.trail(os)
	n := int64(len(all))
	for i, act := range all {
		idx := int64(i)
		for _, size := range []int64{idx + 1, (idx + 1 + n) / 2, n} {
			p := must(e.Store.LedgerInclusionBySeq(e.Ctx, act.Seq, size)).get(t)
			if err := p.Check(); err != nil {
				t.Fatalf("#%d in %d: %v", act.Seq, size, err)
			}
			if p.Seq != act.Seq || p.Index != idx || p.TreeSize != size || p.Leaf != string(ledger.EntryFromActivity(idx, act).Leaf()) {
				t.Fatalf("#%d in %d: proof = %+v", act.Seq, size, p)
			}
			byIndex := must(e.Store.LedgerInclusion(e.Ctx, idx, size)).get(t)
			jsonEq(t, byIndex, p, "proof by index")
			org := must(os.LedgerProof(e.Ctx, act.Seq, size)).get(t)
			jsonEq(t, org, p, "organisation's proof")
		}
	}
	// Without a size: the current tree, until a checkpoint covers the entry.
	last := all[len(all)-1]
	if p := must(e.Store.LedgerInclusionBySeq(e.Ctx, last.Seq, 0)).get(t); p.TreeSize != n || p.Checkpoint != nil {
		t.Fatalf("default size = %d (checkpoint %v), want %d", p.TreeSize, p.Checkpoint, n)
	}
	key, _ := must2(ledger.NewKey()).get(t)
	cp, _ := must2(e.Store.AppendCheckpoint(e.Ctx, key.Sign)).get(t)
	e.Update(os, "AV-01", assay.ControlPatch{Notes: ptr("after the checkpoint")})
	p := must(e.Store.LedgerInclusionBySeq(e.Ctx, last.Seq, 0)).get(t)
	if p.TreeSize != n || p.Checkpoint == nil || p.Checkpoint.Size != n || p.Checkpoint.Root != p.Root || p.Root != cp.Root {
		t.Fatalf("default size after a checkpoint = %+v", p)
	}
	newest := e.Activity(os)[0]
	if p := must(e.Store.LedgerInclusionBySeq(e.Ctx, newest.Seq, 0)).get(t); p.TreeSize != n+1 || p.Checkpoint != nil {
		t.Fatalf("entry after the checkpoint: size %d", p.TreeSize)
	}

	_, err := e.Store.LedgerInclusionBySeq(e.Ctx, last.Seq, n-1) // the entry is leaf n-1
	wantCode(t, err, assay.EINVALID, "size not covering the entry")
	_, err = e.Store.LedgerInclusionBySeq(e.Ctx, last.Seq, n+2)
	wantCode(t, err, assay.EINVALID, "size beyond the tree")
	_, err = e.Store.LedgerInclusionBySeq(e.Ctx, newest.Seq+100, 0)
	wantCode(t, err, assay.ENOTFOUND, "unknown seq")
	_, err = e.Store.LedgerInclusion(e.Ctx, n+5, 0)
	wantCode(t, err, assay.ENOTFOUND, "unknown leaf")
	_, err = e.Store.LedgerInclusion(e.Ctx, -1, 0)
	wantCode(t, err, assay.ENOTFOUND, "negative leaf")
}

func testLedgerConsistencyProofs(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	e.someHistory(os)
	for i := range 9 {
		e.Update(os, LibraryIDs[i%len(LibraryIDs)], assay.ControlPatch{Notes: ptr(fmt.Sprint(i))})
	}
	n := must(e.Store.LedgerTree(e.Ctx)).get(t).Size
	for from := int64(1); from <= n; from++ {
		for _, to := range []int64{from, (from + n) / 2, n} {
			if to < from {
				continue
			}
			p := must(e.Store.LedgerConsistency(e.Ctx, from, to)).get(t)
			if err := p.Check(); err != nil {
				t.Fatalf("%d..%d: %v", from, to, err)
			}
			// The roots are the trees' roots: an inclusion proof at each size agrees.
			if in := must(e.Store.LedgerInclusion(e.Ctx, 0, from)).get(t); in.Root != p.FromRoot {
				t.Fatalf("%d..%d: from root %s, inclusion root %s", from, to, p.FromRoot, in.Root)
			}
		}
	}
	// A wrong root does not check.
	p := must(e.Store.LedgerConsistency(e.Ctx, 3, n)).get(t)
	p.FromRoot[0] ^= 1
	if p.Check() == nil {
		t.Fatal("consistency proof checked against a wrong root")
	}
	// Without to: the current size.
	if p := must(e.Store.LedgerConsistency(e.Ctx, 2, 0)).get(t); p.To != n {
		t.Fatalf("default to = %d, want %d", p.To, n)
	}
	for _, c := range [][2]int64{{0, n}, {-1, n}, {n, n - 1}, {1, n + 1}} {
		_, err := e.Store.LedgerConsistency(e.Ctx, c[0], c[1])
		wantCode(t, err, assay.EINVALID, fmt.Sprintf("consistency %d..%d", c[0], c[1]))
	}
}

func testLedgerCheckpoints(e *Env) {
	t := e.T
	key, _ := must2(ledger.NewKey()).get(t)
	if cp, issued := must2(e.Store.AppendCheckpoint(e.Ctx, key.Sign)).get(t); issued || cp.Size != 0 {
		t.Fatalf("empty ledger: checkpoint %+v issued %v", cp, issued)
	}
	_, err := e.Store.LatestCheckpoint(e.Ctx)
	wantCode(t, err, assay.ENOTFOUND, "latest checkpoint of an empty ledger")

	_, os := e.Org("acme")
	e.Clock.Advance(time.Minute)
	first, issued := must2(e.Store.AppendCheckpoint(e.Ctx, key.Sign)).get(t)
	tree := must(e.Store.LedgerTree(e.Ctx)).get(t)
	if !issued || first.Size != 2 || first.Root != tree.Root || first.PrevSize != 0 || !first.CreatedAt.Equal(e.Clock.Now()) {
		t.Fatalf("first checkpoint = %+v (issued %v), tree %+v", first, issued, tree)
	}
	if got, at, err := ledger.OpenCheckpoint(first.Note, key.Verifier()); err != nil || got != tree || !at.Equal(e.Clock.Now()) {
		t.Fatalf("signed tree = %+v at %v (%v), want %+v at %v", got, at, err, tree, e.Clock.Now())
	}
	// Nothing new: no new checkpoint.
	e.Clock.Advance(time.Minute)
	if again, issued := must2(e.Store.AppendCheckpoint(e.Ctx, key.Sign)).get(t); issued {
		t.Fatalf("checkpoint issued with no new entries: %+v", again)
	} else {
		jsonEq(t, again, first, "checkpoint without new entries")
	}
	e.Update(os, "AC-01", assay.ControlPatch{Notes: ptr("x")})
	e.Update(os, "AC-02", assay.ControlPatch{Notes: ptr("y")})
	second, issued := must2(e.Store.AppendCheckpoint(e.Ctx, key.Sign)).get(t)
	if !issued || second.Size != 4 || second.PrevSize != 2 {
		t.Fatalf("second checkpoint = %+v", second)
	}
	e.Update(os, "AC-02", assay.ControlPatch{Notes: ptr("z")})
	third, _ := must2(e.Store.AppendCheckpoint(e.Ctx, key.Sign)).get(t)
	jsonEq(t, must(e.Store.LatestCheckpoint(e.Ctx)).get(t), third, "latest checkpoint")
	jsonEq(t, must(e.Store.Checkpoints(e.Ctx, 0, 10)).get(t), []ledger.Checkpoint{third, second, first}, "checkpoints")
	jsonEq(t, must(e.Store.Checkpoints(e.Ctx, 0, 2)).get(t), []ledger.Checkpoint{third, second}, "first page")
	jsonEq(t, must(e.Store.Checkpoints(e.Ctx, second.Size, 2)).get(t), []ledger.Checkpoint{first}, "second page")

	// Consistency between checkpoints checks against their signed roots.
	p := must(e.Store.LedgerConsistency(e.Ctx, first.Size, third.Size)).get(t)
	if p.FromRoot != first.Root || p.ToRoot != third.Root || p.Check() != nil {
		t.Fatalf("consistency between checkpoints = %+v", p)
	}
	rep := e.Verify(ledger.Options{Verifier: key.Verifier(), LastCheckpoint: third.Note, RequireLastCheckpoint: true})
	if rep.Checkpoints != 3 || rep.Latest == nil || rep.Latest.Size != third.Size {
		t.Fatalf("verify report = %+v", rep)
	}
	// Another key's signatures do not verify.
	other, _ := must2(ledger.NewKey()).get(t)
	err = e.Store.LedgerSnapshot(e.Ctx, func(s ledger.Snapshot) error {
		_, err := ledger.Verify(e.Ctx, s, ledger.Options{Verifier: other.Verifier()})
		return err
	})
	if _, ok := err.(*ledger.Mismatch); !ok {
		t.Fatalf("verify with another key: %v", err)
	}
}

func testLedgerCheckpointBadNotes(e *Env) {
	t := e.T
	key, _ := must2(ledger.NewKey()).get(t)
	e.Org("acme")
	if _, _, err := e.Store.AppendCheckpoint(e.Ctx, func(ledger.Tree, time.Time) (string, error) { return "", fmt.Errorf("no signer") }); err == nil {
		t.Fatal("a failing signer stored a checkpoint")
	}
	lying := func(tr ledger.Tree, at time.Time) (string, error) { tr.Size++; return key.Sign(tr, at) }
	if _, _, err := e.Store.AppendCheckpoint(e.Ctx, lying); err == nil {
		t.Fatal("a note for another tree was stored")
	}
	late := func(tr ledger.Tree, at time.Time) (string, error) { return key.Sign(tr, at.Add(time.Hour)) }
	if _, _, err := e.Store.AppendCheckpoint(e.Ctx, late); err == nil {
		t.Fatal("a note for another time was stored")
	}
	_, err := e.Store.LatestCheckpoint(e.Ctx)
	wantCode(t, err, assay.ENOTFOUND, "latest checkpoint after refused notes")
}

func testLedgerProofTenancy(e *Env) {
	t := e.T
	_, a := e.Org("acme")
	_, b := e.Org("bravo")
	ea, eb := e.Activity(a)[0], e.Activity(b)[0]
	if p := must(a.LedgerProof(e.Ctx, ea.Seq, 0)).get(t); p.Seq != ea.Seq || p.Check() != nil {
		t.Fatalf("own proof = %+v", p)
	}
	_, err := a.LedgerProof(e.Ctx, eb.Seq, 0)
	wantCode(t, err, assay.ENOTFOUND, "another organisation's entry")
	_, err = e.Store.Org(9999).LedgerProof(e.Ctx, ea.Seq, 0)
	wantCode(t, err, assay.ENOTFOUND, "entry from a missing organisation")
}

func testLedgerRefusedChange(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	before := must(e.Store.LedgerTree(e.Ctx)).get(t)
	_, err := os.CreateControl(e.Ctx, Actor, assay.NewCustomControl("AC-01", "Duplicate", "", []string{"CC6.1"}))
	wantCode(t, err, assay.ECONFLICT, "duplicate control")
	_, err = os.UpdateControl(e.Ctx, Actor, "AC-01", assay.ControlPatch{Criteria: &[]string{"ZZ9.9"}})
	wantCode(t, err, assay.EINVALID, "unknown criterion")
	_, err = e.Store.CreateOrganization(e.Ctx, Actor, "Again", "acme", assay.Scope{}, LibraryControls())
	wantCode(t, err, assay.ECONFLICT, "duplicate organisation")
	jsonEq(t, must(e.Store.LedgerTree(e.Ctx)).get(t), before, "tree after refused changes")
	e.Update(os, "AC-01", assay.ControlPatch{Notes: ptr("accepted")})
	if got := must(e.Store.LedgerTree(e.Ctx)).get(t); got.Size != before.Size+1 {
		t.Fatalf("tree size after one change = %d, want %d", got.Size, before.Size+1)
	}
	e.Verify(ledger.Options{})
}

func testLedgerConcurrentWriters(e *Env) {
	t := e.T
	_, a := e.Org("acme")
	_, b := e.Org("bravo")
	key, _ := must2(ledger.NewKey()).get(t)
	const workers, updates = 6, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*updates+updates)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			os := []store.OrgStore{a, b}[w%2]
			for i := range updates {
				if _, err := os.UpdateControl(e.Ctx, Actor, LibraryIDs[w%len(LibraryIDs)], assay.ControlPatch{Notes: ptr(fmt.Sprint(w, i))}); err != nil {
					errs <- err
				}
			}
		}()
	}
	// Checkpoints are issued while the writers run.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range updates {
			if _, _, err := e.Store.AppendCheckpoint(e.Ctx, key.Sign); err != nil {
				errs <- err
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	all := e.trail(a, b)
	if tree := must(e.Store.LedgerTree(e.Ctx)).get(t); tree.Size != int64(len(all)) || len(all) != 4+workers*updates {
		t.Fatalf("tree size %d, %d entries", tree.Size, len(all))
	}
	for i, act := range all {
		if p := must(e.Store.LedgerInclusionBySeq(e.Ctx, act.Seq, 0)).get(t); p.Index != int64(i) {
			t.Fatalf("entry #%d is leaf %d, want %d: leaves are not in seq order", act.Seq, p.Index, i)
		}
	}
	e.Verify(ledger.Options{Verifier: key.Verifier()})
}

func testLedgerVerifyReplaysState(e *Env) {
	t := e.T
	_, a := e.Org("acme")
	e.someHistory(a)
	_, b := e.Org("bravo", "privacy")
	u := e.User(b, "bob@example.com", assay.RoleAdmin)
	v := e.User(b, "vic@example.com", assay.RoleViewer)
	must(b.UpdateUserRole(e.Ctx, Actor, v.ID, assay.RoleAuditor)).get(t)
	must(b.SetUserDisabled(e.Ctx, Actor, v.ID, true)).get(t)
	check(t, b.SetPassword(e.Ctx, Actor, u.ID, "new-hash"), "set password")
	check(t, b.RecordLogin(e.Ctx, u.ID, "web"), "record login")
	tok := must(b.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: u.ID, Name: "ci", Prefix: "assay_pat_abc"}, "hash-1")).get(t)
	exp := e.Clock.Now().Add(48 * time.Hour)
	must(b.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: u.ID, Name: "cd", Prefix: "assay_pat_def", ExpiresAt: &exp}, "hash-2")).get(t)
	check(t, b.RevokeAPIToken(e.Ctx, Actor, tok.ID), "revoke token")
	must(b.UpdateSystemDescription(e.Ctx, Actor, assay.SystemDescription{Services: "Payroll", Subservices: []assay.SubserviceOrg{}})).get(t)
	e.Update(b, "AC-01", assay.ControlPatch{Criteria: &[]string{"CC6.1"}, Status: ptr(assay.StatusInProgress)})

	rep := e.Verify(ledger.Options{})
	if rep.Organizations != 2 || rep.Controls != 2*len(LibraryIDs)+1 || rep.Users != 3 || rep.APITokens != 2 {
		t.Fatalf("verify report = %+v", rep)
	}
}

// must2 is must for calls with two results: must2(f()).get(t).
func must2[A, B any](a A, b B, err error) result2[A, B] { return result2[A, B]{a, b, err} }

type result2[A, B any] struct {
	a   A
	b   B
	err error
}

func (r result2[A, B]) get(t *testing.T) (A, B) {
	t.Helper()
	if r.err != nil {
		t.Fatalf("unexpected error: %v", r.err)
	}
	return r.a, r.b
}

// A range proof carries the organisation's own entries and only the
// hashes of another's, and checks against signed checkpoints.
func testLedgerRangeProof(e *Env) {
	t := e.T
	_, a := e.Org("acme")
	e.someHistory(a)
	bo, b := e.Org("bravo")
	e.SetStatus(b, "PR-01", assay.StatusNotApplicable)
	e.Update(a, "AC-01", assay.ControlPatch{Notes: ptr("after bravo")})
	key, _, err := ledger.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	sign := func(tr ledger.Tree) string {
		n, err := key.Sign(tr, time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	size := must(e.Store.LedgerTree(e.Ctx)).get(t).Size
	own := 0
	for _, x := range e.trail(a) {
		if must(a.LedgerProof(e.Ctx, x.Seq, 0)).get(t).Index >= 3 {
			own++
		}
	}
	p := must(a.LedgerRange(e.Ctx, 3, size)).get(t)
	p.FromNote, p.ToNote = sign(p.From), sign(p.To)
	leaves, err := p.Check(key.Verifier())
	if err != nil {
		t.Fatalf("range [3, %d): %v", size, err)
	}
	if len(leaves) != own || len(p.Leaves) != int(size-3) {
		t.Fatalf("range [3, %d): %d own leaves of %d, want %d of %d", size, len(leaves), len(p.Leaves), own, size-3)
	}
	for _, l := range leaves {
		if strings.Contains(l, `"org_id":`+fmt.Sprint(bo.ID)+`,`) {
			t.Fatalf("another organisation's entry in the range: %s", l)
		}
	}
	_, err = a.LedgerRange(e.Ctx, 0, size+1)
	wantCode(t, err, assay.EINVALID, "a range past the end")
	_, err = a.LedgerRange(e.Ctx, 5, 4)
	wantCode(t, err, assay.EINVALID, "a backwards range")
}
