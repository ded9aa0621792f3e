package server

import (
	"net/http"
	"net/url"
	"testing"
)

// After signing in, the browser goes to next only when next is a path on
// this host; a tab (or any control character) cannot turn it into another
// host.
func TestSignInRedirectStaysOnThisHost(t *testing.T) {
	s := newSite(t)
	for next, want := range map[string]string{
		"/%09/evil.example":                    "/",
		"/\t/evil.example":                     "/",
		"/%2f%2fevil.example":                  "/",
		"/\\evil.example":                      "/",
		"https://evil.example/":                "/",
		"javascript:alert(1)":                  "/",
		"/evidence?control=AC-01&status=fresh": "/evidence?control=AC-01&status=fresh",
		"/activity?actor=dana%40example.com":   "/activity?actor=dana%40example.com",
	} {
		code, _, loc := s.post("/login", url.Values{"email": {adminEmail}, "password": {adminPassword}, "next": {next}})
		if code != http.StatusSeeOther || loc != want {
			t.Errorf("sign in with next %q: %d to %q, want %q", next, code, loc, want)
		}
	}
}
