// Package samltest runs a SAML 2.0 identity provider for tests:
// crewjam/saml's IdentityProvider over httptest, signing with a key and
// certificate made for the test, at the test's clock, with one signed-in
// person at a time.
package samltest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/crewjam/saml"
	"github.com/jonboulle/clockwork"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/assay-platform/assay"
)

// Person is who is signed in at the provider.
type Person struct {
	Email, Name string
	Groups      []string
}

// IdP is a running identity provider.
type IdP struct {
	URL         string
	MetadataURL string
	// SPMetadataURL is the service provider's metadata, fetched when the
	// provider first answers for it.
	SPMetadataURL string

	t     testing.TB
	idp   *saml.IdentityProvider
	mu    sync.Mutex
	who   Person
	alias map[string]string // another entity id -> the real SP's metadata, to answer for a wrong audience
}

// Start runs a provider for the service provider whose metadata is at
// spMetadataURL, at clock's time.
func Start(t testing.TB, clock assay.Clock, spMetadataURL string) *IdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := clock.Now()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "samltest IdP"},
		NotBefore: now.Add(-24 * time.Hour), NotAfter: now.Add(365 * 24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	p := &IdP{t: t, SPMetadataURL: spMetadataURL, alias: map[string]string{}}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p.URL, p.MetadataURL = srv.URL, srv.URL+"/metadata"
	md, _ := url.Parse(srv.URL + "/metadata")
	sso, _ := url.Parse(srv.URL + "/sso")
	p.idp = &saml.IdentityProvider{Key: key, Signer: key, Certificate: cert, MetadataURL: *md, SSOURL: *sso,
		ServiceProviderProvider: p, SessionProvider: p, Clock: dsig.NewFakeClock(clockAdapter{c: clock})}
	mux.Handle("/metadata", p.idp.Handler())
	mux.Handle("/sso", p.idp.Handler())
	return p
}

// SignIn makes person the one signed in at the provider.
func (p *IdP) SignIn(person Person) {
	p.mu.Lock()
	p.who = person
	p.mu.Unlock()
}

// Alias lets the provider answer for entityID with the real service
// provider's endpoints: its assertions name entityID as their audience.
func (p *IdP) Alias(entityID string) {
	p.mu.Lock()
	p.alias[entityID] = p.SPMetadataURL
	p.mu.Unlock()
}

// GetSession is the signed-in person's session.
func (p *IdP) GetSession(w http.ResponseWriter, r *http.Request, req *saml.IdpAuthnRequest) *saml.Session {
	p.mu.Lock()
	who := p.who
	p.mu.Unlock()
	now := req.Now
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	sid := base64.RawURLEncoding.EncodeToString(id)
	return &saml.Session{ID: sid, Index: sid, CreateTime: now, ExpireTime: now.Add(time.Hour), NameID: who.Email,
		NameIDFormat: string(saml.EmailAddressNameIDFormat), UserEmail: who.Email, UserCommonName: who.Name, Groups: who.Groups}
}

// GetServiceProvider fetches the service provider's metadata.
func (p *IdP) GetServiceProvider(r *http.Request, id string) (*saml.EntityDescriptor, error) {
	p.mu.Lock()
	aliased, isAlias := p.alias[id]
	p.mu.Unlock()
	src := p.SPMetadataURL
	if isAlias {
		src = aliased
	}
	resp, err := http.Get(src)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var ed saml.EntityDescriptor
	if err := xml.Unmarshal(b, &ed); err != nil {
		return nil, err
	}
	if isAlias {
		ed.EntityID = id
	} else if ed.EntityID != id {
		return nil, os.ErrNotExist
	}
	return &ed, nil
}

var responseRE = regexp.MustCompile(`name="SAMLResponse" value="([^"]+)"`)

// ResponseFrom reads the SAMLResponse from the provider's auto-posting
// form.
func ResponseFrom(page string) (string, error) {
	m := responseRE.FindStringSubmatch(page)
	if m == nil {
		return "", fmt.Errorf("no SAMLResponse in the page:\n%s", page)
	}
	return html.UnescapeString(m[1]), nil
}

// Initiated is an IdP-initiated response for the service provider
// entityID (base64, as posted).
func (p *IdP) Initiated(entityID string) string {
	p.t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, p.URL+"/initiate", nil)
	p.idp.ServeIDPInitiated(rec, req, entityID, "")
	resp, err := ResponseFrom(rec.Body.String())
	if err != nil {
		p.t.Fatalf("samltest: %d %v", rec.Code, err)
	}
	return resp
}

// clockAdapter lets the library's clock read the test's (the library
// reads only Now).
type clockAdapter struct {
	clockwork.Clock
	c assay.Clock
}

func (a clockAdapter) Now() time.Time                  { return a.c.Now() }
func (a clockAdapter) Since(t time.Time) time.Duration { return a.c.Now().Sub(t) }
func (a clockAdapter) Until(t time.Time) time.Duration { return t.Sub(a.c.Now()) }
