package web

import "testing"

// Common open-redirect payloads: each must fall back to the home page.
func TestSafeNextRefusesOtherHosts(t *testing.T) {
	for _, next := range []string{
		"",
		"evil.example",
		"//evil.example",
		"///evil.example",
		"////evil.example",
		"/\\evil.example",
		"\\\\evil.example",
		"\\/evil.example",
		"/\\/evil.example",
		"/%09/evil.example",
		"/\t/evil.example",
		"/%0a/evil.example",
		"/%0d/evil.example",
		"/%0d%0a/evil.example",
		"/\r\n/evil.example",
		"/%00/evil.example",
		"/%1f/evil.example",
		"/%7f/evil.example",
		"/%c2%85/evil.example",    // NEL, a C1 control
		"/%e2%80%8b/evil.example", // zero-width space
		"/%e2%80%ae/evil.example", // right-to-left override
		"/%e2%80%a8/evil.example", // line separator
		"/%ef%bb%bf/evil.example", // byte order mark
		"/%2f/evil.example",
		"/%2F%2Fevil.example",
		"%2f%2fevil.example",
		"/%5c/evil.example",
		"/%5Cevil.example",
		"/%252f%252fevil.example", // double encoded
		"/%25252f%25252fevil.example",
		"/%ff/evil.example", // not UTF-8
		"/%zz",              // a malformed escape
		"https://evil.example",
		"http://evil.example/",
		"HTTPS://evil.example",
		"//evil.example@assay.example",
		"https://assay.example@evil.example",
		"//assay.example%40evil.example",
		"javascript:alert(1)",
		"JavaScript:alert(document.domain)",
		"java%0ascript:alert(1)",
		"data:text/html,<script>alert(1)</script>",
		"vbscript:msgbox(1)",
		" /evil.example",
		"\t//evil.example",
		"/\uff0f/evil.example", // fullwidth solidus
		"\uff0f\uff0fevil.example",
		"/\uff3cevil.example", // fullwidth reverse solidus
		"/%ef%bc%8f/evil.example",
		"/\u2215/evil.example", // division slash
		"/\u2044/evil.example", // fraction slash
		"/\ufe68evil.example",  // small reverse solidus
		"/\u29f8evil.example",  // big solidus
		"/\u3002/evil.example/\u200b",
		"/\x00",
		"/ok?x=1\n//evil.example",
		string(make([]byte, 3000)),
	} {
		if got := safeNext(next); got != "/" {
			t.Errorf("safeNext(%q) = %q, want /", next, got)
		}
	}
}

// Paths on this host, queries and fragments included, survive unchanged.
func TestSafeNextKeepsPathsOnThisHost(t *testing.T) {
	for _, next := range []string{
		"/",
		"/controls",
		"/controls/CC6.1",
		"/evidence?control=AC-01&status=fresh",
		"/activity?actor=root%40example.com&action=sign-in",
		"/search?q=a+b&q2=a%20b",
		"/policies/3#versions",
		"/risks?sort=score&page=2",
		"/activity?next=%2F%2Fstays-a-query-value",
		"/people/Jos%C3%A9",
		"/people/José",
		"/a:b",
		"/@me",
		"/%7Euser",
	} {
		if got := safeNext(next); got != next {
			t.Errorf("safeNext(%q) = %q, want it kept", next, got)
		}
	}
}
