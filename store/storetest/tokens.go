package storetest

import (
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

var apiTokenTests = []subtest{
	{"APITokens", testAPITokens},
	{"APITokenInvalid", testAPITokenInvalid},
	{"APITokenRevoke", testAPITokenRevoke},
	{"APITokenExpiry", testAPITokenExpiry},
	{"APITokenOfDisabledUser", testAPITokenDisabledUser},
}

func testAPITokens(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	u := e.User(os, "ann@example.com", assay.RoleAdmin)
	e.Clock.Advance(time.Minute)
	tok, err := os.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: u.ID, Name: "  deploy bot ", Prefix: "asy_1234"}, "secret-token-hash-1")
	if err != nil {
		t.Fatal(err)
	}
	if tok.ID <= 0 || tok.Name != "deploy bot" || tok.UserID != u.ID || tok.Prefix != "asy_1234" || !tok.CreatedAt.Equal(e.Clock.Now()) ||
		tok.LastUsedAt != nil || tok.ExpiresAt != nil {
		t.Fatalf("created token = %+v", tok)
	}
	listed := must(os.APITokens(e.Ctx)).get(t)
	if len(listed) != 1 {
		t.Fatalf("tokens = %+v", listed)
	}
	jsonEq(t, listed[0], tok, "listed token")

	e.Clock.Advance(time.Hour)
	gotUser, gotTok, err := e.Store.UserByAPIToken(e.Ctx, "secret-token-hash-1")
	if err != nil {
		t.Fatal(err)
	}
	jsonEq(t, gotUser, u, "token's user")
	if gotTok.ID != tok.ID || gotTok.Name != tok.Name || gotTok.UserID != u.ID || gotTok.Prefix != tok.Prefix {
		t.Fatalf("token = %+v", gotTok)
	}
	// Use is noted.
	if l := must(os.APITokens(e.Ctx)).get(t)[0].LastUsedAt; l == nil || !l.Equal(e.Clock.Now()) {
		t.Fatalf("LastUsedAt = %v, want %v", l, e.Clock.Now())
	}
	_, _, err = e.Store.UserByAPIToken(e.Ctx, "secret-token-hash-2")
	wantCode(t, err, assay.EUNAUTHORIZED, "unknown token")

	// A second token; both listed in creation order.
	exp := e.Clock.Now().Add(24 * time.Hour)
	tok2 := must(os.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: u.ID, Name: "laptop", Prefix: "asy_5678", ExpiresAt: &exp}, "secret-token-hash-2")).get(t)
	listed = must(os.APITokens(e.Ctx)).get(t)
	if len(listed) != 2 || listed[0].ID != tok.ID || listed[1].ID != tok2.ID || listed[1].ExpiresAt == nil || !listed[1].ExpiresAt.Equal(exp) {
		t.Fatalf("tokens = %+v", listed)
	}
	// The hash never enters the audit trail.
	a := e.Activity(os)[0]
	if a.Action != "api_token.create" || a.ObjectType != "api_token" || a.ObjectID != itoa(tok2.ID) {
		t.Fatalf("entry = %+v", a)
	}
	wantNoSecret(e, os, "secret-token-hash")
}

func testAPITokenInvalid(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	u := e.User(os, "ann@example.com", assay.RoleAdmin)
	entries := len(e.Activity(os))
	for _, name := range []string{"", "   ", strings.Repeat("n", assay.MaxNameLen+1)} {
		_, err := os.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: u.ID, Name: name, Prefix: "asy_x"}, "h-"+name)
		wantCode(t, err, assay.EINVALID, "token name "+name[:min(len(name), 8)])
	}
	_, err := os.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: u.ID + 1000, Name: "ci", Prefix: "asy_x"}, "h-unknown")
	wantCode(t, err, assay.ENOTFOUND, "token for an unknown user")
	if toks := must(os.APITokens(e.Ctx)).get(t); len(toks) != 0 {
		t.Fatalf("refused tokens were stored: %+v", toks)
	}
	if len(e.Activity(os)) != entries {
		t.Fatal("refused tokens wrote activity")
	}
	_, _, err = e.Store.UserByAPIToken(e.Ctx, "h-unknown")
	wantCode(t, err, assay.EUNAUTHORIZED, "refused token")
}

func testAPITokenRevoke(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	u := e.User(os, "ann@example.com", assay.RoleAdmin)
	keep := must(os.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: u.ID, Name: "keep", Prefix: "asy_k"}, "h-keep")).get(t)
	gone := must(os.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: u.ID, Name: "gone", Prefix: "asy_g"}, "h-gone")).get(t)
	check(t, os.RevokeAPIToken(e.Ctx, Actor, gone.ID), "revoke")
	_, _, err := e.Store.UserByAPIToken(e.Ctx, "h-gone")
	wantCode(t, err, assay.EUNAUTHORIZED, "revoked token")
	if _, tok, err := e.Store.UserByAPIToken(e.Ctx, "h-keep"); err != nil || tok.ID != keep.ID {
		t.Fatalf("other token after revoke: %+v, %v", tok, err)
	}
	if toks := must(os.APITokens(e.Ctx)).get(t); len(toks) != 1 || toks[0].ID != keep.ID {
		t.Fatalf("tokens after revoke = %+v", toks)
	}
	if a := e.Activity(os)[0]; a.Action != "api_token.revoke" || a.ObjectID != itoa(gone.ID) {
		t.Fatalf("entry = %+v", a)
	}
	entries := len(e.Activity(os))
	wantCode(t, os.RevokeAPIToken(e.Ctx, Actor, gone.ID), assay.ENOTFOUND, "revoking twice")
	wantCode(t, os.RevokeAPIToken(e.Ctx, Actor, keep.ID+1000), assay.ENOTFOUND, "revoking an unknown token")
	if len(e.Activity(os)) != entries {
		t.Fatal("refused revokes wrote activity")
	}
}

func testAPITokenExpiry(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	u := e.User(os, "ann@example.com", assay.RoleAdmin)
	exp := e.Clock.Now().Add(time.Hour)
	must(os.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: u.ID, Name: "short", Prefix: "asy_s", ExpiresAt: &exp}, "h-short")).get(t)
	e.Clock.Advance(59 * time.Minute)
	if _, _, err := e.Store.UserByAPIToken(e.Ctx, "h-short"); err != nil {
		t.Fatalf("token before expiry: %v", err)
	}
	e.Clock.Advance(time.Minute)
	_, _, err := e.Store.UserByAPIToken(e.Ctx, "h-short")
	wantCode(t, err, assay.EUNAUTHORIZED, "token at its expiry")
	e.Clock.Advance(24 * time.Hour)
	_, _, err = e.Store.UserByAPIToken(e.Ctx, "h-short")
	wantCode(t, err, assay.EUNAUTHORIZED, "token after its expiry")
}

func testAPITokenDisabledUser(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	e.User(os, "admin@example.com", assay.RoleAdmin)
	m := e.User(os, "m@example.com", assay.RoleMember)
	must(os.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: m.ID, Name: "ci", Prefix: "asy_m"}, "h-m")).get(t)
	must(os.SetUserDisabled(e.Ctx, Actor, m.ID, true)).get(t)
	_, _, err := e.Store.UserByAPIToken(e.Ctx, "h-m")
	wantCode(t, err, assay.EUNAUTHORIZED, "token of a disabled user")
	must(os.SetUserDisabled(e.Ctx, Actor, m.ID, false)).get(t)
	if _, _, err := e.Store.UserByAPIToken(e.Ctx, "h-m"); err != nil {
		t.Fatalf("token after re-enabling: %v", err)
	}
}
