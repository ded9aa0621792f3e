package input

import "strings"

// SplitList splits "CC6.1, CC6.2 CC6.3" into ids.
func SplitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' || r == ';' })
}
