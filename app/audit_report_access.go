package app

import "github.com/assay-platform/assay"

// Who may do what with an engagement's report package (management's
// assertion, the system description, the auditor's draft and final
// report and the comments on them): admins and auditors read it (an
// auditor invited for one engagement, that engagement's only; any other is
// not found); the auditor uploads the draft and final report; admins and
// auditors comment; admins resolve comments and record sign-offs. Members,
// viewers and employees do not see it.

func mayReadReport(p Principal, id int64) error {
	if err := mayReadAudit(p, id); err != nil {
		return err
	}
	if p.User.Role != assay.RoleAdmin && p.User.Role != assay.RoleAuditor {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins and the engagement's auditors see its report package; your role is %s.", p.User.Role)
	}
	return nil
}

func maySignReport(p Principal, id int64) error {
	if err := mayReadReport(p, id); err != nil {
		return err
	}
	if p.User.Role != assay.RoleAdmin {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins record management's sign-off; your role is %s.", p.User.Role)
	}
	return nil
}

func mayUploadReport(p Principal, id int64) error {
	if err := mayReadReport(p, id); err != nil {
		return err
	}
	if p.User.Role != assay.RoleAuditor {
		return assay.Errorf(assay.EFORBIDDEN, "Only the engagement's auditor uploads the draft and final report; your role is %s.", p.User.Role)
	}
	return nil
}

func mayCommentReport(p Principal, id int64) error {
	return mayReadReport(p, id)
}

func mayResolveReportComment(p Principal, id int64) error {
	if err := mayReadReport(p, id); err != nil {
		return err
	}
	if p.User.Role != assay.RoleAdmin {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins resolve comments on the report; your role is %s.", p.User.Role)
	}
	return nil
}
