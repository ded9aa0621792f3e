package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// Owners are the people an owner picker offers: those who can act on what
// they would own (assay.User.MayOwn: active admins and members). Every
// picker shows this list and every service that sets an owner or an
// assignee refuses anyone else (checkOwner), so a readiness gap never
// names an auditor or a viewer as the one to act.
func (a *App) Owners(ctx context.Context, p Principal) ([]assay.User, error) {
	return owners(ctx, p.Org)
}

func owners(ctx context.Context, org store.OrgStore) ([]assay.User, error) {
	users, err := org.Users(ctx)
	if err != nil {
		return nil, fmt.Errorf("owners: %w", err)
	}
	out := []assay.User{}
	for _, u := range users {
		if u.MayOwn() {
			out = append(out, u)
		}
	}
	return out, nil
}

// checkOwner refuses, as invalid input in field, a user id (other than 0,
// nobody) that is not someone who can act on what they would own.
func checkOwner(ctx context.Context, org store.OrgStore, field string, id int64) error {
	if id == 0 {
		return nil
	}
	u, err := org.User(ctx, id)
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		return assay.Invalid(field, "No user %d in this organisation; choose someone from the list.", id)
	}
	if err != nil {
		return fmt.Errorf("owner %d: %w", id, err)
	}
	if !u.MayOwn() {
		what := string(u.Role)
		if u.Disabled {
			what = "disabled"
		}
		return assay.Invalid(field, "%s cannot act on it (%s); choose an admin or a member.", nameOf(u), what)
	}
	return nil
}

func nameOf(u assay.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// withPrefix puts prefix before an invalid-input message (naming the row or
// the system it is about); other errors pass unchanged.
func withPrefix(err error, prefix string) error {
	var e *assay.Error
	if errors.As(err, &e) && e.Code == assay.EINVALID {
		return assay.Invalid(e.Field, "%s%s", prefix, e.Message)
	}
	return err
}
