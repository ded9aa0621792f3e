package rules

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// countingOrg is an organisation's store that counts its roster reads.
type countingOrg struct {
	store.OrgStore
	id, seq int64
	refuse  bool
	reads   int
}

func (o *countingOrg) OrgID() int64 { return o.id }
func (o *countingOrg) ChangeSeq(context.Context) (int64, error) {
	if o.refuse {
		return 0, errors.New("not for this view")
	}
	return o.seq, nil
}
func (o *countingOrg) People(context.Context) ([]assay.Person, error) {
	o.reads++
	return []assay.Person{{ID: 1, Name: "Ada"}}, nil
}

func TestCacheKeepsReadsUntilChangeOrNextMinute(t *testing.T) {
	ctx := context.Background()
	c := NewCache(2)
	a, b, d := &countingOrg{id: 1, seq: 10}, &countingOrg{id: 2, seq: 5}, &countingOrg{id: 3, seq: 7}
	// 31 December, a minute before the year turns.
	now := time.Date(2026, 12, 31, 23, 58, 30, 0, time.UTC)
	read := func(o *countingOrg, at time.Time) {
		t.Helper()
		s, _, ok := c.Shared(ctx, o, at)
		if !ok {
			t.Fatal("Shared refused a store that tells its latest change")
		}
		if _, err := s.People(ctx); err != nil {
			t.Fatal(err)
		}
	}
	read(a, now)
	read(a, now.Add(20*time.Second))
	if a.reads != 1 {
		t.Fatalf("same change, same minute: %d reads, want 1", a.reads)
	}
	a.seq++
	read(a, now.Add(21*time.Second))
	if a.reads != 2 {
		t.Fatalf("after a change: %d reads, want 2", a.reads)
	}
	read(a, now.Add(90*time.Second)) // 23:59:... the next minute
	if a.reads != 3 {
		t.Fatalf("the next minute: %d reads, want 3", a.reads)
	}
	read(b, now)
	read(a, now.Add(90*time.Second)) // a is the most recently used
	read(d, now)                     // room for d: b goes
	read(a, now.Add(90*time.Second))
	read(b, now)
	if a.reads != 3 || b.reads != 2 || d.reads != 1 {
		t.Fatalf("least recently used: reads a=%d b=%d d=%d, want 3 2 1", a.reads, b.reads, d.reads)
	}
	limited := &countingOrg{id: 1, seq: 11, refuse: true}
	s, _, ok := c.Shared(ctx, limited, now)
	if ok {
		t.Fatal("Shared kept reads for a store that cannot tell its latest change")
	}
	s.People(ctx)
	s.People(ctx)
	if limited.reads != 1 {
		t.Fatalf("refused store: %d reads in one request, want 1 (memoised for the request only)", limited.reads)
	}
	if _, _, ok := c.Shared(ctx, limited, now); ok || limited.reads != 1 {
		t.Fatal("a refused store's reads were kept for a later request")
	}
}

func TestDerivedComputedOncePerSnapshot(t *testing.T) {
	ctx := context.Background()
	c := NewCache(1)
	o := &countingOrg{id: 1, seq: 1}
	now := time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC)
	calls := 0
	compute := func() (int, error) { calls++; return calls, nil }
	for range 3 {
		s, _, _ := c.Shared(ctx, o, now)
		if v, err := Derived(s, "n", compute); err != nil || v != 1 {
			t.Fatalf("Derived = %d, %v; want 1", v, err)
		}
	}
	failing := func() (int, error) { return 0, errors.New("boom") }
	s, _, _ := c.Shared(ctx, o, now)
	if _, err := Derived(s, "m", failing); err == nil {
		t.Fatal("an error was not returned")
	}
	if v, err := Derived(s, "m", compute); err != nil || v != 2 {
		t.Fatalf("after an error, Derived = %d, %v; want it computed again (2)", v, err)
	}
	o.seq++
	s, _, _ = c.Shared(ctx, o, now)
	if v, _ := Derived(s, "n", compute); v != 3 {
		t.Fatalf("after a change, Derived = %d, want it computed again (3)", v)
	}
}

func TestDerivedUpToKeepsAtMostLimitKeysOfAGroup(t *testing.T) {
	ctx := context.Background()
	c := NewCache(1)
	o := &countingOrg{id: 1, seq: 1}
	now := time.Date(2027, 12, 31, 23, 59, 0, 0, time.UTC)
	calls := map[string]int{}
	get := func(group, key string) {
		s, _, _ := c.Shared(ctx, o, now)
		if _, err := DerivedUpTo(s, group, 2, key, func() (string, error) { calls[group+"/"+key]++; return key, nil }); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		for _, k := range []string{"a", "b", "c"} {
			get("list", k)
		}
		get("other", "a")
	}
	want := map[string]int{"list/a": 1, "list/b": 1, "list/c": 3, "other/a": 1}
	for k, n := range want {
		if calls[k] != n {
			t.Errorf("%s computed %d times, want %d (all: %v)", k, calls[k], n, calls)
		}
	}
	o.seq++ // a new snapshot starts its count again
	get("list", "c")
	if calls["list/c"] != 4 {
		t.Fatalf("list/c after a change computed %d times in all, want 4", calls["list/c"])
	}
	get("list", "c")
	if calls["list/c"] != 4 {
		t.Fatalf("list/c is not kept in the new snapshot: %d", calls["list/c"])
	}
}
