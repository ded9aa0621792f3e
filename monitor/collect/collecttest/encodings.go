package collecttest

import (
	"encoding/binary"
	"unicode/utf16"
)

// Encodings returns doc (UTF-8 text) as the editors and shells people use
// save it: with a UTF-8 byte order mark (Notepad), and as UTF-16 little
// and big endian with a byte order mark (PowerShell's `>` and Out-File),
// keyed by a name for the subtest.
func Encodings(doc []byte) map[string][]byte {
	units := utf16.Encode([]rune(string(doc)))
	le := []byte{0xFF, 0xFE}
	be := []byte{0xFE, 0xFF}
	for _, u := range units {
		le = binary.LittleEndian.AppendUint16(le, u)
		be = binary.BigEndian.AppendUint16(be, u)
	}
	return map[string][]byte{
		"utf-8 with bom": append([]byte{0xEF, 0xBB, 0xBF}, doc...),
		"utf-16le":       le,
		"utf-16be":       be,
	}
}
