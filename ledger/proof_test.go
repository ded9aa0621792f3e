package ledger_test

import (
	"fmt"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/assay-platform/assay/ledger"
)

// memTree builds a tree of n leaves "leaf 0", "leaf 1", ...
func memTree(t testing.TB, n int) *ledger.MemoryTree {
	m := &ledger.MemoryTree{}
	for i := range n {
		if _, err := m.Append(tlog.RecordHash([]byte(fmt.Sprint("leaf ", i)))); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func TestMemoryTreeIsTlogsTree(t *testing.T) {
	m := memTree(t, 100)
	if int64(len(m.Hashes)) != tlog.StoredHashCount(100) || m.N != 100 {
		t.Fatalf("%d hashes for %d leaves", len(m.Hashes), m.N)
	}
	// Stored hashes are what tlog.StoredHashes would write.
	var want []tlog.Hash
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = want[x]
		}
		return out, nil
	})
	for i := range 100 {
		hs, err := tlog.StoredHashes(int64(i), []byte(fmt.Sprint("leaf ", i)), r)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, hs...)
	}
	for i := range want {
		if want[i] != m.Hashes[i] {
			t.Fatalf("stored hash %d differs", i)
		}
	}
}

func TestProofsCheck(t *testing.T) {
	m := memTree(t, 37)
	for n := int64(1); n <= 37; n++ {
		root, err := m.Root(n)
		if err != nil {
			t.Fatal(err)
		}
		for i := int64(0); i < n; i++ {
			proof, err := tlog.ProveRecord(n, i, m)
			if err != nil {
				t.Fatal(err)
			}
			leaf := fmt.Sprint("leaf ", i)
			p := ledger.Inclusion{Index: i, TreeSize: n, Leaf: leaf, LeafHash: tlog.RecordHash([]byte(leaf)), Proof: proof, Root: root}
			if err := p.Check(); err != nil {
				t.Fatalf("leaf %d in %d: %v", i, n, err)
			}
			bad := p
			bad.Leaf += "!"
			if bad.Check() == nil {
				t.Fatal("a changed leaf checked")
			}
			bad = p
			bad.LeafHash = tlog.RecordHash([]byte("other"))
			bad.Leaf = "other"
			if bad.Check() == nil {
				t.Fatal("another leaf checked")
			}
		}
		for from := int64(1); from <= n; from++ {
			proof, err := tlog.ProveTree(n, from, m)
			if err != nil {
				t.Fatal(err)
			}
			fromRoot, _ := m.Root(from)
			p := ledger.Consistency{From: from, To: n, FromRoot: fromRoot, ToRoot: root, Proof: proof}
			if err := p.Check(); err != nil {
				t.Fatalf("%d..%d: %v", from, n, err)
			}
			if from < n {
				other := memTree(t, int(n))
				other.Hashes[0] = tlog.RecordHash([]byte("changed"))
				p.FromRoot, _ = other.Root(from)
				if p.FromRoot != fromRoot && p.Check() == nil {
					t.Fatalf("%d..%d: checked against a changed history", from, n)
				}
			}
		}
	}
}

func BenchmarkMemoryTreeAppend(b *testing.B) {
	h := tlog.RecordHash([]byte("leaf"))
	m := &ledger.MemoryTree{}
	for b.Loop() {
		if _, err := m.Append(h); err != nil {
			b.Fatal(err)
		}
	}
}
