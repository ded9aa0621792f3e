package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
)

// The batch writes below record many changes in one transaction through
// the same code as their one-at-a-time methods, each change with its own
// audit-trail entry and ledger leaf. They are for seeding large demo and
// benchmark organisations, where a transaction per change costs minutes on
// PostgreSQL; they are not part of store.Store.

// BatchAcceptance is one acceptance of AcceptPolicies: the person accepts
// the version at At (zero: the clock's now), recorded by Actor.
type BatchAcceptance struct {
	Actor     assay.Actor
	PersonID  int64
	VersionID int64
	At        time.Time
}

// AcceptPolicies records acceptances as AcceptPolicy does, each at its own
// time, in one transaction: all of them or none.
func (db *DB) AcceptPolicies(ctx context.Context, orgID int64, list []BatchAcceptance) error {
	s := &orgStore{db: db, orgID: orgID}
	people, err := s.People(ctx)
	if err != nil {
		return err
	}
	byID := make(map[int64]assay.Person, len(people))
	for _, p := range people {
		byID[p.ID] = p
	}
	return db.update(ctx, func(tx *Tx) error {
		now := tx.now
		defer func() { tx.now = now }()
		for i, a := range list {
			p, ok := byID[a.PersonID]
			if !ok {
				return assay.Errorf(assay.ENOTFOUND, "No person %d in this organisation.", a.PersonID)
			}
			tx.now = now
			if !a.At.IsZero() {
				tx.now = a.At.UTC().Truncate(time.Microsecond)
			}
			if st := p.StatusAt(tx.now); st != assay.PersonActive { // as AcceptPolicy judges it on a clock set to At
				return assay.Errorf(assay.ECONFLICT, "%s is %s; only active people accept policies.", p.Name, st)
			}
			if _, err := s.acceptPolicy(tx, a.Actor, p, a.VersionID); err != nil {
				return fmt.Errorf("acceptance %d of %d: %w", i+1, len(list), err)
			}
		}
		return nil
	})
}

// CreateEvidenceBatch creates evidence items as CreateEvidence does, in one
// transaction: all of them or none.
func (db *DB) CreateEvidenceBatch(ctx context.Context, orgID int64, actor assay.Actor, list []assay.NewEvidence) error {
	s := &orgStore{db: db, orgID: orgID}
	now := db.clock.Now()
	for i := range list {
		if err := list[i].Normalize(now); err != nil {
			return fmt.Errorf("evidence %d of %d: %w", i+1, len(list), err)
		}
	}
	return db.update(ctx, func(tx *Tx) error {
		for i, n := range list {
			if _, err := s.createEvidence(tx, actor, n); err != nil {
				return fmt.Errorf("evidence %d of %d: %w", i+1, len(list), err)
			}
		}
		return nil
	})
}
