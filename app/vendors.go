package app

import (
	"context"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
)

// Vendors lists the organisation's vendor register.
func (a *App) Vendors(ctx context.Context, p Principal) ([]assay.Vendor, error) {
	if err := mayReadRegisters(p); err != nil {
		return nil, err
	}
	return p.Org.Vendors(ctx)
}

// Vendor is one vendor of the register.
func (a *App) Vendor(ctx context.Context, p Principal, id int64) (assay.Vendor, error) {
	if err := mayReadRegisters(p); err != nil {
		return assay.Vendor{}, err
	}
	return p.Org.Vendor(ctx, id)
}

// CreateVendors adds vendors, all or none.
func (a *App) CreateVendors(ctx context.Context, p Principal, vendors []assay.Vendor) ([]assay.Vendor, error) {
	if err := mayManageRegisters(p); err != nil {
		return nil, err
	}
	for i := range vendors {
		vendors[i].Normalize()
		if err := vendors[i].Validate(); err != nil {
			return nil, err
		}
		if err := checkOwner(ctx, p.Org, "owner_id", vendors[i].OwnerID); err != nil {
			return nil, err
		}
	}
	return p.Org.CreateVendors(ctx, p.Actor(), vendors)
}

// MayEditVendor tells whether the principal may change the vendor at all.
func (a *App) MayEditVendor(ctx context.Context, p Principal, id int64) error {
	before, err := p.Org.Vendor(ctx, id)
	if err != nil {
		return err
	}
	return mayEditVendor(p, before, nil)
}

// UpdateVendor replaces a vendor's editable fields.
func (a *App) UpdateVendor(ctx context.Context, p Principal, id int64, v assay.Vendor) (assay.Vendor, error) {
	before, err := p.Org.Vendor(ctx, id)
	if err != nil {
		return before, err
	}
	if err := mayEditVendor(p, before, nil); err != nil {
		return before, err
	}
	v.Normalize()
	if err := v.Validate(); err != nil {
		return v, err
	}
	if err := mayEditVendor(p, before, &v); err != nil {
		return v, err
	}
	if v.OwnerID != before.OwnerID {
		if err := checkOwner(ctx, p.Org, "owner_id", v.OwnerID); err != nil {
			return v, err
		}
	}
	return p.Org.UpdateVendor(ctx, p.Actor(), id, v)
}

// ReviewVendor records a security review of a vendor from the answers to
// the library's vendor questions.
func (a *App) ReviewVendor(ctx context.Context, p Principal, id int64, answers map[string]string) (assay.Vendor, error) {
	before, err := p.Org.Vendor(ctx, id)
	if err != nil {
		return before, err
	}
	if err := mayEditVendor(p, before, nil); err != nil {
		return before, err
	}
	qs, err := catalog.VendorQuestions()
	if err != nil {
		return before, err
	}
	return p.Org.RecordVendorReview(ctx, p.Actor(), id, qs, answers)
}
