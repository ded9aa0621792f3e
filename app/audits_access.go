package app

import "github.com/assay-platform/assay"

// Who may do what with audit engagements: every role that reads the
// program reads them, except that an auditor invited for one engagement
// reads that engagement only; admins create them and move their status;
// admins and auditors draw samples (an invited auditor, for their own
// engagement); inviting an auditor is managing users.

func mayReadAudits(p Principal) error {
	if !p.User.Can(assay.ActionRead, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not show audit engagements.", p.User.Role)
	}
	return nil
}

// mayReadAudit adds the engagement limit to mayReadAudits. An engagement
// the principal may not see is reported as not found, as on the web.
func mayReadAudit(p Principal, id int64) error {
	if err := mayReadAudits(p); err != nil {
		return err
	}
	if p.User.EngagementLimited() && p.User.EngagementID != id {
		return assay.Errorf(assay.ENOTFOUND, "Audit not found.")
	}
	return nil
}

func mayManageAudits(p Principal) error {
	if !p.User.Can(assay.ActionManageAudits, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins create engagements and change their status; your role is %s.", p.User.Role)
	}
	return nil
}

func maySampleAudit(p Principal, id int64) error {
	if !p.User.Can(assay.ActionSampleAudit, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins and auditors draw samples; your role is %s.", p.User.Role)
	}
	return mayReadAudit(p, id)
}

func mayInviteAuditor(p Principal) error {
	if !p.User.Can(assay.ActionManageUsers, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins invite auditors; your role is %s.", p.User.Role)
	}
	return nil
}
