package sso

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crewjam/saml"

	"github.com/assay-platform/assay"
)

const entityID = "https://assay.example/sso/acme/saml/metadata"

func assertion(notBefore, notOnOrAfter, confirmUntil time.Time, audience string) *saml.Assertion {
	return &saml.Assertion{ID: "_a",
		Conditions: &saml.Conditions{NotBefore: notBefore, NotOnOrAfter: notOnOrAfter,
			AudienceRestrictions: []saml.AudienceRestriction{{Audience: saml.Audience{Value: audience}}}},
		Subject: &saml.Subject{SubjectConfirmations: []saml.SubjectConfirmation{{SubjectConfirmationData: &saml.SubjectConfirmationData{NotOnOrAfter: confirmUntil}}}}}
}

// TestConditionsByTheInjectedClock checks an assertion's times and
// audience against Assay's clock, whatever the library decided.
func TestConditionsByTheInjectedClock(t *testing.T) {
	t0 := time.Date(2031, 2, 28, 23, 59, 0, 0, time.UTC)
	clock := &assay.FixedClock{T: t0}
	s := &SAML{Clock: clock}
	ok := assertion(t0.Add(-time.Minute), t0.Add(5*time.Minute), t0.Add(3*time.Minute), entityID)
	until, err := s.checkConditions(ok, entityID)
	if err != nil || !until.Equal(t0.Add(3*time.Minute).Add(saml.MaxClockSkew)) {
		t.Fatalf("a valid assertion: %v, kept until %s (the earlier of the two times, with skew)", err, until)
	}
	for _, c := range []struct {
		name string
		a    *saml.Assertion
		at   time.Time
		want string
	}{
		{"expired", ok, t0.Add(3*time.Minute + saml.MaxClockSkew), "expired"},
		{"a year later", ok, t0.AddDate(1, 0, 0), "expired"},
		{"not yet valid", ok, t0.Add(-time.Minute - saml.MaxClockSkew - time.Second), "not valid yet"},
		{"wrong audience", assertion(t0, t0.Add(time.Minute), time.Time{}, "https://other.example/"), t0, "audience"},
		{"no audience", assertion(t0, t0.Add(time.Minute), time.Time{}, ""), t0, "audience"},
		{"no expiry", assertion(t0, time.Time{}, time.Time{}, entityID), t0, "no expiry"},
		{"no conditions", &saml.Assertion{ID: "_b"}, t0, "no conditions"},
	} {
		clock.Set(c.at)
		if _, err := s.checkConditions(c.a, entityID); err == nil || assay.ErrorCode(err) != assay.EFORBIDDEN || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a refusal saying %q", c.name, err, c.want)
		}
	}
}

// FuzzSAMLResponse posts arbitrary bytes as a SAML response: nothing
// panics, and nothing unsigned by the provider's key is ever accepted.
func FuzzSAMLResponse(f *testing.F) {
	md := `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example/">
<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>` + testCert(f) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/sso"/>
</IDPSSODescriptor></EntityDescriptor>`
	for _, seed := range []string{
		``, `<`, `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>`,
		`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r" Version="2.0" IssueInstant="2031-02-28T23:59:00Z" Destination="https://assay.example/sso/acme/saml/acs"><saml:Issuer>https://idp.example/</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_a" Version="2.0" IssueInstant="2031-02-28T23:59:00Z"><saml:Issuer>https://idp.example/</saml:Issuer><saml:Subject><saml:NameID>eve@example.com</saml:NameID></saml:Subject><saml:Conditions NotBefore="2031-02-28T23:58:00Z" NotOnOrAfter="2031-03-01T00:05:00Z"><saml:AudienceRestriction><saml:Audience>` + entityID + `</saml:Audience></saml:AudienceRestriction></saml:Conditions></saml:Assertion></samlp:Response>`,
		"\ufeff<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>",
		`<!DOCTYPE x [<!ENTITY a "aaaaaaaa">]><x>&a;&a;</x>`,
	} {
		f.Add([]byte(seed))
	}
	clock := &assay.FixedClock{T: time.Date(2031, 2, 28, 23, 59, 0, 0, time.UTC)}
	s := &SAML{Clock: clock}
	cfg := SAMLConfig{MetadataXML: md, EntityID: entityID, ACSURL: "https://assay.example/sso/acme/saml/acs", GroupsClaim: "groups"}
	never := func(context.Context, string, time.Time) (bool, error) { return true, nil }
	f.Fuzz(func(t *testing.T, b []byte) {
		form := url.Values{"SAMLResponse": {base64.StdEncoding.EncodeToString(b)}}
		r := httptest.NewRequest(http.MethodPost, cfg.ACSURL, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := r.ParseForm(); err != nil {
			t.Fatal(err)
		}
		id, err := s.Finish(r, cfg, nil, never)
		if err == nil {
			t.Fatalf("an unsigned response was accepted: %+v", id)
		}
	})
}

// testCert is a self-signed certificate for a provider's metadata, base64.
func testCert(f *testing.F) string {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		f.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "idp.example"},
		NotBefore: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2033, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		f.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(der)
}
