package web

import (
	"context"
	"slices"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// ownerChoices are the people an owner picker offers (app.Owners: those
// who can act on what they own), and the current owner when they no
// longer can, so saving other fields keeps them until someone picks
// another; changing to such a person is refused by the service.
func (s *Server) ownerChoices(ctx context.Context, p *httpkit.Principal, current int64) ([]assay.User, error) {
	owners, err := s.app.Owners(ctx, p.App())
	if err != nil {
		return nil, err
	}
	if current == 0 || slices.ContainsFunc(owners, func(u assay.User) bool { return u.ID == current }) {
		return owners, nil
	}
	if u, err := p.Org.User(ctx, current); err == nil {
		owners = append(owners, u)
	} else if assay.ErrorCode(err) != assay.ENOTFOUND {
		return nil, err
	}
	return owners, nil
}
