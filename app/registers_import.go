package app

import (
	"context"
	"strings"

	"github.com/assay-platform/assay"
)

// RegisterRefs is what an imported register file may name: users by
// lower-cased email, the controls' ids and the vendors' names already
// taken (lower-cased).
type RegisterRefs struct {
	UserByEmail map[string]int64
	Controls    map[string]bool
	VendorNames map[string]bool
}

// RegisterImportRefs is asked before a register file is read: only those
// who may add register entries get the references (so a refusal comes
// before a typo in the file).
func (a *App) RegisterImportRefs(ctx context.Context, p Principal) (RegisterRefs, error) {
	refs := RegisterRefs{UserByEmail: map[string]int64{}, Controls: map[string]bool{}, VendorNames: map[string]bool{}}
	if err := mayManageRegisters(p); err != nil {
		return refs, err
	}
	users, err := p.Org.Users(ctx)
	if err != nil {
		return refs, err
	}
	for _, u := range users {
		refs.UserByEmail[strings.ToLower(u.Email)] = u.ID
	}
	controls, err := p.Org.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		return refs, err
	}
	for _, c := range controls {
		refs.Controls[c.ID] = true
	}
	vendors, err := p.Org.Vendors(ctx)
	if err != nil {
		return refs, err
	}
	for _, v := range vendors {
		refs.VendorNames[strings.ToLower(v.Name)] = true
	}
	return refs, nil
}
