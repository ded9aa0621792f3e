package rules

import (
	"context"
	"fmt"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// acceptanceSets answers what each person still has to accept from three
// whole-table reads (people, policies, acceptances), however many people
// are asked about: the set-based form of store.PoliciesToAccept, which
// reads all three again for every person.
type acceptanceSets struct {
	list     []assay.Person // as read, in the store's order
	people   map[int64]assay.Person
	policies []assay.Policy
	accepted assay.AcceptedMajors
}

func loadAcceptanceSets(ctx context.Context, os store.OrgStore) (*acceptanceSets, error) {
	people, err := os.People(ctx)
	if err != nil {
		return nil, fmt.Errorf("people: %w", err)
	}
	policies, err := os.Policies(ctx)
	if err != nil {
		return nil, fmt.Errorf("policies: %w", err)
	}
	accepted, err := os.AcceptedMajors(ctx)
	if err != nil {
		return nil, fmt.Errorf("policy acceptances: %w", err)
	}
	sets := &acceptanceSets{list: people, people: make(map[int64]assay.Person, len(people)), policies: policies, accepted: accepted}
	for _, p := range people {
		sets.people[p.ID] = p
	}
	return sets, nil
}

// toAccept is what store.PoliciesToAccept answers for the person.
func (a *acceptanceSets) toAccept(personID int64) ([]assay.PolicyVersion, error) {
	p, ok := a.people[personID]
	if !ok {
		return nil, assay.Errorf(assay.ENOTFOUND, "Person %d not found.", personID)
	}
	return assay.PoliciesToAcceptFor(p, a.policies, a.accepted), nil
}
