package app

import "github.com/assay-platform/assay"

// Who may do what in access reviews: admins, members and auditors see the
// campaigns and their accounts (viewers do not: they are about people); admins open, load, edit, complete
// and delete them; admins and members decide accounts, members only those
// of the systems they own. Each decision is checked against its account's
// system, whatever the route.

func mayReadAccessReviews(p Principal) error {
	if !p.User.Can(assay.ActionReadPeople, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not show the access reviews.", p.User.Role)
	}
	return nil
}

// MayManageAccessReviews tells whether the principal runs campaigns
// (opens, loads, edits, completes and deletes them).
func MayManageAccessReviews(p Principal) error {
	if !p.User.Can(assay.ActionManageAccessReviews, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins run access review campaigns; your role is %s.", p.User.Role)
	}
	return nil
}

// MayDecideAccess tells whether the principal may decide this account of
// the campaign: admins any, members the accounts of the systems they own.
// A decision names its reviewer, so the CLI's operator (no user) is sent
// to --as.
func MayDecideAccess(p Principal, rv assay.AccessReview, acc assay.AccessAccount) error {
	if !p.User.Can(assay.ActionReviewAccess, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not decide access review accounts.", p.User.Role)
	}
	sys, ok := rv.System(acc.System)
	if !ok || !p.User.MayDecide(sys) {
		return assay.Errorf(assay.EFORBIDDEN, "Only the owner of %s or an admin may decide its accounts.", acc.System)
	}
	if p.User.ID == 0 {
		return assay.Errorf(assay.EFORBIDDEN, "A decision names its reviewer: act as a user (--as EMAIL) to decide accounts.")
	}
	return nil
}

// CanDecideAccess tells whether the account is waiting for a decision the
// principal may make: the campaign is open, the account undecided or kept,
// and the principal may decide it.
func CanDecideAccess(p Principal, rv assay.AccessReview, acc assay.AccessAccount) bool {
	return rv.Status == assay.AccessReviewOpen && (acc.Decision == "" || acc.Decision == assay.AccessKeep) && MayDecideAccess(p, rv, acc) == nil
}
