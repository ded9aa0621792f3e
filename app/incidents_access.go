package app

import "github.com/assay-platform/assay"

// Who may do what with incidents and corrective actions: every role that
// reads the program reads them (not an auditor limited to one engagement,
// whose engagement does not link to them); admins and members report
// incidents and add to their timelines; admins triage, contain, resolve,
// review, import and manage the corrective action register; members
// update the corrective actions they own, without reassigning,
// rescheduling or verifying them.

func mayReadIncidents(p Principal) error {
	if !p.User.Can(assay.ActionRead, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not show incidents and corrective actions.", p.User.Role)
	}
	if p.User.EngagementLimited() {
		return assay.Errorf(assay.ENOTFOUND, "Not found.") // outside their engagement: nothing to confirm
	}
	return nil
}

func mayReportIncident(p Principal) error {
	if !p.User.Can(assay.ActionReportIncident, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins and members report incidents and add to their timelines; your role is %s.", p.User.Role)
	}
	return nil
}

func mayManageIncidents(p Principal) error {
	if !p.User.Can(assay.ActionManageIncidents, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins move, review and import incidents and manage corrective actions; your role is %s.", p.User.Role)
	}
	return nil
}

// mayPatchCorrective checks what the principal may change of c: an admin
// anything; its owner (a member) the status, short of verified, and the
// action's text.
func mayPatchCorrective(p Principal, c assay.CorrectiveAction, patch *assay.CorrectivePatch) error {
	if !p.User.MayUpdateCorrective(c) {
		return assay.Errorf(assay.EFORBIDDEN, "Only an admin or the action's owner may update corrective action %d.", c.ID)
	}
	if patch == nil || p.User.Can(assay.ActionManageIncidents, nil) {
		return nil
	}
	if patch.OwnerID != nil || patch.DueDate != nil || (patch.Status != nil && *patch.Status == assay.CorrectiveVerified) {
		return assay.Errorf(assay.EFORBIDDEN, "Only an admin may reassign, reschedule or verify a corrective action.")
	}
	return nil
}
