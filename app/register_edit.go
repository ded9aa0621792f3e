package app

import (
	"context"

	"github.com/assay-platform/assay"
)

// EditRisk changes a risk from what read decodes (a form or a JSON body).
// Whether the caller may edit the risk is decided before the input is
// read, so a person who may not edit it is told so, not that a field is
// wrong.
func (a *App) EditRisk(ctx context.Context, p Principal, id int64, read func() (assay.Risk, error)) (assay.Risk, error) {
	if err := a.MayEditRisk(ctx, p, id); err != nil {
		return assay.Risk{}, err
	}
	risk, err := read()
	if err != nil {
		return risk, err
	}
	return a.UpdateRisk(ctx, p, id, risk)
}

// EditVendor is EditRisk for a vendor.
func (a *App) EditVendor(ctx context.Context, p Principal, id int64, read func() (assay.Vendor, error)) (assay.Vendor, error) {
	if err := a.MayEditVendor(ctx, p, id); err != nil {
		return assay.Vendor{}, err
	}
	v, err := read()
	if err != nil {
		return v, err
	}
	return a.UpdateVendor(ctx, p, id, v)
}
