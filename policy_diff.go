package assay

import "strings"

// DiffLine is one line of a line diff: Op is ' ' (in both), '-' (only in
// the old text) or '+' (only in the new text).
type DiffLine struct {
	Op   byte   `json:"-"`
	Kind string `json:"kind"` // "same", "removed", "added"
	Text string `json:"text"`
}

// MaxDiffLines bounds the texts DiffLines compares: memory is linear in
// the lines, but time grows with lines times changes.
const MaxDiffLines = 5000

// DiffLines compares two texts line by line and keeps the most lines in
// common (a longest common subsequence), so unchanged lines stay together;
// each run of changes shows its removed lines, then its added lines.
func DiffLines(a, b string) []DiffLine {
	x, y := splitLines(a), splitLines(b)
	if len(x) > MaxDiffLines || len(y) > MaxDiffLines {
		x, y = x[:min(len(x), MaxDiffLines)], y[:min(len(y), MaxDiffLines)]
	}
	removed, added := shortestEdit(lineIDs(x, y))
	out := make([]DiffLine, 0, len(x)+len(y))
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		for ; i < len(x) && removed[i]; i++ {
			out = append(out, line('-', x[i]))
		}
		for ; j < len(y) && added[j]; j++ {
			out = append(out, line('+', y[j]))
		}
		if i < len(x) && j < len(y) {
			out = append(out, line(' ', x[i]))
			i, j = i+1, j+1
		}
	}
	return out
}

func line(op byte, text string) DiffLine {
	kind := map[byte]string{' ': "same", '-': "removed", '+': "added"}[op]
	return DiffLine{Op: op, Kind: kind, Text: text}
}

func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// lineIDs numbers the distinct lines of both texts, so the diff compares
// integers rather than strings.
func lineIDs(x, y []string) (xs, ys []int32) {
	ids := make(map[string]int32, len(x))
	number := func(lines []string) []int32 {
		out := make([]int32, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = int32(len(ids))
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	return number(x), number(y)
}

// DiffStats counts added and removed lines.
func DiffStats(d []DiffLine) (added, removed int) {
	for _, l := range d {
		switch l.Op {
		case '+':
			added++
		case '-':
			removed++
		}
	}
	return added, removed
}
