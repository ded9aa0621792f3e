package assay

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Access reviews: a campaign asks the owner of each system to confirm, for
// every account on it, that the access is still needed at its level. Each
// account gets a decision (keep, change, revoke) with who and when; change
// and revoke become corrective actions, and a finished campaign becomes
// evidence for the access-review controls (CC6.2, CC6.3).

// AccessReviewStatus is where a campaign stands.
type AccessReviewStatus string

const (
	AccessReviewOpen      AccessReviewStatus = "open"
	AccessReviewCompleted AccessReviewStatus = "completed"
)

// AccessDecision is a reviewer's verdict on one account ("" while pending).
type AccessDecision string

const (
	AccessKeep   AccessDecision = "keep"   // still needed as it is
	AccessChange AccessDecision = "change" // needed, at another level
	AccessRevoke AccessDecision = "revoke" // no longer needed
)

// AccessDecisions lists every decision.
var AccessDecisions = []AccessDecision{AccessKeep, AccessChange, AccessRevoke}

// Valid reports whether d is a known decision.
func (d AccessDecision) Valid() bool { return slices.Contains(AccessDecisions, d) }

// Where an account came from.
const (
	AccountFromRoster   = "roster"   // an identity roster (idp.account resources) or a live identity source (okta.user, github.member)
	AccountFromPostgres = "postgres" // a PostgreSQL source (postgres.role resources)
	AccountFromCSV      = "csv"      // an uploaded CSV of accounts
)

// AccountSources lists every account source.
var AccountSources = []string{AccountFromRoster, AccountFromPostgres, AccountFromCSV}

// Account flags: what a reviewer should look at first.
const (
	FlagDeparted = "departed"  // the account's person has left
	FlagNoPerson = "no_person" // no person on the roster has the account's e-mail
)

// Access review limits.
const (
	MaxAccessSystems   = 50
	MaxAccessAccounts  = 20000
	MaxAccessFieldLen  = 200
	MaxAccessReasonLen = 2000
	// AccessReviewDays is how long a completed campaign keeps CC6.2 and
	// CC6.3 current (a quarter and a margin); the next one is due
	// AccessReviewCadenceDays after the last completion.
	AccessReviewDays        = 100
	AccessReviewCadenceDays = 90
	// RevokeBusinessDays is how long a revoke or change task has.
	RevokeBusinessDays = 5
)

// AccessReviewCriteria are the criteria an access review evidences.
var AccessReviewCriteria = []string{"CC6.2", "CC6.3"}

// AccessSystem is one system under review and its owner, who reviews it.
type AccessSystem struct {
	Name      string `json:"name"`
	OwnerID   int64  `json:"owner_id,omitempty"`
	OwnerName string `json:"owner_name,omitempty"`
	Accounts  int    `json:"accounts"`
	Decided   int    `json:"decided"`
}

// AccessReview is a campaign.
type AccessReview struct {
	ID              int64              `json:"id"`
	Name            string             `json:"name"`
	Period          string             `json:"period"`
	DueDate         time.Time          `json:"due_date"`
	Status          AccessReviewStatus `json:"status"`
	Systems         []AccessSystem     `json:"systems"`
	Accounts        int                `json:"accounts"`
	Decided         int                `json:"decided"`
	Revoked         int                `json:"revoked"`
	Changed         int                `json:"changed"`
	CreatedByName   string             `json:"created_by_name"`
	CreatedAt       time.Time          `json:"created_at"`
	CompletedAt     *time.Time         `json:"completed_at,omitempty"`
	CompletedByName string             `json:"completed_by_name,omitempty"`
	EvidenceID      int64              `json:"evidence_id,omitempty"`
}

// Overdue reports whether an open campaign is past its due date at now.
func (r AccessReview) Overdue(now time.Time) bool {
	return r.Status == AccessReviewOpen && Day(now).After(r.DueDate)
}

// System returns the campaign's system by name.
func (r AccessReview) System(name string) (AccessSystem, bool) {
	for _, s := range r.Systems {
		if strings.EqualFold(s.Name, name) {
			return s, true
		}
	}
	return AccessSystem{}, false
}

// MayDecide reports whether u may decide accounts of the system: admins
// any, members the systems they own.
func (u User) MayDecide(sys AccessSystem) bool {
	if u.Disabled {
		return false
	}
	return u.Role == RoleAdmin || (u.Role == RoleMember && sys.OwnerID != 0 && sys.OwnerID == u.ID)
}

// AccessAccount is one account under review.
type AccessAccount struct {
	ID            int64          `json:"id"`
	ReviewID      int64          `json:"review_id"`
	System        string         `json:"system"`
	Account       string         `json:"account"`
	Email         string         `json:"email"`
	Privileges    string         `json:"privileges"`
	Source        string         `json:"source"`
	PersonID      int64          `json:"person_id,omitempty"`
	PersonName    string         `json:"person_name,omitempty"`
	Flag          string         `json:"flag,omitempty"`
	Decision      AccessDecision `json:"decision,omitempty"`
	Reason        string         `json:"reason,omitempty"`
	DecidedBy     int64          `json:"decided_by,omitempty"`
	DecidedByName string         `json:"decided_by_name,omitempty"`
	DecidedAt     *time.Time     `json:"decided_at,omitempty"`
	CorrectiveID  int64          `json:"corrective_id,omitempty"`
}

// NewAccessReview is a campaign to open.
type NewAccessReview struct {
	Name    string         `json:"name"`
	Period  string         `json:"period"`
	DueDate time.Time      `json:"due_date"`
	Systems []AccessSystem `json:"systems"`
}

// Validate trims and checks n.
func (n *NewAccessReview) Validate() error {
	n.Name, n.Period = strings.TrimSpace(n.Name), strings.TrimSpace(n.Period)
	switch {
	case n.Name == "":
		return Invalid("name", "Give the campaign a name.")
	case utf8.RuneCountInString(n.Name) > MaxAccessFieldLen || utf8.RuneCountInString(n.Period) > MaxAccessFieldLen:
		return Invalid("name", "The name or period is longer than %d characters.", MaxAccessFieldLen)
	case n.Period == "":
		return Invalid("period", "Say which period the campaign reviews, e.g. 2026 Q4.")
	case n.DueDate.IsZero():
		return Invalid("due_date", "Give a due date.")
	}
	n.DueDate = Day(n.DueDate)
	return ValidateAccessSystems(n.Systems)
}

// ValidateAccessSystems trims the names and refuses empty, long or
// repeated ones (names compare without case).
func ValidateAccessSystems(list []AccessSystem) error {
	if len(list) > MaxAccessSystems {
		return Invalid("systems", "At most %d systems in one campaign.", MaxAccessSystems)
	}
	seen := map[string]bool{}
	for i := range list {
		list[i].Name = strings.TrimSpace(list[i].Name)
		key := strings.ToLower(list[i].Name)
		switch {
		case key == "":
			return Invalid("systems", "A system has no name.")
		case utf8.RuneCountInString(key) > MaxAccessFieldLen:
			return Invalid("systems", "The system name %q is longer than %d characters.", list[i].Name, MaxAccessFieldLen)
		case seen[key]:
			return Invalid("systems", "The system %q is listed twice.", list[i].Name)
		}
		seen[key] = true
	}
	return nil
}

// NewAccessAccount is an account to load into a campaign.
type NewAccessAccount struct {
	System     string `json:"system"`
	Account    string `json:"account"`
	Email      string `json:"email"`
	Privileges string `json:"privileges"`
	Source     string `json:"source"`   // "": csv
	Departed   bool   `json:"departed"` // the source says the person left
}

// Validate trims and checks a.
func (a *NewAccessAccount) Validate() error {
	a.System, a.Account, a.Privileges = strings.TrimSpace(a.System), strings.TrimSpace(a.Account), strings.TrimSpace(a.Privileges)
	a.Email = strings.ToLower(strings.TrimSpace(a.Email))
	if a.Source == "" {
		a.Source = AccountFromCSV
	}
	switch {
	case !slices.Contains(AccountSources, a.Source):
		return Invalid("source", "Unknown account source %q; use roster, postgres or csv.", a.Source)
	case a.System == "":
		return Invalid("system", "Name the account's system.")
	case a.Account == "":
		return Invalid("account", "Name the account.")
	case utf8.RuneCountInString(a.Account) > MaxAccessFieldLen || utf8.RuneCountInString(a.Email) > MaxAccessFieldLen:
		return Invalid("account", "The account or e-mail is longer than %d characters.", MaxAccessFieldLen)
	case utf8.RuneCountInString(a.Privileges) > MaxAccessReasonLen:
		return Invalid("privileges", "The privileges are longer than %d characters.", MaxAccessReasonLen)
	case a.Email != "" && (!strings.Contains(a.Email, "@") || strings.ContainsAny(a.Email, " \t<>")):
		return Invalid("email", "%q is not an e-mail address.", a.Email)
	}
	return nil
}

// AccessLoadResult counts what loading accounts did.
type AccessLoadResult struct {
	Added     int `json:"added"`
	Updated   int `json:"updated"`   // undecided accounts whose details changed
	Unchanged int `json:"unchanged"` // already there (or already decided)
}

// NewAccessDecision is a reviewer's decision on one account.
type NewAccessDecision struct {
	Decision AccessDecision `json:"decision"`
	Reason   string         `json:"reason"`
}

// Validate checks d: change and revoke need a reason.
func (d *NewAccessDecision) Validate() error {
	d.Reason = strings.TrimSpace(d.Reason)
	d.Decision = AccessDecision(strings.ToLower(strings.TrimSpace(string(d.Decision))))
	switch {
	case !d.Decision.Valid():
		return Invalid("decision", "Decide keep, change or revoke.")
	case d.Decision != AccessKeep && d.Reason == "":
		return Invalid("reason", "Give the reason to %s this access.", d.Decision)
	case utf8.RuneCountInString(d.Reason) > MaxAccessReasonLen:
		return Invalid("reason", "The reason is longer than %d characters.", MaxAccessReasonLen)
	}
	return nil
}

// AccessCorrectiveRef is the corrective action's source_ref for an account.
func AccessCorrectiveRef(reviewID int64, account AccessAccount) string {
	ref := fmt.Sprintf("access-review:%d/%s/%s", reviewID, account.System, account.Account)
	for utf8.RuneCountInString(ref) > MaxIncidentTitle {
		_, size := utf8.DecodeLastRuneInString(ref)
		ref = ref[:len(ref)-size]
	}
	return ref
}
