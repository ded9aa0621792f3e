package assay

import (
	"fmt"
	"strings"
	"testing"
)

// policyRevision returns an n-line policy and a heavy yearly revision of it:
// one line in seven reworded, one in eleven dropped and a new line after
// one in thirteen.
func policyRevision(n int) (old, revised string) {
	var a, b strings.Builder
	for i := range n {
		l := fmt.Sprintf("%d. Staff follow control %d of section %d.", i, i*7919%1000, i/50)
		a.WriteString(l + "\n")
		switch {
		case i%11 == 0:
		case i%7 == 0:
			b.WriteString(l + " Reviewed yearly.\n")
		default:
			b.WriteString(l + "\n")
		}
		if i%13 == 0 {
			fmt.Fprintf(&b, "Added guidance %d.\n", i)
		}
	}
	return a.String(), b.String()
}

func BenchmarkPolicyDiff5000(b *testing.B) {
	old, revised := policyRevision(5000)
	b.ReportAllocs()
	for b.Loop() {
		DiffLines(old, revised)
	}
}
