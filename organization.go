package assay

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Trust Services categories.
const (
	CategorySecurity            = "security"
	CategoryAvailability        = "availability"
	CategoryConfidentiality     = "confidentiality"
	CategoryProcessingIntegrity = "processing_integrity"
	CategoryPrivacy             = "privacy"
)

// Categories lists every category in framework order.
var Categories = []string{CategorySecurity, CategoryAvailability, CategoryConfidentiality, CategoryProcessingIntegrity, CategoryPrivacy}

// Organization is a tenant: one company's SOC 2 program.
type Organization struct {
	ID        int64             `json:"id"`
	Slug      string            `json:"slug"`
	Name      string            `json:"name"`
	Scope     Scope             `json:"scope"`
	System    SystemDescription `json:"system_description"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// Scope is what the SOC 2 report covers: the categories chosen. Security is
// always in scope.
type Scope struct {
	Categories []string `json:"categories"`
}

// Has reports whether a category is in scope.
func (s Scope) Has(category string) bool {
	return category == CategorySecurity || slices.Contains(s.Categories, category)
}

// Normalize returns the scope with Security added, duplicates removed and
// categories in framework order. It rejects unknown categories.
func (s Scope) Normalize() (Scope, error) {
	in := map[string]bool{CategorySecurity: true}
	for _, c := range s.Categories {
		c = strings.TrimSpace(c)
		if !slices.Contains(Categories, c) {
			return Scope{}, Invalid("categories", "Unknown category %q; choose from %s.", c, strings.Join(Categories, ", "))
		}
		in[c] = true
	}
	var out Scope
	for _, c := range Categories {
		if in[c] {
			out.Categories = append(out.Categories, c)
		}
	}
	return out, nil
}

// SystemDescription is the written description of the system an auditor
// expects in section III of a SOC 2 report, one field per part.
type SystemDescription struct {
	Services           string          `json:"services"`
	Commitments        string          `json:"commitments"`
	Infrastructure     string          `json:"infrastructure"`
	Software           string          `json:"software"`
	People             string          `json:"people"`
	Procedures         string          `json:"procedures"`
	Data               string          `json:"data"`
	Boundaries         string          `json:"boundaries"`
	Subservices        []SubserviceOrg `json:"subservice_organizations"`
	UserEntityControls string          `json:"complementary_user_entity_controls"`
}

// SubserviceOrg is a vendor whose services are part of the system, either
// carved out of the report (the auditor relies on its own report) or
// included (its controls are tested as part of this report).
type SubserviceOrg struct {
	Name     string `json:"name"`
	Services string `json:"services"`
	Method   string `json:"method"` // "carve_out" or "inclusive"
	// Controls are the complementary subservice organisation controls: what
	// the organisation relies on this vendor to do for its own controls to
	// work (for a carve-out, what the vendor's own report should cover).
	Controls string `json:"complementary_controls,omitempty"`
}

// SystemSection names one text part of the system description.
type SystemSection struct {
	Key   string
	Title string
	Help  string
}

// SystemSections lists the text parts of a system description in the order
// an auditor reads them.
var SystemSections = []SystemSection{
	{"services", "Services provided", "What the company sells and to whom, in the words a customer would use."},
	{"commitments", "Principal service commitments and system requirements", "What you promise customers (uptime, security, confidentiality) in contracts and published terms, and the requirements your system must meet to keep those promises."},
	{"infrastructure", "Infrastructure", "Cloud providers, regions, networks, hosts and managed services the system runs on."},
	{"software", "Software", "Applications, databases and internal tools that make up the system."},
	{"people", "People", "The teams that build, run, secure and support the system, and who governs them."},
	{"procedures", "Procedures", "The automated and manual procedures that deliver the service: deployment, on-call, support, change and access."},
	{"data", "Data", "The data the system receives, stores and produces, and how it is classified."},
	{"boundaries", "System boundaries", "What is inside the system under audit and what is not."},
	{"user_entity_controls", "Complementary user entity controls", "Controls your customers must run themselves for your controls to work (for example, managing their own users)."},
}

// Section returns the text of one part by key.
func (d SystemDescription) Section(key string) string {
	switch key {
	case "services":
		return d.Services
	case "commitments":
		return d.Commitments
	case "infrastructure":
		return d.Infrastructure
	case "software":
		return d.Software
	case "people":
		return d.People
	case "procedures":
		return d.Procedures
	case "data":
		return d.Data
	case "boundaries":
		return d.Boundaries
	case "user_entity_controls":
		return d.UserEntityControls
	}
	return ""
}

// SetSection sets the text of one part by key.
func (d *SystemDescription) SetSection(key, v string) {
	switch key {
	case "services":
		d.Services = v
	case "commitments":
		d.Commitments = v
	case "infrastructure":
		d.Infrastructure = v
	case "software":
		d.Software = v
	case "people":
		d.People = v
	case "procedures":
		d.Procedures = v
	case "data":
		d.Data = v
	case "boundaries":
		d.Boundaries = v
	case "user_entity_controls":
		d.UserEntityControls = v
	}
}

// Field limits.
const (
	MaxNameLen     = 200
	MaxTextLen     = 20000
	MaxSubservices = 100
)

// Validate checks every part of the description.
func (d SystemDescription) Validate() error {
	for _, s := range SystemSections {
		if len(d.Section(s.Key)) > MaxTextLen {
			return Invalid(s.Key, "%s is longer than %d characters.", s.Title, MaxTextLen)
		}
	}
	if len(d.Subservices) > MaxSubservices {
		return Invalid("subservice_organizations", "At most %d subservice organisations.", MaxSubservices)
	}
	for i, s := range d.Subservices {
		if strings.TrimSpace(s.Name) == "" {
			return Invalid("subservice_organizations", "Subservice organisation %d needs a name.", i+1)
		}
		if len(s.Name) > MaxNameLen || len(s.Services) > MaxTextLen || len(s.Controls) > MaxTextLen {
			return Invalid("subservice_organizations", "Subservice organisation %q has a field that is too long.", s.Name)
		}
		if s.Method != "carve_out" && s.Method != "inclusive" {
			return Invalid("subservice_organizations", "Subservice organisation %q: method must be carve_out or inclusive.", s.Name)
		}
	}
	return nil
}

// Completion returns how many of the text parts are filled in and how many there are.
func (d SystemDescription) Completion() (filled, total int) {
	for _, s := range SystemSections {
		if strings.TrimSpace(d.Section(s.Key)) != "" {
			filled++
		}
	}
	return filled, len(SystemSections)
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// ValidateOrganization checks a new organisation's name and slug.
func ValidateOrganization(name, slug string) error {
	if strings.TrimSpace(name) == "" {
		return Invalid("name", "Organisation name is required.")
	}
	if len(name) > MaxNameLen {
		return Invalid("name", "Organisation name is longer than %d characters.", MaxNameLen)
	}
	if !slugRE.MatchString(slug) {
		return Invalid("slug", "Slug must be lower-case letters, digits and dashes (at most 63).")
	}
	return nil
}

// Slugify turns a name into a slug.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimRight(b.String(), "-")
	if len(s) > 63 {
		s = strings.TrimRight(s[:63], "-")
	}
	if s == "" {
		s = "org"
	}
	return s
}
