package assay

// AcceptedMajors maps person id to policy id to the major versions the
// person accepted (any minor version of a major counts): everything the
// acceptance rules need from the acceptances, read in one query.
type AcceptedMajors map[int64]map[int64]map[int]bool

// Add records that person accepted a version of policy with major.
func (a AcceptedMajors) Add(person, policy int64, major int) {
	if a[person] == nil {
		a[person] = map[int64]map[int]bool{}
	}
	if a[person][policy] == nil {
		a[person][policy] = map[int]bool{}
	}
	a[person][policy][major] = true
}

// Has reports whether person accepted some version of policy's major.
func (a AcceptedMajors) Has(person, policy int64, major int) bool { return a[person][policy][major] }

// Any reports whether person accepted any version of policy.
func (a AcceptedMajors) Any(person, policy int64) bool { return len(a[person][policy]) > 0 }

// PoliciesToAcceptFor lists the published versions person still has to
// accept: those of policies (as read, with their published version) that
// apply to them whose major version they have not accepted. Nobody but an
// active person has anything to accept.
func PoliciesToAcceptFor(person Person, policies []Policy, accepted AcceptedMajors) []PolicyVersion {
	out := []PolicyVersion{}
	if person.Status != PersonActive {
		return out
	}
	for _, p := range policies {
		if p.Published == nil || !p.AppliesTo.Matches(person.Department, string(person.EmploymentType)) {
			continue
		}
		if !accepted.Has(person.ID, p.ID, p.Published.Number.Major) {
			out = append(out, *p.Published)
		}
	}
	return out
}

// PolicyFiguresFor counts, for each published policy, the active people it
// applies to and those of them who accepted its current major version.
func PolicyFiguresFor(policies []Policy, people []Person, accepted AcceptedMajors) []PolicyFigure {
	out := []PolicyFigure{}
	for _, p := range policies {
		if p.Published == nil {
			continue
		}
		f := PolicyFigure{PolicyID: p.ID, Title: p.Title, VersionID: p.Published.ID, Version: p.Published.Version}
		for _, pe := range people {
			if pe.Status != PersonActive || !p.AppliesTo.Matches(pe.Department, string(pe.EmploymentType)) {
				continue
			}
			f.Required++
			if accepted.Has(pe.ID, p.ID, p.Published.Number.Major) {
				f.Accepted++
			} else {
				f.Missing = append(f.Missing, pe.Name)
			}
		}
		out = append(out, NewPolicyFigure(f))
	}
	return out
}
