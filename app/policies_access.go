package app

import "github.com/assay-platform/assay"

// Who may do what with policies: every role that reads the program reads
// the policies, their versions, the diff and the acceptances; admins
// adopt, edit, approve, publish and record acceptances on someone's
// behalf; a version is approved only by a named person other than its
// last editor; and every signed-in person may read and accept, for
// themself, the published versions that apply to them (the portal).

func mayReadPolicies(p Principal) error {
	if !p.User.Can(assay.ActionRead, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not show the policy program; your own policies are in the portal.", p.User.Role)
	}
	return nil
}

func mayManagePolicies(p Principal) error {
	if !p.User.Can(assay.ActionManagePolicies, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins adopt, edit, approve and publish policies; your role is %s.", p.User.Role)
	}
	return nil
}

// mayMovePolicyVersion: admins move versions; approving needs a named
// person (not the system) other than the version's last editor. The store
// holds the same rule, so no way in can skip it.
func mayMovePolicyVersion(p Principal, v assay.PolicyVersion, to assay.PolicyStatus) error {
	if err := mayManagePolicies(p); err != nil {
		return err
	}
	if to != assay.PolicyApproved {
		return nil
	}
	if p.User.ID == 0 {
		return assay.Errorf(assay.EFORBIDDEN, "Version %s must be approved by a named person: act as them (--as EMAIL).", v.Version)
	}
	if p.User.ID == v.EditedByID {
		return assay.Errorf(assay.EFORBIDDEN, "Version %s was last edited by %s; someone else must approve it.", v.Version, v.EditedByName)
	}
	return nil
}
