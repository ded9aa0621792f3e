package assay

import "strings"

// DiffLine is one line of a line diff: Op is ' ' (in both), '-' (only in
// the old text) or '+' (only in the new text).
type DiffLine struct {
	Op   byte   `json:"-"`
	Kind string `json:"kind"` // "same", "removed", "added"
	Text string `json:"text"`
}

// MaxDiffLines bounds the texts DiffLines compares (the table is n*m).
const MaxDiffLines = 5000

// DiffLines compares two texts line by line with a longest common
// subsequence, so unchanged lines stay together and changes show as
// removed then added lines.
func DiffLines(a, b string) []DiffLine {
	x, y := splitLines(a), splitLines(b)
	if len(x) > MaxDiffLines || len(y) > MaxDiffLines {
		x, y = x[:min(len(x), MaxDiffLines)], y[:min(len(y), MaxDiffLines)]
	}
	// Common prefix and suffix need no table.
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	out := make([]DiffLine, 0, len(x)+len(y))
	for _, l := range x[:pre] {
		out = append(out, line(' ', l))
	}
	out = append(out, lcsDiff(x[pre:len(x)-suf], y[pre:len(y)-suf])...)
	for _, l := range x[len(x)-suf:] {
		out = append(out, line(' ', l))
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

func lcsDiff(x, y []string) []DiffLine {
	n, m := len(x), len(y)
	// l[i][j] is the LCS length of x[i:] and y[j:].
	l := make([][]int32, n+1)
	for i := range l {
		l[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	var out []DiffLine
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case x[i] == y[j]:
			out = append(out, line(' ', x[i]))
			i, j = i+1, j+1
		case l[i+1][j] >= l[i][j+1]:
			out = append(out, line('-', x[i]))
			i++
		default:
			out = append(out, line('+', y[j]))
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, line('-', x[i]))
	}
	for ; j < m; j++ {
		out = append(out, line('+', y[j]))
	}
	return out
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
