package web

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// safeNext keeps a redirect target (the sign-in page's next) on this site:
// it returns next when it is a path on this host, and "/" otherwise.
//
// Browsers are lenient with what they are sent: they drop tabs and new
// lines anywhere in a URL (so "/\t/evil.example" becomes
// "//evil.example", another host), read a backslash as a slash, and some
// servers and proxies decode percent-escapes before anyone looks. So the
// target is judged in every form it may take: as given, percent-decoded
// (repeatedly, for double encoding) and NFKC-normalised (fullwidth and other
// lookalike slashes fold to "/"). Each form must be a path that starts
// with one slash and not two, and hold no backslash, control or invisible
// format character. A target that is not plainly a path falls back to
// the home page rather than being repaired.
func safeNext(next string) string {
	if len(next) > 2048 || !utf8.ValidString(next) {
		return "/"
	}
	forms := []string{next}
	for cur, rounds := next, 0; ; rounds++ {
		dec, err := url.PathUnescape(cur)
		if err != nil || !utf8.ValidString(dec) {
			return "/" // a malformed escape, or escaped bytes that are not text
		}
		if dec == cur {
			break
		}
		if rounds == 4 {
			return "/" // still decoding after four rounds: nobody writes that by accident
		}
		forms = append(forms, dec)
		cur = dec
	}
	for _, f := range forms {
		if !pathOnly(f) || !pathOnly(norm.NFKC.String(f)) {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return next
}

// pathOnly reports whether s is plainly a path on this host: one leading
// slash, no second, no backslash, no control, invisible format or
// line-separator character, and no lookalike of a slash.
func pathOnly(s string) bool {
	if len(s) == 0 || s[0] != '/' || len(s) > 1 && (s[1] == '/' || s[1] == '\\') {
		return false
	}
	for _, r := range s {
		switch {
		case r == '\\':
			return false
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f): // C0, DEL, C1
			return false
		case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r):
			return false // zero-width spaces, bidi marks, line separators
		case slashLike(r):
			return false
		}
	}
	return true
}

// slashLike is a character that looks like a slash or backslash without
// NFKC folding it to one.
func slashLike(r rune) bool {
	switch r {
	case '\u2044', // fraction slash
		'\u2215', // division slash
		'\u2216', // set minus
		'\u29f5', // reverse solidus operator
		'\u29f8', // big solidus
		'\u29f9', // big reverse solidus
		'\u27cb', // mathematical rising diagonal
		'\u27cd', // mathematical falling diagonal
		'\u3033', // vertical kana repeat mark upper half
		'\ufe68', // small reverse solidus
		'\uff0f', // fullwidth solidus
		'\uff3c': // fullwidth reverse solidus
		return true
	}
	return false
}
