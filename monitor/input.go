package monitor

// LineCol turns a byte offset in a document (as encoding/json's errors
// give it) into the 1-based line and column people look for in their
// editor. An offset past the end counts as the end.
func LineCol(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col = 1, 1
	for _, c := range data[:max(off, 0)] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}
