package app

import (
	"context"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
)

// PolicyAdoption is how a policy is adopted, from the form, the API or
// the CLI: from a template (placeholders filled from the organisation) or
// as a policy of one's own with a title and a body.
type PolicyAdoption struct {
	TemplateID   string            `json:"template_id"`
	Title        string            `json:"title"`
	Body         string            `json:"body"`
	Controls     []string          `json:"controls"`
	OwnerID      int64             `json:"owner_id"`
	ReviewMonths int               `json:"review_months"`
	AppliesTo    assay.PolicyScope `json:"applies_to"`
}

// AdoptPolicy adopts one policy as draft 1.0 (one transaction). The owner
// defaults to the principal.
func (a *App) AdoptPolicy(ctx context.Context, p Principal, req PolicyAdoption) (assay.Policy, error) {
	if err := mayManagePolicies(p); err != nil {
		return assay.Policy{}, err
	}
	n, err := a.newPolicy(ctx, p, req)
	if err != nil {
		return assay.Policy{}, err
	}
	return p.Org.AdoptPolicy(ctx, p.Actor(), n)
}

// AdoptPolicyTemplates adopts the library's templates with these ids
// ("all": every template not adopted yet), each with req's owner, cadence
// and scope. Every template and the owner are checked before the first
// is adopted, so bad input changes nothing; each policy is then adopted
// in its own transaction.
func (a *App) AdoptPolicyTemplates(ctx context.Context, p Principal, ids []string, req PolicyAdoption) ([]assay.Policy, error) {
	if err := mayManagePolicies(p); err != nil {
		return nil, err
	}
	list, err := p.Org.Policies(ctx)
	if err != nil {
		return nil, err
	}
	adopted := map[string]bool{}
	for _, pol := range list {
		if pol.TemplateID != "" {
			adopted[pol.TemplateID] = true
		}
	}
	tpls, err := templatesByID(ids, adopted)
	if err != nil {
		return nil, err
	}
	news := make([]assay.NewPolicy, len(tpls))
	for i, t := range tpls {
		r := req
		r.TemplateID, r.Title, r.Body, r.Controls = t.ID, "", "", nil
		if news[i], err = a.newPolicy(ctx, p, r); err != nil {
			return nil, err
		}
		if err := news[i].Validate(); err != nil {
			return nil, err
		}
	}
	out := make([]assay.Policy, 0, len(news))
	for _, n := range news {
		pol, err := p.Org.AdoptPolicy(ctx, p.Actor(), n)
		if err != nil {
			return out, err
		}
		out = append(out, pol)
	}
	return out, nil
}

// newPolicy fills the defaults and, for a template, its text.
func (a *App) newPolicy(ctx context.Context, p Principal, req PolicyAdoption) (assay.NewPolicy, error) {
	if req.OwnerID == 0 {
		req.OwnerID = p.User.ID
	}
	n := assay.NewPolicy{TemplateID: req.TemplateID, Title: req.Title, Body: req.Body, Controls: req.Controls, OwnerID: req.OwnerID,
		ReviewMonths: req.ReviewMonths, AppliesTo: req.AppliesTo}
	if n.ReviewMonths == 0 {
		n.ReviewMonths = assay.DefaultReviewMonths
	}
	if req.TemplateID == "" {
		return n, nil
	}
	t, ok := catalog.PolicyTemplateByID(req.TemplateID)
	if !ok {
		return n, assay.Invalid("template_id", "No policy template %q.", req.TemplateID)
	}
	if req.OwnerID == 0 {
		return n, assay.Invalid("owner_id", "Say who owns the policy: the template names its owner in the text.")
	}
	org, err := p.Org.Organization(ctx)
	if err != nil {
		return n, err
	}
	if err := checkOwner(ctx, p.Org, "owner_id", req.OwnerID); err != nil {
		return n, err
	}
	owner, err := p.Org.User(ctx, req.OwnerID)
	if err != nil {
		return n, err
	}
	if n.Title == "" {
		n.Title = t.Title
	}
	n.Controls = t.Controls
	n.Body = assay.FillPolicyTemplate(t.Body, assay.PolicyVars(org.Name, owner.Name, n.ReviewMonths))
	return n, nil
}

// templatesByID turns ids ("all" for every template not yet adopted) into
// the templates, refusing an unknown one before anything is written.
func templatesByID(ids []string, adopted map[string]bool) ([]catalog.PolicyTemplate, error) {
	list, err := catalog.PolicyTemplates()
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, assay.Invalid("template_id", "Choose at least one template, or \"all\".")
	}
	var out []catalog.PolicyTemplate
	seen := map[string]bool{}
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if strings.EqualFold(id, "all") {
			for _, t := range list {
				if !adopted[t.ID] && !seen[t.ID] {
					out, seen[t.ID] = append(out, t), true
				}
			}
			continue
		}
		t, ok := catalog.PolicyTemplateByID(id)
		if !ok {
			return nil, assay.Invalid("template_id", "No policy template %q.", id)
		}
		if adopted[t.ID] {
			return nil, assay.Errorf(assay.ECONFLICT, "The template %s is already adopted.", t.ID)
		}
		if !seen[t.ID] {
			out, seen[t.ID] = append(out, t), true
		}
	}
	return out, nil
}
