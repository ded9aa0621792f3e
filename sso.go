package assay

import (
	"net/mail"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
)

// SSOProtocol is how an organisation's identity provider signs people in.
type SSOProtocol string

const (
	SSOOff  SSOProtocol = ""     // no single sign-on
	SSOOIDC SSOProtocol = "oidc" // OpenID Connect, authorization code flow with PKCE
	SSOSAML SSOProtocol = "saml" // SAML 2.0, Assay the service provider
)

// SSOSettings is an organisation's single sign-on configuration. The OIDC
// client secret is kept sealed (SealedSecret); HasSecret tells whether one
// is set without showing it.
type SSOSettings struct {
	Protocol     SSOProtocol `json:"protocol"`
	ProviderName string      `json:"provider_name"` // shown as "Sign in with <name>"
	// OIDC.
	Issuer       string   `json:"issuer,omitempty"`
	ClientID     string   `json:"client_id,omitempty"`
	SealedSecret []byte   `json:"-"`
	HasSecret    bool     `json:"has_client_secret"`
	Scopes       []string `json:"scopes,omitempty"`
	// SAML: the IdP's metadata, fetched from a URL or pasted.
	SAMLMetadataURL string `json:"saml_metadata_url,omitempty"`
	SAMLMetadataXML string `json:"saml_metadata_xml,omitempty"`
	// Provisioning.
	GroupsClaim    string          `json:"groups_claim"` // the ID token claim or SAML attribute naming groups
	DefaultRole    Role            `json:"default_role"`
	RefuseUnmapped bool            `json:"refuse_unmapped"` // a user whose groups map to no role is refused
	RoleMap        map[string]Role `json:"role_map"`        // group name -> role
	AllowedDomains []string        `json:"allowed_domains"` // e-mail domains allowed in (none: any)
	// SSOOnly refuses passwords for everyone but BreakGlassUserID.
	SSOOnly          bool      `json:"sso_only"`
	BreakGlassUserID int64     `json:"break_glass_user_id,omitempty"`
	UpdatedAt        time.Time `json:"updated_at,omitzero"`
}

// Enabled reports whether single sign-on is configured.
func (s SSOSettings) Enabled() bool { return s.Protocol != SSOOff }

// DefaultSSOScopes are the OIDC scopes asked for when none are set.
var DefaultSSOScopes = []string{"openid", "email", "profile"}

// roleRank orders roles from the most to the least able: the highest
// mapped role wins when a person's groups map to several.
var roleRank = map[Role]int{RoleAdmin: 5, RoleMember: 4, RoleAuditor: 3, RoleViewer: 2, RoleEmployee: 1}

// MapRole is the role a person with groups gets: the highest role any of
// their groups maps to, and whether one did.
func (s SSOSettings) MapRole(groups []string) (Role, bool) {
	var best Role
	for _, g := range groups {
		if r, ok := s.RoleMap[g]; ok && roleRank[r] > roleRank[best] {
			best = r
		}
	}
	return best, best != ""
}

// DomainAllowed reports whether email's domain may sign in (any when no
// domains are listed).
func (s SSOSettings) DomainAllowed(email string) bool {
	if len(s.AllowedDomains) == 0 {
		return true
	}
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return false
	}
	return slices.Contains(s.AllowedDomains, strings.ToLower(email[at+1:]))
}

// MaxSAMLMetadata is the largest IdP metadata document accepted.
const MaxSAMLMetadata = 256 << 10

// Validate checks and tidies settings (the secret is checked by the
// service that seals it).
func (s *SSOSettings) Validate() error {
	s.ProviderName = strings.TrimSpace(s.ProviderName)
	s.Issuer = strings.TrimRight(strings.TrimSpace(s.Issuer), "/")
	s.ClientID = strings.TrimSpace(s.ClientID)
	s.GroupsClaim = strings.TrimSpace(s.GroupsClaim)
	s.SAMLMetadataURL = strings.TrimSpace(s.SAMLMetadataURL)
	s.SAMLMetadataXML = strings.TrimSpace(strings.TrimPrefix(s.SAMLMetadataXML, "\ufeff"))
	if s.DefaultRole == "" {
		s.DefaultRole = RoleViewer
	}
	if !s.DefaultRole.Valid() {
		return Invalid("default_role", "Unknown default role %q; use admin, member, auditor, viewer or employee.", s.DefaultRole)
	}
	for g, r := range s.RoleMap {
		if strings.TrimSpace(g) == "" {
			return Invalid("role_map", "A group name in the role mapping is empty.")
		}
		if !r.Valid() {
			return Invalid("role_map", "Group %q maps to unknown role %q.", g, r)
		}
	}
	doms := []string{}
	for _, d := range s.AllowedDomains {
		d = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "@"))
		if d == "" {
			continue
		}
		if _, err := mail.ParseAddress("x@" + d); err != nil || strings.ContainsAny(d, "@ ") {
			return Invalid("allowed_domains", "%q is not an e-mail domain.", d)
		}
		if !slices.Contains(doms, d) {
			doms = append(doms, d)
		}
	}
	sort.Strings(doms)
	s.AllowedDomains = doms
	if len(s.ProviderName) > MaxNameLen {
		return Invalid("provider_name", "Provider name is longer than %d characters.", MaxNameLen)
	}
	switch s.Protocol {
	case SSOOff:
		if s.SSOOnly {
			return Invalid("sso_only", "Turn single sign-on on before making it the only way in.")
		}
	case SSOOIDC:
		if err := checkHTTPURL("issuer", s.Issuer); err != nil {
			return err
		}
		if s.ClientID == "" {
			return Invalid("client_id", "Enter the client id the identity provider gave Assay.")
		}
		if len(s.Scopes) == 0 {
			s.Scopes = slices.Clone(DefaultSSOScopes)
		}
		if !slices.Contains(s.Scopes, "openid") {
			s.Scopes = append([]string{"openid"}, s.Scopes...)
		}
	case SSOSAML:
		if s.SAMLMetadataURL == "" && s.SAMLMetadataXML == "" {
			return Invalid("saml_metadata_url", "Enter the identity provider's metadata URL or paste its metadata XML.")
		}
		if s.SAMLMetadataURL != "" {
			if err := checkHTTPURL("saml_metadata_url", s.SAMLMetadataURL); err != nil {
				return err
			}
		}
		if len(s.SAMLMetadataXML) > MaxSAMLMetadata {
			return Invalid("saml_metadata_xml", "The metadata is larger than %d KB.", MaxSAMLMetadata>>10)
		}
	default:
		return Invalid("protocol", "Unknown protocol %q; use oidc, saml or off.", s.Protocol)
	}
	if s.ProviderName == "" && s.Protocol != SSOOff {
		s.ProviderName = "single sign-on"
	}
	if s.SSOOnly && s.BreakGlassUserID == 0 {
		return Invalid("break_glass_user_id", "Name a break-glass admin who keeps their password when single sign-on is the only way in.")
	}
	return nil
}

func checkHTTPURL(field, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return Invalid(field, "Enter an http(s) URL.")
	}
	return nil
}

// SSOIdentity is who an identity provider says signed in.
type SSOIdentity struct {
	Protocol      SSOProtocol
	Subject       string // the provider's stable id of the person
	Email         string
	EmailVerified bool
	Name          string
	Groups        []string
}

// SSOLogin is an organisation whose sign-in page offers single sign-on.
type SSOLogin struct {
	Slug         string
	OrgName      string
	ProviderName string
	SSOOnly      bool
}

// Single sign-on events in the activity trail.
const (
	EventSSOSettings = "organization.sso" // the SSO settings changed
	EventSSOLink     = "user.sso_link"    // a user was linked to an identity at the provider
)

// ParseRoleMap reads a group-to-role mapping written one "group = role"
// per line (the settings form and the command line).
func ParseRoleMap(text string) (map[string]Role, error) {
	m := map[string]Role{}
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
		if line == "" {
			continue
		}
		g, r, ok := strings.Cut(line, "=")
		g, r = strings.TrimSpace(g), strings.TrimSpace(r)
		if !ok || g == "" {
			return nil, Invalid("role_map", "Line %d: write \"group = role\".", i+1)
		}
		if !Role(r).Valid() {
			return nil, Invalid("role_map", "Line %d: unknown role %q; use admin, member, auditor, viewer or employee.", i+1, r)
		}
		m[g] = Role(r)
	}
	return m, nil
}

// FormatRoleMap writes a mapping as ParseRoleMap reads it, by group.
func FormatRoleMap(m map[string]Role) string {
	groups := make([]string, 0, len(m))
	for g := range m {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	var b strings.Builder
	for _, g := range groups {
		b.WriteString(g + " = " + string(m[g]) + "\n")
	}
	return b.String()
}

// SplitList reads a list typed with commas, spaces or new lines.
func SplitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}
