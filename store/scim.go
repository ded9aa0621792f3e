package store

import (
	"context"

	"github.com/assay-platform/assay"
)

// SCIMStore keeps what identity providers provision over SCIM: the
// organisation's bearer token, users' SCIM attributes, groups and the
// admin's mapping of groups to roles. Every change writes its activity
// entry in its own transaction; a user's entry is assay.EventSCIMChange
// with the user after.
type SCIMStore interface {
	SCIMToken(ctx context.Context) (assay.SCIMToken, error) // ENOTFOUND when none was made
	SetSCIMToken(ctx context.Context, actor assay.Actor, prefix, tokenHash string) (assay.SCIMToken, error)

	// SCIMUsers lists the users SCIM serves (not engagement auditors nor
	// users DELETEd over SCIM), in id order.
	SCIMUsers(ctx context.Context) ([]assay.User, error)
	SCIMUser(ctx context.Context, id int64) (assay.User, error)
	CreateSCIMUser(ctx context.Context, actor assay.Actor, u assay.SCIMUser, passwordHash string) (assay.User, error)
	// UpdateSCIMUser replaces the user's SCIM attributes. Setting Active
	// false deactivates them: disabled, every session ended and every API
	// token revoked, in the same transaction.
	UpdateSCIMUser(ctx context.Context, actor assay.Actor, id int64, u assay.SCIMUser) (assay.User, error)
	// DeleteSCIMUser deactivates the user and stops serving them over SCIM.
	DeleteSCIMUser(ctx context.Context, actor assay.Actor, id int64) error

	SCIMGroups(ctx context.Context) ([]assay.SCIMGroup, error)
	SCIMGroup(ctx context.Context, id int64) (assay.SCIMGroup, error)
	// PutSCIMGroup creates (ID 0) or replaces a group with its members,
	// then gives each member whose mapped groups changed their role.
	PutSCIMGroup(ctx context.Context, actor assay.Actor, g assay.SCIMGroup) (assay.SCIMGroup, error)
	DeleteSCIMGroup(ctx context.Context, actor assay.Actor, id int64) error

	SCIMGroupRoles(ctx context.Context) ([]assay.SCIMGroupRole, error)
	// SetSCIMGroupRole maps a group name to a role (an empty role removes
	// the mapping) and applies it to the group's members.
	SetSCIMGroupRole(ctx context.Context, actor assay.Actor, m assay.SCIMGroupRole) error
}
