package sso

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/crewjam/saml"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/assay-platform/assay"
)

// SAML signs people in through SAML 2.0 identity providers, Assay being
// the service provider. The library verifies the response's signature,
// issuer, destination, audience and times (with the injected clock given
// as its own clock, never its package-level one); Finish checks the
// conditions against the injected clock again and refuses an assertion id
// seen before (the store keeps them until they expire, on every instance).
type SAML struct {
	Clock  assay.Clock
	Client *http.Client // fetches IdP metadata (nil: 15-second timeout)

	mu    sync.Mutex
	cache map[string]cachedMetadata // by metadata URL
}

type cachedMetadata struct {
	ed      *saml.EntityDescriptor
	fetched time.Time
}

// metadataTTL is how long fetched IdP metadata is used before it is
// fetched again (a provider rolls its certificate through its metadata).
const metadataTTL = time.Hour

// SAMLConfig is one organisation's service provider.
type SAMLConfig struct {
	MetadataURL, MetadataXML string // the IdP's
	EntityID                 string // Assay's metadata URL
	ACSURL                   string
	GroupsClaim              string
}

// ParseMetadata reads IdP metadata (an EntityDescriptor, or the first in
// an EntitiesDescriptor).
func ParseMetadata(b []byte) (*saml.EntityDescriptor, error) {
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	var ed saml.EntityDescriptor
	if err := xml.Unmarshal(b, &ed); err == nil && len(ed.IDPSSODescriptors) > 0 {
		return &ed, nil
	}
	var eds saml.EntitiesDescriptor
	if err := xml.Unmarshal(b, &eds); err == nil {
		for i := range eds.EntityDescriptors {
			if len(eds.EntityDescriptors[i].IDPSSODescriptors) > 0 {
				return &eds.EntityDescriptors[i], nil
			}
		}
	}
	return nil, assay.Invalid("saml_metadata_xml", "This is not SAML identity provider metadata (no IDPSSODescriptor).")
}

func (s *SAML) metadata(ctx context.Context, c SAMLConfig) (*saml.EntityDescriptor, error) {
	if c.MetadataXML != "" {
		return ParseMetadata([]byte(c.MetadataXML))
	}
	s.mu.Lock()
	m, ok := s.cache[c.MetadataURL]
	s.mu.Unlock()
	now := s.Clock.Now()
	if ok && now.Sub(m.fetched) < metadataTTL && !now.Before(m.fetched) {
		return m.ed, nil
	}
	client := s.Client
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.MetadataURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, assay.Errorf(assay.ECONFLICT, "The identity provider's metadata could not be fetched: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, assay.Errorf(assay.ECONFLICT, "The identity provider's metadata URL answered %s.", resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, assay.MaxSAMLMetadata+1))
	if err != nil {
		return nil, fmt.Errorf("saml metadata: %w", err)
	}
	ed, err := ParseMetadata(b)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.cache == nil {
		s.cache = map[string]cachedMetadata{}
	}
	s.cache[c.MetadataURL] = cachedMetadata{ed, now}
	s.mu.Unlock()
	return ed, nil
}

// serviceProvider is the library's service provider for c at the injected
// clock's now (idp may be nil for the metadata alone).
func (s *SAML) serviceProvider(c SAMLConfig, idp *saml.EntityDescriptor) (*saml.ServiceProvider, error) {
	md, err := url.Parse(c.EntityID)
	if err != nil {
		return nil, err
	}
	acs, err := url.Parse(c.ACSURL)
	if err != nil {
		return nil, err
	}
	return &saml.ServiceProvider{EntityID: c.EntityID, MetadataURL: *md, AcsURL: *acs, IDPMetadata: idp,
		AuthnNameIDFormat: saml.EmailAddressNameIDFormat, AllowIDPInitiated: true,
		Clock: dsig.NewFakeClockAt(s.Clock.Now())}, nil
}

// Metadata is Assay's service provider metadata for c.
func (s *SAML) Metadata(c SAMLConfig) ([]byte, error) {
	sp, err := s.serviceProvider(c, nil)
	if err != nil {
		return nil, err
	}
	b, err := xml.MarshalIndent(sp.Metadata(), "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), b...), nil
}

// Begin starts an SP-initiated sign-in: the IdP URL to redirect to and
// the flow (its request id) to keep in the browser's cookie.
func (s *SAML) Begin(ctx context.Context, c SAMLConfig, slug, next string) (string, Flow, error) {
	idp, err := s.metadata(ctx, c)
	if err != nil {
		return "", Flow{}, err
	}
	sp, err := s.serviceProvider(c, idp)
	if err != nil {
		return "", Flow{}, err
	}
	loc := sp.GetSSOBindingLocation(saml.HTTPRedirectBinding)
	if loc == "" {
		return "", Flow{}, assay.Errorf(assay.ECONFLICT, "The identity provider's metadata names no HTTP-Redirect sign-in endpoint.")
	}
	req, err := sp.MakeAuthenticationRequest(loc, saml.HTTPRedirectBinding, saml.HTTPPostBinding)
	if err != nil {
		return "", Flow{}, err
	}
	u, err := req.Redirect("", sp)
	if err != nil {
		return "", Flow{}, err
	}
	return u.String(), Flow{OrgSlug: slug, RequestID: req.ID, Next: next, Expires: s.Clock.Now().Add(FlowTTL)}, nil
}

// Replay remembers accepted assertion ids until notOnOrAfter, reporting
// false for one seen before.
type Replay func(ctx context.Context, id string, notOnOrAfter time.Time) (bool, error)

// Finish checks the IdP's response posted to the ACS (r's form), for the
// request ids this browser started (none: IdP-initiated), and reads the
// person from its assertion.
func (s *SAML) Finish(r *http.Request, c SAMLConfig, requestIDs []string, seen Replay) (assay.SSOIdentity, error) {
	idp, err := s.metadata(r.Context(), c)
	if err != nil {
		return assay.SSOIdentity{}, err
	}
	sp, err := s.serviceProvider(c, idp)
	if err != nil {
		return assay.SSOIdentity{}, err
	}
	a, err := sp.ParseResponse(r, requestIDs)
	if err != nil {
		detail := err.Error()
		if ire, ok := err.(*saml.InvalidResponseError); ok && ire.PrivateErr != nil {
			detail = ire.PrivateErr.Error()
		}
		return assay.SSOIdentity{}, refused("the SAML response is not valid (%s)", detail)
	}
	until, err := s.checkConditions(a, c.EntityID)
	if err != nil {
		return assay.SSOIdentity{}, err
	}
	if a.ID == "" {
		return assay.SSOIdentity{}, refused("the assertion has no id")
	}
	fresh, err := seen(r.Context(), a.ID, until)
	if err != nil {
		return assay.SSOIdentity{}, err
	}
	if !fresh {
		return assay.SSOIdentity{}, refused("this assertion was used before (a replay)")
	}
	return identity(a, c.GroupsClaim), nil
}

// checkConditions checks the assertion's times and audience against the
// injected clock and Assay's entity id, and says until when it is valid.
func (s *SAML) checkConditions(a *saml.Assertion, entityID string) (time.Time, error) {
	now := s.Clock.Now()
	var until time.Time
	if a.Conditions == nil {
		return until, refused("the assertion has no conditions")
	}
	if !a.Conditions.NotBefore.IsZero() && now.Add(saml.MaxClockSkew).Before(a.Conditions.NotBefore) {
		return until, refused("the assertion is not valid yet")
	}
	until = a.Conditions.NotOnOrAfter
	if a.Subject != nil {
		for _, sc := range a.Subject.SubjectConfirmations {
			if d := sc.SubjectConfirmationData; d != nil && !d.NotOnOrAfter.IsZero() && (until.IsZero() || d.NotOnOrAfter.Before(until)) {
				until = d.NotOnOrAfter
			}
		}
	}
	if until.IsZero() {
		return until, refused("the assertion has no expiry")
	}
	if !now.Before(until.Add(saml.MaxClockSkew)) {
		return until, refused("the assertion has expired")
	}
	ok := false
	for _, ar := range a.Conditions.AudienceRestrictions {
		ok = ok || ar.Audience.Value == entityID
	}
	if !ok {
		return until, refused("the assertion is meant for another service (audience)")
	}
	return until.Add(saml.MaxClockSkew), nil
}

// identity reads the person from an assertion: the NameID is the subject,
// the e-mail an e-mail NameID or a mail attribute, groups the attribute
// named groupsAttr (by name or friendly name).
func identity(a *saml.Assertion, groupsAttr string) assay.SSOIdentity {
	id := assay.SSOIdentity{Protocol: assay.SSOSAML, EmailVerified: true}
	if a.Subject != nil && a.Subject.NameID != nil {
		id.Subject = a.Subject.NameID.Value
		if strings.Contains(id.Subject, "@") {
			id.Email = id.Subject
		}
	}
	for _, st := range a.AttributeStatements {
		for _, at := range st.Attributes {
			vals := make([]string, 0, len(at.Values))
			for _, v := range at.Values {
				vals = append(vals, v.Value)
			}
			if len(vals) == 0 {
				continue
			}
			names := []string{at.Name, at.FriendlyName}
			has := func(list ...string) bool {
				for _, n := range names {
					for _, l := range list {
						if n != "" && strings.EqualFold(n, l) {
							return true
						}
					}
				}
				return false
			}
			switch {
			case groupsAttr != "" && has(groupsAttr):
				id.Groups = append(id.Groups, vals...)
			case has("mail", "email", "emailaddress", "urn:oid:0.9.2342.19200300.100.1.3",
				"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"):
				id.Email = vals[0]
			case has("displayName", "cn", "name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"):
				id.Name = vals[0]
			}
		}
	}
	return id
}
