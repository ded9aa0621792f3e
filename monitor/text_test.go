package monitor

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/assay-platform/assay"
)

func TestText(t *testing.T) {
	const doc = "{\"name\": \"café 🔒\"}\n"
	le := func(s string, bom bool) []byte {
		var b []byte
		if bom {
			b = []byte{0xFF, 0xFE}
		}
		for _, r := range s {
			if r > 0xFFFF {
				r -= 0x10000
				hi, lo := 0xD800+(r>>10), 0xDC00+(r&0x3FF)
				b = append(b, byte(hi), byte(hi>>8), byte(lo), byte(lo>>8))
				continue
			}
			b = append(b, byte(r), byte(r>>8))
		}
		return b
	}
	swap := func(b []byte) []byte {
		out := make([]byte, len(b))
		for i := 0; i+1 < len(b); i += 2 {
			out[i], out[i+1] = b[i+1], b[i]
		}
		return out
	}
	for name, in := range map[string][]byte{
		"utf-8":             []byte(doc),
		"utf-8 bom":         append([]byte{0xEF, 0xBB, 0xBF}, doc...),
		"utf-16le bom":      le(doc, true),
		"utf-16be bom":      swap(le(doc, true)),
		"utf-16le, no bom":  le(doc, false),
		"utf-16be, no bom":  swap(le(doc, false)),
		"empty utf-16 body": {0xFF, 0xFE},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := Text(in)
			want := doc
			if name == "empty utf-16 body" {
				want = ""
			}
			if err != nil || string(got) != want {
				t.Fatalf("Text = %q, %v; want %q", got, err, want)
			}
		})
	}

	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"odd length", append(le("{}", true), '\n'), "not valid UTF-16LE: it ends in the middle of a character"},
		{"lone low surrogate", append(le("{", true), 0x00, 0xDC), "a low surrogate at byte 4 has no high surrogate"},
		{"high surrogate at the end", swap(append(le("{", true), 0x3D, 0xD8)), "UTF-16BE: a high surrogate at byte 4 has no low surrogate"},
		{"high surrogate before a letter", append(le("{", true), 0x3D, 0xD8, 'x', 0), "a high surrogate at byte 4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Text(tc.in)
			if assay.ErrorCode(err) != assay.EINVALID || !strings.Contains(assay.ErrorMessage(err), tc.want) {
				t.Fatalf("err = %v, want EINVALID containing %q", err, tc.want)
			}
		})
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"", "{}", "\xef\xbb\xbf{}", "\xff\xfe{\x00}\x00", "\xfe\xff\x00{\x00}", "{\x00", "\xff\xfe\x00\xdc"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := Text(in)
		if err != nil {
			if assay.ErrorCode(err) != assay.EINVALID || assay.ErrorMessage(err) == "" {
				t.Fatalf("refused without a clear message: %v", err)
			}
			return
		}
		if len(in) >= 2 && (in[0] == 0xFF && in[1] == 0xFE || in[0] == 0xFE && in[1] == 0xFF) && !utf8.Valid(out) {
			t.Fatalf("UTF-16 %q decoded to invalid UTF-8 %q", in, out)
		}
	})
}
