package monitor

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"unicode/utf16"

	"golang.org/x/text/encoding/unicode"

	"github.com/assay-platform/assay"
)

// Byte order marks a document may start with.
var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// Text turns an imported text document into plain UTF-8, as every
// document collector expects it: a UTF-8 byte order mark is dropped, and
// UTF-16 (little or big endian, as PowerShell and Windows tools write it)
// is decoded. UTF-16 is recognised by its byte order mark, or, without
// one, by a first character that is ASCII in UTF-16 (every JSON and YAML
// document starts with one). Anything else is returned as it is. Invalid
// UTF-16 (an odd number of bytes, a lone surrogate) is an EINVALID error
// naming the byte where it goes wrong.
func Text(data []byte) ([]byte, error) {
	var order binary.ByteOrder
	var endian unicode.Endianness
	body := data
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return data[len(bomUTF8):], nil
	case bytes.HasPrefix(data, bomUTF16LE):
		order, endian, body = binary.LittleEndian, unicode.LittleEndian, data[2:]
	case bytes.HasPrefix(data, bomUTF16BE):
		order, endian, body = binary.BigEndian, unicode.BigEndian, data[2:]
	case len(data) >= 2 && data[0] == 0 && data[1] != 0 && data[1] < 0x80:
		order, endian = binary.BigEndian, unicode.BigEndian
	case len(data) >= 2 && data[1] == 0 && data[0] != 0 && data[0] < 0x80:
		order, endian = binary.LittleEndian, unicode.LittleEndian
	default:
		return data, nil
	}
	name := "UTF-16LE"
	if endian == unicode.BigEndian {
		name = "UTF-16BE"
	}
	if err := checkUTF16(body, order, len(data)-len(body)); err != nil {
		return nil, assay.Invalid("input", "the document looks like %s but is not valid %s: %s; save it as UTF-8", name, name, err)
	}
	out, err := unicode.UTF16(endian, unicode.IgnoreBOM).NewDecoder().Bytes(body)
	if err != nil {
		return nil, assay.Invalid("input", "the %s document cannot be decoded: %v; save it as UTF-8", name, err)
	}
	return out, nil
}

// checkUTF16 finds the first flaw of UTF-16 text: an odd length or a
// surrogate without its pair. base is the offset of body in the document,
// so the error names the byte in the file as uploaded.
func checkUTF16(body []byte, order binary.ByteOrder, base int) error {
	if len(body)%2 != 0 {
		return fmt.Errorf("it ends in the middle of a character (an odd number of bytes)")
	}
	for i := 0; i < len(body); i += 2 {
		u := rune(order.Uint16(body[i:]))
		switch {
		case !utf16.IsSurrogate(u):
		case u >= 0xDC00:
			return fmt.Errorf("a low surrogate at byte %d has no high surrogate before it", base+i)
		case i+2 >= len(body) || !isLowSurrogate(rune(order.Uint16(body[i+2:]))):
			return fmt.Errorf("a high surrogate at byte %d has no low surrogate after it", base+i)
		default:
			i += 2
		}
	}
	return nil
}

func isLowSurrogate(r rune) bool { return r >= 0xDC00 && r <= 0xDFFF }
