package assay

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// TrustSettings is what an organisation's public trust center shows. Only
// what is named here is ever public: the tiles chosen, the vendors listed
// as subprocessors (with the purpose and location written for the public),
// the policies chosen (their published version), the incidents chosen
// (with a summary written for the public) and the approved FAQ answers.
type TrustSettings struct {
	Enabled     bool   `json:"enabled"`
	CompanyName string `json:"company_name"`
	Description string `json:"description"`
	Contact     string `json:"contact"` // a security contact address shown to visitors
	// Logo is the company's logo as a data: URL (PNG, JPEG or WebP, at most
	// MaxTrustLogo bytes), so the page needs no other origin.
	Logo string `json:"logo,omitempty"`
	// Tiles are the ids of the assurance tiles shown, in order (see
	// TrustTileDef and catalog/data/trust_tiles.json).
	Tiles         []string            `json:"tiles"`
	Subprocessors []TrustSubprocessor `json:"subprocessors"`
	Policies      []int64             `json:"policies"` // policies whose published version is public
	Incidents     []TrustIncident     `json:"incidents"`
	FAQ           []TrustFAQ          `json:"faq"`
	// NDA is the text a visitor accepts before a document under NDA is
	// sent; its SHA-256 is the version recorded with each acceptance.
	NDA string `json:"nda"`
	// AutoApproveDomains lists e-mail domains whose requests are approved
	// at once (a customer's own domain, say).
	AutoApproveDomains []string `json:"auto_approve_domains"`
	// LinkDays is how long a download link works (default 7).
	LinkDays  int       `json:"link_days"`
	UpdatedAt time.Time `json:"updated_at"`
}

// MaxTrustLogo bounds the logo's size.
const MaxTrustLogo = 64 << 10

// TrustLogo checks a logo data: URL and returns the image's bytes: PNG,
// JPEG or WebP by their content (not by what the URL claims), at most
// MaxTrustLogo bytes.
func TrustLogo(dataURL string) ([]byte, error) {
	rest, ok := strings.CutPrefix(dataURL, "data:")
	mediaType, payload, ok2 := strings.Cut(rest, ";base64,")
	if !ok || !ok2 {
		return nil, Invalid("logo", "The logo must be a PNG, JPEG or WebP image.")
	}
	img, err := base64.StdEncoding.DecodeString(payload)
	if err != nil || len(img) == 0 {
		return nil, Invalid("logo", "The logo could not be read.")
	}
	if len(img) > MaxTrustLogo {
		return nil, Invalid("logo", "The logo is larger than %d KB.", MaxTrustLogo>>10)
	}
	if sniffImage(img) != mediaType || mediaType == "" {
		return nil, Invalid("logo", "The logo must be a PNG, JPEG or WebP image.")
	}
	return img, nil
}

// sniffImage names a PNG, JPEG or WebP image by its first bytes ("" for
// anything else).
func sniffImage(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}):
		return "image/jpeg"
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "image/webp"
	}
	return ""
}

// TrustSubprocessor is a vendor as the trust center lists it.
type TrustSubprocessor struct {
	VendorID int64  `json:"vendor_id"`
	Name     string `json:"name,omitempty"` // filled from the vendor when shown
	Purpose  string `json:"purpose"`
	Location string `json:"location"`
}

// TrustIncident is an incident the admin published, with its public summary.
type TrustIncident struct {
	IncidentID int64  `json:"incident_id"`
	Summary    string `json:"summary"`
}

// TrustFAQ is an approved answer to a common security question.
type TrustFAQ struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// DefaultTrustLinkDays is how long a download link works unless set.
const DefaultTrustLinkDays = 7

// NDAVersion is the SHA-256 of the NDA text: what an acceptance records.
func (t TrustSettings) NDAVersion() string {
	sum := sha256.Sum256([]byte(t.NDA))
	return hex.EncodeToString(sum[:])
}

// LinkTTL is how long a download link works.
func (t TrustSettings) LinkTTL() time.Duration {
	d := t.LinkDays
	if d <= 0 {
		d = DefaultTrustLinkDays
	}
	return time.Duration(d) * 24 * time.Hour
}

// AutoApproves reports whether requests from email are approved at once.
func (t TrustSettings) AutoApproves(email string) bool {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return false
	}
	domain := strings.ToLower(email[at+1:])
	return slices.Contains(t.AutoApproveDomains, domain)
}

// Normalize trims the settings and checks them against the tiles known.
func (t *TrustSettings) Normalize(tiles []TrustTileDef) error {
	t.CompanyName = strings.TrimSpace(t.CompanyName)
	t.Description = strings.TrimSpace(t.Description)
	t.Contact = strings.TrimSpace(t.Contact)
	t.NDA = strings.TrimSpace(t.NDA)
	if t.Enabled && t.CompanyName == "" {
		return Invalid("company_name", "Give the company name the trust center shows.")
	}
	if len(t.CompanyName) > 200 {
		return Invalid("company_name", "The company name is longer than 200 characters.")
	}
	if len(t.Description) > MaxControlText || len(t.NDA) > 50000 {
		return Invalid("description", "The description or the NDA is too long.")
	}
	if t.Contact != "" {
		if _, err := mail.ParseAddress(t.Contact); err != nil {
			return Invalid("contact", "The contact must be an e-mail address.")
		}
	}
	if t.Logo != "" {
		if _, err := TrustLogo(t.Logo); err != nil {
			return err
		}
	}
	known := map[string]bool{}
	for _, d := range tiles {
		known[d.ID] = true
	}
	var seen []string
	for _, id := range t.Tiles {
		id = strings.TrimSpace(id)
		if !known[id] {
			return Invalid("tiles", "There is no tile %q.", id)
		}
		if !slices.Contains(seen, id) {
			seen = append(seen, id)
		}
	}
	t.Tiles = seen
	for i := range t.Subprocessors {
		s := &t.Subprocessors[i]
		s.Purpose, s.Location, s.Name = strings.TrimSpace(s.Purpose), strings.TrimSpace(s.Location), ""
		if s.VendorID <= 0 {
			return Invalid("subprocessors", "Choose the vendor of subprocessor %d.", i+1)
		}
	}
	for i := range t.Incidents {
		t.Incidents[i].Summary = strings.TrimSpace(t.Incidents[i].Summary)
		if t.Incidents[i].Summary == "" {
			return Invalid("incidents", "Write the public summary of incident %d.", t.Incidents[i].IncidentID)
		}
	}
	for i := range t.FAQ {
		f := &t.FAQ[i]
		f.Question, f.Answer = strings.TrimSpace(f.Question), strings.TrimSpace(f.Answer)
		if f.Question == "" || f.Answer == "" {
			return Invalid("faq", "Question %d needs both the question and its answer.", i+1)
		}
	}
	var domains []string
	for _, d := range t.AutoApproveDomains {
		d = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "@"))
		if d == "" {
			continue
		}
		if !strings.Contains(d, ".") || strings.ContainsAny(d, " /@") {
			return Invalid("auto_approve_domains", "%q is not a domain.", d)
		}
		domains = append(domains, d)
	}
	t.AutoApproveDomains = domains
	if t.LinkDays < 0 || t.LinkDays > 90 {
		return Invalid("link_days", "A download link works for 1 to 90 days.")
	}
	return nil
}

// TrustTileDef is one assurance tile: what it measures and from which
// data. The definitions are data (catalog/data/trust_tiles.json), so
// which checks feed which tile is not code.
type TrustTileDef struct {
	ID          string `json:"id"`
	Group       string `json:"group"` // confidence, transparency, assurance, reliability
	Title       string `json:"title"`
	Explanation string `json:"explanation"`
	// Kind says how the tile is computed: "checks" (every resource passes
	// every listed check), "check_share" (the share of passing results of
	// the checks mapped to the listed criteria prefixes), "access_review"
	// (a campaign completed within WithinDays), "ledger" (the ledger has a
	// signed checkpoint) or "uptime" (the public services' uptime over 30
	// days).
	Kind       string   `json:"kind"`
	Checks     []string `json:"checks,omitempty"`
	Criteria   []string `json:"criteria,omitempty"`
	WithinDays int      `json:"within_days,omitempty"`
}

// TrustTile is a tile as computed now. A tile with no data says so and
// shows no figure.
type TrustTile struct {
	ID          string    `json:"id"`
	Group       string    `json:"group"`
	Title       string    `json:"title"`
	Explanation string    `json:"explanation"`
	State       string    `json:"state"` // met, unmet, no_data
	Value       string    `json:"value,omitempty"`
	Inputs      string    `json:"inputs"` // what it was computed from, in words
	AsOf        time.Time `json:"as_of"`
}

// Trust tile states.
const (
	TileMet    = "met"
	TileUnmet  = "unmet"
	TileNoData = "no_data"
)

// TrustDocument is a document the trust center offers, usually under NDA
// (the SOC 2 report).
type TrustDocument struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	NDA         bool      `json:"nda"`
	Published   bool      `json:"published"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// NewTrustDocument is the input to offer a document; its blob is stored first.
type NewTrustDocument struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	NDA         bool   `json:"nda"`
}

// Normalize checks a new document.
func (n *NewTrustDocument) Normalize() error {
	n.Title, n.Description, n.Filename = strings.TrimSpace(n.Title), strings.TrimSpace(n.Description), strings.TrimSpace(n.Filename)
	if n.Title == "" {
		return Invalid("title", "Give the document a title.")
	}
	if len(n.Title) > 200 || len(n.Description) > MaxControlText {
		return Invalid("title", "The title or the description is too long.")
	}
	if len(n.SHA256) != 64 {
		return Invalid("file", "Choose the file to offer.")
	}
	if n.Filename == "" {
		n.Filename = "document"
	}
	if n.ContentType == "" {
		n.ContentType = "application/octet-stream"
	}
	return nil
}

// TrustRequestStatus is where a visitor's request for a document stands.
type TrustRequestStatus string

// Request statuses.
const (
	TrustRequestPending  TrustRequestStatus = "pending"
	TrustRequestApproved TrustRequestStatus = "approved"
	TrustRequestDenied   TrustRequestStatus = "denied"
)

// TrustAccessRequest is a visitor asking for a document: who, why, the
// NDA they accepted (its version, when and from where), the decision and
// the download link's expiry.
type TrustAccessRequest struct {
	ID            int64              `json:"id"`
	DocumentID    int64              `json:"document_id"`
	DocumentTitle string             `json:"document_title"`
	Name          string             `json:"name"`
	Email         string             `json:"email"`
	Company       string             `json:"company"`
	Reason        string             `json:"reason"`
	NDAVersion    string             `json:"nda_version"`
	NDAAcceptedAt time.Time          `json:"nda_accepted_at"`
	ClientAddr    string             `json:"client_addr"`
	Status        TrustRequestStatus `json:"status"`
	DecidedBy     string             `json:"decided_by,omitempty"`
	DecidedAt     *time.Time         `json:"decided_at,omitempty"`
	ExpiresAt     *time.Time         `json:"expires_at,omitempty"` // the link's end, once approved
	Downloads     int                `json:"downloads"`
	CreatedAt     time.Time          `json:"created_at"`
}

// LinkWorks reports whether the request's link downloads at now.
func (r TrustAccessRequest) LinkWorks(now time.Time) bool {
	return r.Status == TrustRequestApproved && r.ExpiresAt != nil && now.Before(*r.ExpiresAt)
}

// NewTrustAccessRequest is what a visitor sends.
type NewTrustAccessRequest struct {
	DocumentID int64  `json:"document_id"`
	Name       string `json:"name"`
	Email      string `json:"email"`
	Company    string `json:"company"`
	Reason     string `json:"reason"`
	AcceptNDA  bool   `json:"accept_nda"`
	ClientAddr string `json:"-"`
}

// Normalize checks a visitor's request.
func (n *NewTrustAccessRequest) Normalize() error {
	n.Name, n.Company, n.Reason = strings.TrimSpace(n.Name), strings.TrimSpace(n.Company), strings.TrimSpace(n.Reason)
	n.Email = strings.ToLower(strings.TrimSpace(n.Email))
	if n.Name == "" || len(n.Name) > 200 {
		return Invalid("name", "Give your name.")
	}
	if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email {
		return Invalid("email", "Give your work e-mail address.")
	}
	if n.Company == "" || len(n.Company) > 200 {
		return Invalid("company", "Give your company.")
	}
	if len(n.Reason) > 2000 {
		return Invalid("reason", "The reason is longer than 2,000 characters.")
	}
	if !n.AcceptNDA {
		return Invalid("accept_nda", "Accept the non-disclosure agreement to ask for this document.")
	}
	return nil
}

// TrustSnapshotRef names one kept snapshot of the trust center.
type TrustSnapshotRef struct {
	ID            int64     `json:"id"`
	PayloadSHA256 string    `json:"payload_sha256"`
	CreatedAt     time.Time `json:"created_at"`
}
