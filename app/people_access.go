package app

import "github.com/assay-platform/assay"

// Who may do what with the roster, the checklists and training: admins,
// members and auditors read the roster (viewers do not: it is about
// people, not the program's state); admins add, import and
// change people, tick checklist items and manage training; anyone with a
// roster entry (employees included) sees and completes their own portal
// tasks, and nobody else's.

func mayReadPeople(p Principal) error {
	if !p.User.Can(assay.ActionReadPeople, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not show the roster; your own tasks are under My tasks.", p.User.Role)
	}
	return nil
}

func mayManagePeople(p Principal) error {
	if !p.User.Can(assay.ActionManagePeople, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins change the roster, checklists and training; your role is %s.", p.User.Role)
	}
	return nil
}

func mayUsePortal(p Principal) error {
	if !p.User.Can(assay.ActionUsePortal, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Your account may not use the portal.")
	}
	return nil
}

// MayManagePeople tells whether the principal may change the roster,
// checklists and training (an adapter asks before it reads a file, so a
// refusal comes before a typo).
func (a *App) MayManagePeople(p Principal) error { return mayManagePeople(p) }

// notYours is how someone else's task answers a principal who may not
// read the roster: as if it did not exist. One who may read it is told
// plainly that the task is not theirs to do.
func notYours(p Principal, what string) error {
	if p.User.Can(assay.ActionReadPeople, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only the person it is assigned to completes this %s here.", what)
	}
	return assay.Errorf(assay.ENOTFOUND, "%s not found.", upperFirst(what))
}

// notLinked is err (the principal is not on the roster) as a refusal of
// someone else's task for a principal who may read the roster: whoever's
// task it is, it is not theirs.
func notLinked(p Principal, err error, what string) error {
	if assay.ErrorCode(err) == assay.ENOTFOUND && p.User.Can(assay.ActionReadPeople, nil) {
		return notYours(p, what)
	}
	return err
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
