package ledger

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// rangeOf builds a proof of the leaves [from, to) of a tree of leaves
// made by leaf(i); leaves for which own(i) is false travel as hashes.
func rangeOf(t *testing.T, k *Key, leaves []string, from, to int64, own func(int64) bool) RangeProof {
	t.Helper()
	m := &MemoryTree{}
	for _, l := range leaves[:to] {
		if _, err := m.Append(tlog.RecordHash([]byte(l))); err != nil {
			t.Fatal(err)
		}
	}
	fr, err := Frontier(from, m)
	if err != nil {
		t.Fatal(err)
	}
	tree := func(n int64) Tree {
		r, err := m.Root(n)
		if err != nil {
			t.Fatal(err)
		}
		return Tree{Size: n, Root: r}
	}
	p := RangeProof{From: tree(from), To: tree(to), Frontier: fr}
	at := time.Date(2027, 3, 31, 23, 30, 0, 0, time.UTC)
	if from > 0 {
		if p.FromNote, err = k.Sign(p.From, at); err != nil {
			t.Fatal(err)
		}
	}
	if p.ToNote, err = k.Sign(p.To, at); err != nil {
		t.Fatal(err)
	}
	for i := from; i < to; i++ {
		if own(i) {
			p.Leaves = append(p.Leaves, RangeLeaf{Index: i, Data: leaves[i]})
		} else {
			p.Leaves = append(p.Leaves, RangeLeaf{Index: i, Hash: tlog.RecordHash([]byte(leaves[i]))})
		}
	}
	return p
}

func TestRangeProof(t *testing.T) {
	k, _, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	var leaves []string
	for i := range 70 {
		leaves = append(leaves, fmt.Sprintf(`{"index":%d,"seq":%d,"org_id":%d}`, i, i+1, 1+i%3))
	}
	own := func(i int64) bool { return i%3 == 0 }
	// Every range of a tree of up to 70 leaves, including the empty start.
	for from := int64(0); from <= 70; from++ {
		for to := from; to <= 70; to += 1 + to/9 {
			p := rangeOf(t, k, leaves, from, to, own)
			got, err := p.Check(k.Verifier())
			if err != nil {
				t.Fatalf("[%d, %d): %v", from, to, err)
			}
			want := 0
			for i := from; i < to; i++ {
				if own(i) {
					want++
				}
			}
			if len(got) != want {
				t.Fatalf("[%d, %d): %d own leaves, want %d", from, to, len(got), want)
			}
		}
	}

	good := rangeOf(t, k, leaves, 13, 58, own)
	for name, spoil := range map[string]func(p *RangeProof){
		"a leaf left out": func(p *RangeProof) {
			p.Leaves = append(p.Leaves[:5:5], p.Leaves[6:]...)
		},
		"a leaf added": func(p *RangeProof) {
			p.Leaves = append(p.Leaves, RangeLeaf{Index: 58, Data: `{"index":58}`})
		},
		"a leaf changed": func(p *RangeProof) {
			p.Leaves[2].Data = strings.Replace(p.Leaves[2].Data, `"org_id":1`, `"org_id":2`, 1) // leaf 15, the organisation's
		},
		"an own leaf passed off as another's": func(p *RangeProof) {
			p.Leaves[2].Data, p.Leaves[2].Hash = "", tlog.Hash{1}
		},
		"two leaves swapped": func(p *RangeProof) {
			p.Leaves[3], p.Leaves[4] = p.Leaves[4], p.Leaves[3]
			p.Leaves[3].Index, p.Leaves[4].Index = p.Leaves[4].Index, p.Leaves[3].Index
		},
		"a wrong frontier": func(p *RangeProof) { p.Frontier[0][0] ^= 1 },
		"an unsigned end": func(p *RangeProof) {
			p.To.Size--
			p.Leaves = p.Leaves[:len(p.Leaves)-1]
		},
		"another key's checkpoint": func(p *RangeProof) {
			other, _, _ := NewKey()
			p.ToNote, _ = other.Sign(p.To, time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC))
		},
	} {
		p := good
		p.Leaves = append([]RangeLeaf(nil), good.Leaves...)
		p.Frontier = append([]tlog.Hash(nil), good.Frontier...)
		spoil(&p)
		if _, err := p.Check(k.Verifier()); err == nil {
			t.Errorf("%s: the proof still checks", name)
		}
	}
}
