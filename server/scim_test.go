package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/ledger"
)

// scimClient speaks SCIM to the site with the organisation's token, as an
// identity provider does.
type scimClient struct {
	s     *site
	token string
}

func (s *site) scim() *scimClient {
	s.t.Helper()
	secret := auth.NewToken(auth.PrefixSCIM)
	if _, err := s.db.Org(s.org.ID).SetSCIMToken(context.Background(), assay.Actor{Name: "test", Via: "system"}, secret[:15], auth.HashToken(secret)); err != nil {
		s.t.Fatal(err)
	}
	return &scimClient{s: s, token: secret}
}

// do sends one request and decodes the JSON answer (nil for 204).
func (c *scimClient) do(method, path, body string, want int) map[string]any {
	c.s.t.Helper()
	req, err := http.NewRequest(method, c.s.srv.URL+"/scim/v2"+path, strings.NewReader(body))
	if err != nil {
		c.s.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/scim+json")
	req.Header.Set("User-Agent", "OKTA SCIM Integration")
	if body != "" {
		req.Header.Set("Content-Type", "application/scim+json; charset=utf-8")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		c.s.t.Fatalf("%s %s: status %d, want %d\n%s", method, path, resp.StatusCode, want, raw)
	}
	if resp.StatusCode == http.StatusNoContent {
		if len(raw) != 0 {
			c.s.t.Fatalf("%s %s: 204 with a body %q", method, path, raw)
		}
		return nil
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/scim+json" {
		c.s.t.Fatalf("%s %s: Content-Type %q", method, path, ct)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		c.s.t.Fatalf("%s %s: %v\n%s", method, path, err, raw)
	}
	if resp.StatusCode >= 400 {
		if s, _ := out["status"].(string); s != itoa(int64(resp.StatusCode)) || !hasString(out["schemas"], "urn:ietf:params:scim:api:messages:2.0:Error") {
			c.s.t.Fatalf("%s %s: not a SCIM error body: %s", method, path, raw)
		}
	}
	return out
}

func hasString(v any, s string) bool {
	for _, x := range asSlice(v) {
		if x == s {
			return true
		}
	}
	return false
}

func asSlice(v any) []any { l, _ := v.([]any); return l }

func total(t *testing.T, list map[string]any, want int) []any {
	t.Helper()
	if n, _ := list["totalResults"].(float64); int(n) != want || !hasString(list["schemas"], "urn:ietf:params:scim:api:messages:2.0:ListResponse") {
		t.Fatalf("list: totalResults %v, want %d: %v", list["totalResults"], want, list)
	}
	for _, k := range []string{"startIndex", "itemsPerPage"} {
		if _, ok := list[k].(float64); !ok {
			t.Fatalf("list without a number %s: %v", k, list)
		}
	}
	return asSlice(list["Resources"])
}

func dig(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// TestSCIMOktaSpecSequence sends what Okta's "SCIM 2.0 Spec Test" (the
// Runscope suite Okta's provisioning guide asks integrators to pass) sends,
// in its order, and checks the assertions it makes.
func TestSCIMOktaSpecSequence(t *testing.T) {
	s := newSite(t)
	c := s.scim()

	// Required Test: Test Users endpoint: a page of one, with the fields
	// Okta reads from Resources[0].
	list := c.do("GET", "/Users?count=1&startIndex=1", "", 200)
	res := total(t, list, 2)
	if len(res) != 1 || list["itemsPerPage"].(float64) != 1 {
		t.Fatalf("count=1: %v", list)
	}
	first := res[0]
	for _, p := range [][]string{{"id"}, {"name", "familyName"}, {"name", "givenName"}, {"userName"}, {"active"}} {
		if v := dig(first, p...); v == nil || v == "" {
			t.Fatalf("Resources[0].%s is empty: %v", strings.Join(p, "."), first)
		}
	}
	if dig(asSlice(dig(first, "emails"))[0], "value") != adminEmail {
		t.Fatalf("Resources[0].emails[0].value: %v", first)
	}
	// Required Test: Get Users/{{id}}.
	id := first.(map[string]any)["id"].(string)
	if u := c.do("GET", "/Users/"+id, "", 200); u["userName"] != adminEmail || !hasString(u["schemas"], "urn:ietf:params:scim:schemas:core:2.0:User") {
		t.Fatalf("get: %v", u)
	}
	// Required Test: Test invalid User by username / Check the User
	// doesn't exist.
	total(t, c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq "rozella.bergstrom@example.net"`), "", 200), 0)
	// Required Test: Create Okta user with realistic values.
	okta := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"Rozella.Bergstrom@example.net",
		"name":{"givenName":"Rozella","familyName":"Bergstrom"},
		"emails":[{"primary":true,"value":"Rozella.Bergstrom@example.net","type":"work"}],
		"displayName":"Rozella Bergstrom","locale":"en-US","externalId":"00u1dhhb1fkIGP7RL1d8","groups":[],
		"password":"1mz050nq","active":true}`
	created := c.do("POST", "/Users", okta, 201)
	uid := created["id"].(string)
	if created["active"] != true || dig(created, "name", "familyName") != "Bergstrom" || created["externalId"] != "00u1dhhb1fkIGP7RL1d8" ||
		!strings.HasSuffix(dig(created, "meta", "location").(string), "/scim/v2/Users/"+uid) {
		t.Fatalf("created: %v", created)
	}
	// Required Test: Verify that user was created.
	if u := c.do("GET", "/Users/"+uid, "", 200); u["userName"] != "rozella.bergstrom@example.net" || dig(u, "name", "givenName") != "Rozella" {
		t.Fatalf("read back: %v", u)
	}
	// Required Test: Expect failure when recreating user with same values.
	if e := c.do("POST", "/Users", okta, 409); e["scimType"] != "uniqueness" {
		t.Fatalf("duplicate: %v", e)
	}
	// Required Test: Username Case Sensitivity Check.
	total(t, c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq "ROZELLA.BERGSTROM@EXAMPLE.NET"`), "", 200), 1)
	// Optional Test: Verify Groups endpoint.
	total(t, c.do("GET", "/Groups?count=100&startIndex=1", "", 200), 0)
	// Required Test: Check status 401 / Get user with a random id: 404.
	if e := c.do("GET", "/Users/010101001010101010", "", 404); e["detail"] == "" {
		t.Fatalf("random id: %v", e)
	}
	c.do("GET", "/Users/not-a-number", "", 404)
	bad := &scimClient{s: s, token: "assay_scim_wrong"}
	bad.do("GET", "/Users", "", 401)

	// The CRUD suite: update firstName (Okta PUTs the whole user),
	// deactivate (PATCH active false), reactivate.
	put := strings.Replace(okta, `"givenName":"Rozella"`, `"givenName":"Roz"`, 1)
	if u := c.do("PUT", "/Users/"+uid, put, 200); dig(u, "name", "givenName") != "Roz" || u["displayName"] != "Rozella Bergstrom" {
		t.Fatalf("put: %v", u)
	}
	off := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}`
	if u := c.do("PATCH", "/Users/"+uid, off, 200); u["active"] != false {
		t.Fatalf("deactivate: %v", u)
	}
	on := strings.Replace(off, "false", "true", 1)
	if u := c.do("PATCH", "/Users/"+uid, on, 200); u["active"] != true {
		t.Fatalf("reactivate: %v", u)
	}
	// Every change is a SCIM security event in the trail, by the provider.
	acts, err := s.db.Org(s.org.ID).Activity(context.Background(), assay.ActivityFilter{Action: assay.EventSCIMChange})
	if err != nil {
		t.Fatal(err)
	}
	if len(acts) != 4 || acts[0].Actor.Via != "scim" {
		t.Fatalf("SCIM events: %d %+v", len(acts), acts)
	}
	s.verifyLedger()
}

// TestSCIMEntraValidatorSequence sends what Microsoft's SCIM validator
// and the Entra provisioning service send (as Microsoft's "develop a SCIM
// endpoint" tutorial shows them): the enterprise extension, filters by
// userName and externalId, PATCH with paths and string booleans, DELETE,
// and groups with excludedAttributes and member adds and removes.
func TestSCIMEntraValidatorSequence(t *testing.T) {
	s := newSite(t)
	c := s.scim()
	const user = "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.com"
	total(t, c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq "`+user+`"`), "", 200), 0)
	created := c.do("POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
		"externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":"`+user+`","active":true,
		"addresses":[{"primary":true,"type":"work","country":"NZ","postalCode":"6011"}],
		"displayName":"Test User","emails":[{"primary":true,"type":"work","value":"Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@contoso.com"}],
		"meta":{"resourceType":"User"},"name":{"familyName":"User","givenName":"Test"},"roles":[],"title":"Engineer",
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Security","manager":{"value":"x"}}}`, 201)
	uid := created["id"].(string)
	// The work email is the one Assay signs in with; userName is kept too.
	if created["userName"] != "test_user_fd0ea19b-0777-472c-9f96-4f70d2226f2e@contoso.com" {
		t.Fatalf("created: %v", created)
	}
	total(t, c.do("GET", "/Users?filter="+url.QueryEscape(`externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"`), "", 200), 1)
	total(t, c.do("GET", "/Users?filter="+url.QueryEscape(`emails[type eq "work"].value eq "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@contoso.com"`), "", 200), 1)
	total(t, c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq "nobody@contoso.com" or externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"`), "", 200), 1)
	if e := c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq`), "", 400); e["scimType"] != "invalidFilter" {
		t.Fatalf("bad filter: %v", e)
	}
	// PATCH with paths, ops in Entra's capitals.
	u := c.do("PATCH", "/Users/"+uid, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
		{"op":"Replace","path":"emails[type eq \"work\"].value","value":"updated.user@contoso.com"},
		{"op":"Replace","path":"name.givenName","value":"Updated"},
		{"op":"Add","path":"title","value":"Lead"},
		{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Audit"},
		{"op":"Remove","path":"externalId"}]}`, 200)
	if u["userName"] != "updated.user@contoso.com" || dig(u, "name", "givenName") != "Updated" || u["externalId"] != nil {
		t.Fatalf("patched: %v", u)
	}
	// "False" as a string, as Entra sends it.
	if u := c.do("PATCH", "/Users/"+uid, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}`, 200); u["active"] != false {
		t.Fatalf("string false: %v", u)
	}
	if e := c.do("PATCH", "/Users/"+uid, `{"Operations":[{"op":"Replace","path":"active","value":"maybe"}]}`, 400); e["scimType"] != "invalidValue" {
		t.Fatalf("bad boolean: %v", e)
	}
	if e := c.do("PATCH", "/Users/"+uid, `{"Operations":[{"op":"Move","path":"active"}]}`, 400); e["scimType"] != "invalidSyntax" {
		t.Fatalf("bad op: %v", e)
	}

	// Groups: create, find by displayName without members, add and remove
	// a member, rename, delete.
	g := c.do("POST", "/Groups", `{"externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"Assay Auditors","meta":{"resourceType":"Group"},"members":[]}`, 201)
	gid := g["id"].(string)
	list := c.do("GET", "/Groups?excludedAttributes=members&filter="+url.QueryEscape(`displayName eq "Assay Auditors"`), "", 200)
	if res := total(t, list, 1); dig(res[0], "members") != nil {
		t.Fatalf("excludedAttributes=members: %v", res[0])
	}
	c.do("PATCH", "/Groups/"+gid, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"value":"`+uid+`"}]}]}`, 204)
	if got := c.do("GET", "/Groups/"+gid, "", 200); len(asSlice(got["members"])) != 1 || dig(asSlice(got["members"])[0], "value") != uid {
		t.Fatalf("member added: %v", got)
	}
	if got := c.do("GET", "/Users/"+uid, "", 200); len(asSlice(got["groups"])) != 1 {
		t.Fatalf("user's groups: %v", got)
	}
	c.do("PATCH", "/Groups/"+gid, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"members","value":[{"value":"`+uid+`"}]}]}`, 204)
	c.do("PATCH", "/Groups/"+gid, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"displayName","value":"Assay Readers"}]}`, 204)
	if got := c.do("GET", "/Groups/"+gid, "", 200); len(asSlice(got["members"])) != 0 || got["displayName"] != "Assay Readers" {
		t.Fatalf("after remove and rename: %v", got)
	}
	c.do("DELETE", "/Groups/"+gid, "", 204)
	c.do("GET", "/Groups/"+gid, "", 404)
	// DELETE the user: gone from SCIM, kept (disabled) in Assay.
	c.do("DELETE", "/Users/"+uid, "", 204)
	c.do("GET", "/Users/"+uid, "", 404)
	total(t, c.do("GET", "/Users?filter="+url.QueryEscape(`userName eq "updated.user@contoso.com"`), "", 200), 0)
	id := int64(0)
	for _, x := range []byte(uid) {
		id = id*10 + int64(x-'0')
	}
	if kept, err := s.db.Org(s.org.ID).User(context.Background(), id); err != nil || !kept.Disabled || kept.DeactivatedAt == nil {
		t.Fatalf("deleted user in Assay: %+v %v", kept, err)
	}
	// Discovery.
	if sp := c.do("GET", "/ServiceProviderConfig", "", 200); dig(sp, "patch", "supported") != true || dig(sp, "bulk", "supported") != false {
		t.Fatalf("ServiceProviderConfig: %v", sp)
	}
	total(t, c.do("GET", "/ResourceTypes", "", 200), 2)
	total(t, c.do("GET", "/Schemas", "", 200), 2)
	c.do("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", "", 200)
	// Pagination: startIndex past the end is an empty page, not an error.
	if l := c.do("GET", "/Users?startIndex=99&count=10", "", 200); len(asSlice(l["Resources"])) != 0 {
		t.Fatalf("past the end: %v", l)
	}
	// Bad bodies change nothing and say why.
	c.do("POST", "/Users", "\xef\xbb\xbf{\"userName\":", 400)
	if e := c.do("POST", "/Users", `{"name":{"givenName":"No"}}`, 400); e["scimType"] != "invalidValue" {
		t.Fatalf("no userName: %v", e)
	}
	s.verifyLedger()
}

// verifyLedger replays the ledger against the database: every SCIM change
// to a user, group role and token is in it.
func (s *site) verifyLedger() {
	s.t.Helper()
	ctx := context.Background()
	err := s.db.LedgerSnapshot(ctx, func(snap ledger.Snapshot) error {
		_, err := ledger.Verify(ctx, snap, ledger.Options{})
		return err
	})
	if err != nil {
		s.t.Fatalf("ledger verify: %v", err)
	}
}

// TestSCIMDeactivationEndsSessionAndToken: a user signed in with a browser
// and holding an API token is deactivated over SCIM; the very next request
// with either is refused.
func TestSCIMDeactivationEndsSessionAndToken(t *testing.T) {
	for _, how := range []string{"patch", "delete"} {
		t.Run(how, func(t *testing.T) {
			s := newSite(t)
			c := s.scim()
			created := c.do("POST", "/Users", `{"userName":"lee.park@example.com","name":{"givenName":"Lee","familyName":"Park"},"active":true}`, 201)
			uid := created["id"].(string)
			ctx := context.Background()
			os := s.db.Org(s.org.ID)
			// A new user is an employee until a mapped group says otherwise:
			// the admin maps "Assay Viewers" to viewer, the provider pushes it.
			if err := os.SetSCIMGroupRole(ctx, assay.Actor{Name: "test", Via: "system"}, assay.SCIMGroupRole{DisplayName: "Assay Viewers", Role: assay.RoleViewer}); err != nil {
				t.Fatal(err)
			}
			if g := c.do("POST", "/Groups", `{"displayName":"Assay Viewers","members":[{"value":"`+uid+`"}]}`, 201); len(asSlice(g["members"])) != 1 {
				t.Fatalf("group: %v", g)
			}
			var u assay.User
			users, _ := os.Users(ctx)
			for _, x := range users {
				if x.Email == "lee.park@example.com" {
					u = x
				}
			}
			if u.Role != assay.RoleViewer {
				t.Fatalf("role through the mapped group: %s", u.Role)
			}
			const pw = "granite meadow lantern voyage"
			hash, _ := auth.HashPassword(pw, fastParams)
			if err := os.SetPassword(ctx, assay.Actor{Name: "test", Via: "system"}, u.ID, hash); err != nil {
				t.Fatal(err)
			}
			secret := auth.NewToken(auth.PrefixAPIToken)
			if _, err := os.CreateAPIToken(ctx, assay.Actor{Name: "test", Via: "system"}, assay.APIToken{UserID: u.ID, Name: "laptop", Prefix: secret[:14]}, auth.HashToken(secret)); err != nil {
				t.Fatal(err)
			}
			jar, _ := cookiejar.New(nil)
			b := *s
			b.client = &http.Client{Jar: jar, CheckRedirect: s.client.CheckRedirect}
			if code, body, _ := b.post("/login", url.Values{"email": {"lee.park@example.com"}, "password": {pw}}); code != http.StatusSeeOther {
				t.Fatalf("sign in: %d %s", code, body)
			}
			withToken := func() int {
				req, _ := http.NewRequest("GET", s.srv.URL+"/api/v1/me", nil)
				req.Header.Set("Authorization", "Bearer "+secret)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			if code, _ := b.get("/api/v1/me"); code != 200 {
				t.Fatalf("session before: %d", code)
			}
			if code := withToken(); code != 200 {
				t.Fatalf("token before: %d", code)
			}
			if how == "patch" {
				c.do("PATCH", "/Users/"+uid, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}`, 200)
			} else {
				c.do("DELETE", "/Users/"+uid, "", 204)
			}
			if code, _ := b.get("/api/v1/me"); code != http.StatusUnauthorized {
				t.Fatalf("session after: %d, want 401", code)
			}
			if code := withToken(); code != http.StatusUnauthorized {
				t.Fatalf("token after: %d, want 401", code)
			}
			// The session row is gone and the token revoked, not merely
			// refused while the user is disabled: reactivating brings
			// neither back.
			if how == "patch" {
				c.do("PATCH", "/Users/"+uid, `{"Operations":[{"op":"replace","path":"active","value":true}]}`, 200)
				if code, _ := b.get("/api/v1/me"); code != http.StatusUnauthorized {
					t.Fatalf("session after reactivation: %d", code)
				}
				if code := withToken(); code != http.StatusUnauthorized {
					t.Fatalf("token after reactivation: %d", code)
				}
			}
			if toks, _ := os.APITokens(ctx); len(toks) != 0 {
				t.Fatalf("live tokens after deactivation: %+v", toks)
			}
			s.verifyLedger()
		})
	}
}
