package catalog

import "github.com/assay-platform/assay"

// DomainCriteria returns the criteria as domain values, in framework order.
func (c *Catalog) DomainCriteria() []assay.Criterion {
	out := make([]assay.Criterion, len(c.Criteria))
	for i, cr := range c.Criteria {
		s, _ := c.SeriesByID(cr.Series)
		out[i] = assay.Criterion{ID: cr.ID, Category: cr.Category, Series: cr.Series, SeriesTitle: s.Title, Title: cr.Title, Explanation: cr.Explanation}
	}
	return out
}

// LibraryControls returns the default library as controls an organisation
// adopts: every one not started and without an owner.
func (c *Catalog) LibraryControls() []assay.Control {
	out := make([]assay.Control, len(c.Controls))
	for i, l := range c.Controls {
		out[i] = assay.Control{
			ID: l.ID, Family: l.Family, Name: l.Name, Description: l.Description, Evidence: l.Evidence,
			OwnerRole: l.OwnerRole, Frequency: l.Frequency, Kind: l.Kind,
			Automation: l.Automation, AutomationNote: l.AutomationNote,
			Criteria: append([]string(nil), l.Criteria...), Status: assay.StatusNotStarted,
		}
	}
	return out
}
