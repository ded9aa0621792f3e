package server

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/samltest"
)

// postACS posts a SAML response to Assay's ACS as the provider's form
// would, and returns the status and body.
func postACS(t *testing.T, s *site, c *http.Client, resp string) (int, string, string) {
	t.Helper()
	r, err := noFollow(c).PostForm(s.srv.URL+"/sso/northwind/saml/acs", url.Values{"SAMLResponse": {resp}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b := new(strings.Builder)
	_, _ = io.Copy(b, r.Body)
	return r.StatusCode, b.String(), r.Header.Get("Location")
}

// edit decodes a posted response, changes its XML and encodes it again.
func edit(t *testing.T, resp string, f func(string) string) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(resp)
	if err != nil {
		t.Fatal(err)
	}
	changed := f(string(raw))
	if changed == string(raw) {
		t.Fatal("the edit changed nothing")
	}
	return base64.StdEncoding.EncodeToString([]byte(changed))
}

func TestSAMLSignInAndRefusals(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	spMeta := s.srv.URL + "/sso/northwind/saml/metadata"
	idp := samltest.Start(t, s.clock, spMeta)

	form := url.Values{"csrf": {s.csrf()}, "protocol": {"saml"}, "provider_name": {"Test SAML"}, "saml_metadata_url": {idp.MetadataURL},
		"groups_claim": {"eduPersonAffiliation"}, "default_role": {"viewer"}, "role_map": {"staff = member\nadmins = admin"}}
	if code, body, _ := s.post("/settings/sso", form); code != http.StatusSeeOther {
		t.Fatalf("save settings: %d\n%s", code, body)
	}
	code, md := get(t, browser(), spMeta)
	if code != http.StatusOK || !strings.Contains(md, `entityID="`+spMeta+`"`) || !strings.Contains(md, s.srv.URL+"/sso/northwind/saml/acs") {
		t.Fatalf("SP metadata: %d\n%s", code, md)
	}

	// SP-initiated: Assay sends the browser to the provider, which posts
	// the signed response back.
	idp.SignIn(samltest.Person{Email: "grace@example.com", Name: "Grace Hopper", Groups: []string{"staff", "admins"}})
	c := browser()
	r, err := c.Get(s.srv.URL + "/login/sso/northwind?next=/controls")
	if err != nil {
		t.Fatal(err)
	}
	page := new(strings.Builder)
	_, _ = io.Copy(page, r.Body)
	r.Body.Close()
	resp, err := samltest.ResponseFrom(page.String())
	if err != nil {
		t.Fatalf("the provider's answer (%d %s): %v", r.StatusCode, r.Request.URL, err)
	}
	if code, body, loc := postACS(t, s, c, resp); code != http.StatusSeeOther || loc != "/controls" {
		t.Fatalf("ACS: %d %q\n%s", code, loc, body)
	}
	grace, _, err := s.db.UserByEmail(ctx, "grace@example.com")
	if err != nil || grace.Role != assay.RoleAdmin || grace.Name != "Grace Hopper" {
		t.Fatalf("provisioned: %+v %v (the highest mapped role wins)", grace, err)
	}
	// The same response again is a replay.
	if code, body, _ := postACS(t, s, browser(), resp); code != http.StatusForbidden {
		t.Fatalf("a replayed SP-initiated response: %d\n%s", code, body)
	}

	// IdP-initiated: accepted once, refused when replayed.
	idp.SignIn(samltest.Person{Email: "linus@example.com", Name: "Linus", Groups: []string{"guests"}})
	resp = idp.Initiated(spMeta)
	if code, body, loc := postACS(t, s, browser(), resp); code != http.StatusSeeOther || loc != "/" {
		t.Fatalf("IdP-initiated: %d %q\n%s", code, loc, body)
	}
	if u, _, err := s.db.UserByEmail(ctx, "linus@example.com"); err != nil || u.Role != assay.RoleViewer {
		t.Fatalf("unmapped groups get the default role: %+v %v", u, err)
	}
	if code, body, _ := postACS(t, s, browser(), resp); code != http.StatusForbidden || !strings.Contains(body, "replay") {
		t.Fatalf("replayed assertion: %d\n%s", code, body)
	}

	refused := func(what, resp, want string) {
		t.Helper()
		code, body, _ := postACS(t, s, browser(), resp)
		if m := regexp.MustCompile(`Single sign-on refused[^<]*`).FindString(body); m != "" {
			t.Logf("%s: %s", what, m)
		}
		if code != http.StatusForbidden || !strings.Contains(body, want) {
			t.Fatalf("%s: %d, want 403 saying %q\n%s", what, code, want, body)
		}
	}
	idp.SignIn(samltest.Person{Email: "mallory@example.com", Name: "Mallory", Groups: []string{"staff"}})
	// Tampered: the signed assertion names someone else.
	refused("tampered assertion", edit(t, idp.Initiated(spMeta), func(x string) string {
		return strings.ReplaceAll(x, "mallory@example.com", "grace@example.com")
	}), "Signature could not be verified")
	// Tampered: a group added.
	refused("tampered groups", edit(t, idp.Initiated(spMeta), func(x string) string {
		return strings.Replace(x, ">staff<", ">admins<", 1)
	}), "Signature could not be verified")
	// Unsigned: every signature taken out.
	sigRE := regexp.MustCompile(`(?s)<ds:Signature.*?</ds:Signature>`)
	refused("unsigned assertion", edit(t, idp.Initiated(spMeta), func(x string) string { return sigRE.ReplaceAllString(x, "") }), "signature element not present")
	// Wrong audience: an assertion for another service.
	idp.Alias("https://other.example/saml/metadata")
	refused("wrong audience", idp.Initiated("https://other.example/saml/metadata"), "AudienceRestriction")
	// Expired: an assertion presented after its time, by Assay's clock.
	late := idp.Initiated(spMeta)
	s.clock.Advance(2 * time.Hour)
	refused("expired assertion", late, "expired")
	s.clock.Advance(-2 * time.Hour)
	if _, _, err := s.db.UserByEmail(ctx, "mallory@example.com"); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("a refused response made a user: %v", err)
	}
	// The provider's metadata pasted instead of fetched works the same;
	// pasted text that is not metadata is refused and changes nothing.
	_, pasted := get(t, browser(), idp.MetadataURL)
	form.Set("csrf", s.csrf())
	form.Del("saml_metadata_url")
	form.Set("saml_metadata_xml", "<html>not metadata</html>")
	if code, body, _ := s.post("/settings/sso", form); code != http.StatusBadRequest || !strings.Contains(body, "not SAML identity provider metadata") {
		t.Fatalf("pasted junk: %d\n%s", code, body)
	}
	form.Set("saml_metadata_xml", "\ufeff"+pasted)
	if code, body, _ := s.post("/settings/sso", form); code != http.StatusSeeOther {
		t.Fatalf("pasted metadata: %d\n%s", code, body)
	}
	if set, _ := s.db.Org(s.org.ID).SSOSettings(ctx); set.SAMLMetadataURL != "" || !strings.HasPrefix(set.SAMLMetadataXML, "<") {
		t.Fatalf("stored: %+v", set)
	}
	// And a fresh, untouched one from the same person is accepted.
	if code, body, _ := postACS(t, s, browser(), idp.Initiated(spMeta)); code != http.StatusSeeOther {
		t.Fatalf("a fresh response after the refusals: %d\n%s", code, body)
	}
}
