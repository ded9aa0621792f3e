package app

import "github.com/assay-platform/assay"

// Who may do what in the risk and vendor registers: every role that reads
// the program reads them; admins add, import, assess and edit any entry;
// members edit the entries they own and may not hand them on.

func mayReadRegisters(p Principal) error {
	if !p.User.Can(assay.ActionRead, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not show the registers.", p.User.Role)
	}
	return nil
}

func mayManageRegisters(p Principal) error {
	if !p.User.Can(assay.ActionManageRegisters, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins add, import and assess register entries; your role is %s.", p.User.Role)
	}
	return nil
}

// mayEditRisk: admins any risk, members the risks they own (and only
// while they stay its owner).
func mayEditRisk(p Principal, before assay.Risk, after *assay.Risk) error {
	if !p.User.MayEditOwned(before.OwnerID) {
		return assay.Errorf(assay.EFORBIDDEN, "Only an admin or the risk's owner may change it.")
	}
	if after != nil && !p.User.Can(assay.ActionManageRegisters, nil) && after.OwnerID != before.OwnerID {
		return assay.Invalid("owner_id", "Only an admin may hand a risk to another owner.")
	}
	return nil
}

// mayEditVendor: admins any vendor, members the vendors they own, without
// handing them on or overriding their tier.
func mayEditVendor(p Principal, before assay.Vendor, after *assay.Vendor) error {
	if !p.User.MayEditOwned(before.OwnerID) {
		return assay.Errorf(assay.EFORBIDDEN, "Only an admin or the vendor's owner may change it.")
	}
	if after != nil && !p.User.Can(assay.ActionManageRegisters, nil) {
		if after.OwnerID != before.OwnerID {
			return assay.Invalid("owner_id", "Only an admin may hand a vendor to another owner.")
		}
		if after.TierOverride != before.TierOverride {
			return assay.Invalid("tier_override", "Only an admin may override a vendor's tier.")
		}
	}
	return nil
}
