package assay

import (
	"strings"
	"time"
)

// SCIM provisioning (RFC 7643, 7644): an identity provider creates,
// updates and deactivates users, and pushes groups that an admin maps to
// roles. These are the domain's words for it; the wire format is in
// package scim.

// SCIMActor is how the trail names a change an identity provider made.
var SCIMActor = Actor{Name: "SCIM provisioning", Via: "scim"}

// EventSCIMChange is the security event (activity action) of a change to a
// user made over SCIM: created, renamed, deactivated, reactivated, deleted
// or given a role through a group. Its entry records the user after.
const EventSCIMChange = "user.scim"

// SCIMDefaultRole is the role of a user an identity provider creates,
// until a mapped group gives them another: the least there is.
const SCIMDefaultRole = RoleEmployee

// SCIMToken describes the organisation's SCIM bearer token (never its secret).
type SCIMToken struct {
	Prefix    string    `json:"prefix"`
	CreatedAt time.Time `json:"created_at"`
}

// SCIMUser is what an identity provider sends about a user.
type SCIMUser struct {
	UserName   string // the sign-in email
	ExternalID string
	GivenName  string
	FamilyName string
	Formatted  string // name.formatted or displayName
	Email      string // the work (or primary) email; userName when empty
	Active     bool
}

// Normalize trims the input and derives the email and display name.
func (u *SCIMUser) Normalize() {
	for _, s := range []*string{&u.UserName, &u.ExternalID, &u.GivenName, &u.FamilyName, &u.Formatted, &u.Email} {
		*s = strings.TrimSpace(*s)
	}
	if u.Email == "" {
		u.Email = u.UserName
	}
	u.Email = strings.ToLower(u.Email)
	if u.Formatted == "" {
		u.Formatted = strings.TrimSpace(u.GivenName + " " + u.FamilyName)
	}
}

// DisplayName is the name Assay shows for the user.
func (u SCIMUser) DisplayName() string {
	if u.Formatted != "" {
		return u.Formatted
	}
	return u.Email
}

// SCIMGroup is a group pushed by the identity provider.
type SCIMGroup struct {
	ID          int64        `json:"id"`
	DisplayName string       `json:"display_name"`
	ExternalID  string       `json:"external_id,omitempty"`
	Members     []SCIMMember `json:"members"`
	Role        Role         `json:"role,omitempty"` // the role mapped to its name, if any
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// SCIMMember is a user in a group.
type SCIMMember struct {
	UserID  int64  `json:"user_id"`
	Display string `json:"display"`
}

// SCIMGroupRole maps a group, by its display name, to an Assay role.
type SCIMGroupRole struct {
	DisplayName string `json:"display_name"`
	Role        Role   `json:"role"`
}

// RoleRank orders roles by what they allow: a member of several mapped
// groups gets the highest.
func RoleRank(r Role) int {
	switch r {
	case RoleAdmin:
		return 5
	case RoleMember:
		return 4
	case RoleAuditor:
		return 3
	case RoleViewer:
		return 2
	case RoleEmployee:
		return 1
	}
	return 0
}
