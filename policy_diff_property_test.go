package assay

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// lcsLength is the textbook quadratic table, kept here as the reference the
// linear-space diff is checked against.
func lcsLength(x, y []string) int {
	l := make([][]int, len(x)+1)
	for i := range l {
		l[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	return l[0][0]
}

// randomLines draws up to n lines from a small vocabulary, so the two
// sides share many lines and the diff has real choices to make.
func randomLines(r *rand.Rand, n, vocabulary int) []string {
	out := make([]string, r.IntN(n+1))
	for i := range out {
		out[i] = string(rune('a' + r.IntN(vocabulary)))
	}
	return out
}

func joinLines(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

// TestDiffLinesProperties checks, on random pairs, that the diff rebuilds
// both texts, keeps as many lines as the longest common subsequence, and
// shows each run of changes as removals then additions.
func TestDiffLinesProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 5))
	for round := range 3000 {
		vocabulary := 1 + round%8
		x, y := randomLines(r, 40, vocabulary), randomLines(r, 40, vocabulary)
		if round%5 == 0 { // a revision of x rather than an unrelated text
			y = revise(r, x, vocabulary)
		}
		d := DiffLines(joinLines(x), joinLines(y))
		var before, after []string
		same, lastOp := 0, byte(' ')
		for _, l := range d {
			switch l.Op {
			case ' ':
				before, after = append(before, l.Text), append(after, l.Text)
				same++
			case '-':
				before = append(before, l.Text)
				if lastOp == '+' {
					t.Fatalf("%q -> %q: a removal follows an addition in %v", x, y, d)
				}
			case '+':
				after = append(after, l.Text)
			default:
				t.Fatalf("op %q", l.Op)
			}
			if want := map[byte]string{' ': "same", '-': "removed", '+': "added"}[l.Op]; l.Kind != want {
				t.Fatalf("kind %q for op %q", l.Kind, l.Op)
			}
			lastOp = l.Op
		}
		if joinLines(before) != joinLines(x) || joinLines(after) != joinLines(y) {
			t.Fatalf("%q -> %q: diff rebuilds %q -> %q", x, y, before, after)
		}
		if want := lcsLength(x, y); same != want {
			t.Fatalf("%q -> %q: %d lines kept, the longest common subsequence has %d", x, y, same, want)
		}
		if add, rem := DiffStats(d); add != len(y)-same || rem != len(x)-same {
			t.Fatalf("stats %d/%d for %d same of %d/%d", add, rem, same, len(x), len(y))
		}
	}
}

// revise edits a few lines of x: drops, inserts and rewrites.
func revise(r *rand.Rand, x []string, vocabulary int) []string {
	var y []string
	for _, l := range x {
		switch r.IntN(10) {
		case 0:
		case 1:
			y = append(y, l, string(rune('a'+r.IntN(vocabulary))))
		case 2:
			y = append(y, string(rune('a'+r.IntN(vocabulary))))
		default:
			y = append(y, l)
		}
	}
	return y
}
