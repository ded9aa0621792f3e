package assay

import (
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
)

// Role is what a person may do in an organisation.
type Role string

const (
	RoleAdmin   Role = "admin"   // runs the program: everything
	RoleMember  Role = "member"  // edits the controls they own
	RoleAuditor Role = "auditor" // reads everything, changes nothing
	RoleViewer  Role = "viewer"  // reads the program's state, not records about people nor the audit trail
	// RoleEmployee sees only their own tasks in the employee portal.
	RoleEmployee Role = "employee"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleMember, RoleAuditor, RoleViewer, RoleEmployee}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// User is a person with an account in one organisation.
type User struct {
	ID          int64      `json:"id"`
	OrgID       int64      `json:"org_id"`
	Email       string     `json:"email"`
	Name        string     `json:"name"`
	Role        Role       `json:"role"`
	Disabled    bool       `json:"disabled"`
	CreatedAt   time.Time  `json:"created_at"`
	LastLoginAt *time.Time `json:"last_login_at,omitempty"`
	// An auditor invited for one engagement: the engagement they may read,
	// and when their access ends (see audit_access.go).
	EngagementID    int64      `json:"engagement_id,omitempty"`
	AccessExpiresAt *time.Time `json:"access_expires_at,omitempty"`
	// Kept for a user provisioned by an identity provider (SCIM): its
	// externalId and the parts of the name. DeactivatedAt is when the
	// account was last disabled.
	ExternalID    string     `json:"external_id,omitempty"`
	GivenName     string     `json:"given_name,omitempty"`
	FamilyName    string     `json:"family_name,omitempty"`
	DeactivatedAt *time.Time `json:"deactivated_at,omitempty"`
}

// Action is something a person may try to do.
type Action string

const (
	ActionRead         Action = "read"          // dashboard, controls, criteria, scope
	ActionReadActivity Action = "read_activity" // the audit trail
	// ActionReadPeople is reading records about people: the roster,
	// training, and access reviews with their accounts (admins, members
	// and auditors; not viewers).
	ActionReadPeople     Action = "read_people"
	ActionEditControl    Action = "edit_control"    // status, owner, notes of one control
	ActionManageControls Action = "manage_controls" // add custom controls, change mappings, assign owners
	ActionEditScope      Action = "edit_scope"      // categories and system description
	ActionManageUsers    Action = "manage_users"    // users and API tokens
	// ActionAddEvidence is adding evidence (files, links, notes) and
	// attaching it to controls. With a control, members may do it only for
	// the controls they own; without one, it asks whether the role may add
	// evidence at all.
	ActionAddEvidence Action = "add_evidence"
	// ActionRequestEvidence is asking for evidence for a control and
	// accepting or rejecting the answer (admins and auditors).
	ActionRequestEvidence Action = "request_evidence"
	// ActionManageAudits is creating engagements and moving their status (admins).
	ActionManageAudits Action = "manage_audits"
	// ActionSampleAudit is drawing a recorded sample (admins and auditors).
	ActionSampleAudit Action = "sample_audit"
	// ActionExport is taking out the control matrix, the evidence bundle
	// and OSCAL results (admins and auditors).
	ActionExport Action = "export"
	// ActionReportIncident is reporting an incident and adding to its
	// timeline (admins and members).
	ActionReportIncident Action = "report_incident"
	// ActionManageIncidents is triaging, containing, resolving and
	// reviewing incidents, and managing corrective actions (admins).
	ActionManageIncidents Action = "manage_incidents"
	// ActionManageRegisters is adding, importing and assessing risks and
	// vendors, and editing any of them (admins).
	ActionManageRegisters Action = "manage_registers"
	// ActionEditRegisters is editing the risks and vendors one owns
	// (admins and members; members are checked with MayEditOwned).
	ActionEditRegisters Action = "edit_registers"
	// ActionManageMonitoring is configuring monitoring sources and custom
	// checks and starting runs (admins).
	ActionManageMonitoring Action = "manage_monitoring"
	// ActionUsePortal is using the employee portal: one's own policies,
	// training and checklist items (every role).
	ActionUsePortal Action = "use_portal"
	// ActionManagePeople is editing the roster, checklists and training (admins).
	ActionManagePeople Action = "manage_people"
	// ActionManagePolicies is adopting, editing, approving and publishing
	// policies and recording acceptances on someone's behalf (admins).
	ActionManagePolicies Action = "manage_policies"
	// ActionManageAccessReviews is opening access review campaigns, loading
	// their accounts and completing them (admins).
	ActionManageAccessReviews Action = "manage_access_reviews"
	// ActionReviewAccess is deciding accounts in access reviews (admins and
	// members; members only for the systems they own, see User.MayDecide).
	ActionReviewAccess Action = "review_access"
	// ActionManageTrust is configuring the public trust center and deciding
	// visitors' requests for its documents (admins).
	ActionManageTrust Action = "manage_trust"
)

// MayEditOwned reports whether the user may edit a risk or vendor owned by
// ownerID: admins any, members their own.
func (u User) MayEditOwned(ownerID int64) bool {
	if u.Can(ActionManageRegisters, nil) {
		return true
	}
	return u.Can(ActionEditRegisters, nil) && ownerID != 0 && ownerID == u.ID
}

// Can reports whether the user may do action. For ActionEditControl, ctl is
// the control concerned: members may edit only the controls they own.
func (u User) Can(action Action, ctl *Control) bool {
	if u.Disabled || !u.Role.Valid() {
		return false
	}
	switch action {
	case ActionRead:
		return u.Role != RoleEmployee
	case ActionUsePortal:
		return true
	case ActionManagePeople:
		return u.Role == RoleAdmin
	case ActionManagePolicies:
		return u.Role == RoleAdmin
	case ActionManageAccessReviews, ActionManageTrust:
		return u.Role == RoleAdmin
	case ActionReviewAccess:
		return u.Role == RoleAdmin || u.Role == RoleMember
	case ActionReadActivity, ActionReadPeople:
		return u.Role == RoleAdmin || u.Role == RoleAuditor || u.Role == RoleMember
	case ActionEditControl:
		if u.Role == RoleAdmin {
			return true
		}
		return u.Role == RoleMember && ctl != nil && ctl.OwnerID == u.ID
	case ActionManageControls, ActionEditScope, ActionManageUsers:
		return u.Role == RoleAdmin
	case ActionAddEvidence:
		if u.Role == RoleAdmin {
			return true
		}
		return u.Role == RoleMember && (ctl == nil || ctl.OwnerID == u.ID)
	case ActionRequestEvidence, ActionSampleAudit:
		return u.Role == RoleAdmin || u.Role == RoleAuditor
	case ActionManageAudits:
		return u.Role == RoleAdmin
	case ActionExport:
		return u.Role == RoleAdmin || u.Role == RoleAuditor
	case ActionReportIncident:
		return u.Role == RoleAdmin || u.Role == RoleMember
	case ActionManageIncidents:
		return u.Role == RoleAdmin
	case ActionManageRegisters:
		return u.Role == RoleAdmin
	case ActionManageMonitoring:
		return u.Role == RoleAdmin
	case ActionEditRegisters:
		return u.Role == RoleAdmin || u.Role == RoleMember
	}
	return false
}

// Actor is who made a change, as the audit trail records it.
type Actor struct {
	UserID int64  `json:"user_id,omitempty"`
	Name   string `json:"name"`
	// Via says how the change came in: "web", "api", "cli", "system".
	Via string `json:"via"`
}

// SystemActor is Assay itself (migrations, demo data, scheduled jobs).
var SystemActor = Actor{Name: "assay", Via: "system"}

// ActorFor returns the actor for a user acting through a channel.
func ActorFor(u User, via string) Actor {
	name := u.Name
	if name == "" {
		name = u.Email
	}
	return Actor{UserID: u.ID, Name: name, Via: via}
}

// MinPasswordLen is the shortest password Assay accepts.
const MinPasswordLen = 12

// NewUser is the input to create a user.
type NewUser struct {
	Email    string
	Name     string
	Role     Role
	Password string
}

// Validate checks a new user.
func (n *NewUser) Validate() error {
	n.Email = strings.ToLower(strings.TrimSpace(n.Email))
	n.Name = strings.TrimSpace(n.Name)
	if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email || len(n.Email) > 254 {
		return Invalid("email", "Enter a valid email address.")
	}
	if n.Name == "" {
		n.Name = n.Email
	}
	if len(n.Name) > MaxNameLen {
		return Invalid("name", "Name is longer than %d characters.", MaxNameLen)
	}
	if !n.Role.Valid() {
		return Invalid("role", "Unknown role %q; use admin, member, auditor, viewer or employee.", n.Role)
	}
	return ValidatePassword(n.Password, n.Email, n.Name)
}

// MinPasswordScore is the least zxcvbn score (0 to 4) a new password
// must reach: 3 is "safely unguessable" against an offline attack on a
// slow hash, about 10^8 guesses.
const MinPasswordScore = 3

// MaxPasswordLen is the longest password accepted, in characters.
const MaxPasswordLen = 1024

// ValidatePassword checks a new password: at least MinPasswordLen
// characters (counted as characters, not bytes, so "pässwörd" is 8) and not
// easy to guess. Guessability is zxcvbn's estimate (common passwords,
// words, names, keyboard patterns, sequences, repeats, dates, and their
// l33t and capitalised variants); userInputs are what an attacker knows
// about the account (its email and name), so building a password from
// them does not make it stronger.
func ValidatePassword(p string, userInputs ...string) error {
	if !utf8.ValidString(p) {
		return Invalid("password", "Password must be text (UTF-8).")
	}
	n := utf8.RuneCountInString(p)
	if n < MinPasswordLen {
		return Invalid("password", "Password must be at least %d characters.", MinPasswordLen)
	}
	if n > MaxPasswordLen {
		return Invalid("password", "Password is longer than %d characters.", MaxPasswordLen)
	}
	if hints := passwordWeakness(p, userInputs); hints != nil {
		return Invalid("password", "This password is too easy to guess (%s). Use a longer passphrase of several unrelated words.",
			strings.Join(hints, "; "))
	}
	return nil
}

// passwordWeakness returns why p is easy to guess, or nil when it is not.
func passwordWeakness(p string, userInputs []string) []string {
	// zxcvbn's matching time grows with the cube of the length (a second
	// or more for a few hundred characters): judge the first 72, which
	// reach the score on their own unless they are weak.
	if r := []rune(p); len(r) > 72 {
		p = string(r[:72])
	}
	res := zxcvbn.PasswordStrength(p, passwordInputs(userInputs))
	if res.Score >= MinPasswordScore {
		return nil
	}
	var hints []string
	add := func(h string) {
		if !slices.Contains(hints, h) {
			hints = append(hints, h)
		}
	}
	for _, m := range res.Sequence {
		switch m.Pattern {
		case "dictionary":
			if m.DictionaryName == "user_inputs" {
				add("it contains your email address or name")
			} else {
				add("it is built on a common password, word or name")
			}
		case "spatial":
			add("keyboard patterns like qwerty are easy to guess")
		case "repeat":
			add("repeated characters or words are easy to guess")
		case "sequence":
			add("sequences like abc or 1234 are easy to guess")
		case "date", "regex":
			add("dates and years are easy to guess")
		}
	}
	if len(hints) == 0 {
		add("it is too short for its mix of characters")
	}
	return hints
}

// passwordInputs are the words an attacker would try first for an
// account: its email and name whole and in parts, and the product's name.
func passwordInputs(userInputs []string) []string {
	out := []string{"assay", "soc2", "compliance"}
	for _, in := range userInputs {
		in = strings.ToLower(strings.TrimSpace(in))
		if in == "" {
			continue
		}
		out = append(out, in)
		out = append(out, strings.FieldsFunc(in, func(r rune) bool {
			return r == '@' || r == '.' || r == '-' || r == '_' || r == '+' || unicode.IsSpace(r)
		})...)
	}
	return out
}

// APIToken is a bearer token for the JSON API. Only its hash is stored; the
// secret is shown once, when it is created.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"` // the first characters, to recognise it
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	// Scope is what the token may do: TokenReadOnly or TokenReadWrite
	// (empty is read-write, for tokens made before scopes).
	Scope TokenScope `json:"scope"`
	// LastUsedAddr is the client address the token was last used from
	// (read when it authenticates a request; not listed).
	LastUsedAddr string `json:"-"`
}

// Session is a signed-in browser.
type Session struct {
	UserID    int64
	OrgID     int64
	CSRFToken string
	CreatedAt time.Time
	ExpiresAt time.Time
	// MFAStage is SessionComplete for a signed-in browser; a session whose
	// second factor is still being asked for or set up (SessionMFACode,
	// SessionMFAEnrol) signs nobody in.
	MFAStage string
}

// MayOwn reports whether the user can act on what they would own: a
// control, a risk, a vendor, an evidence request to answer, a corrective
// action, a policy, a system under access review. Active admins and
// members can; auditors, viewers and employees cannot change what they
// would be made to own.
func (u User) MayOwn() bool {
	return !u.Disabled && (u.Role == RoleAdmin || u.Role == RoleMember)
}
