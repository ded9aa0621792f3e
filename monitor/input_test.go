package monitor

import "testing"

func TestLineCol(t *testing.T) {
	doc := []byte("{\n  \"a\": 1,\n  \"b\": x\n}")
	for _, c := range []struct {
		off             int64
		wantLn, wantCol int
	}{{0, 1, 1}, {2, 2, 1}, {18, 3, 7}, {999, 4, 2}, {-5, 1, 1}} {
		if ln, col := LineCol(doc, c.off); ln != c.wantLn || col != c.wantCol {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", c.off, ln, col, c.wantLn, c.wantCol)
		}
	}
}
