package sqlstore

import (
	"database/sql"
	"fmt"

	"github.com/assay-platform/assay"
)

// applyResource compares one resource's results (every result of its id)
// with its state, in memory, noting transitions, changes and the rows to
// write.
func (a *runApply) applyResource(results []assay.CheckResult) error {
	id := results[0].ResourceID
	r := a.byID[id]
	if r == nil {
		r = &runResource{id: id, kind: results[0].ResourceKind, name: results[0].ResourceName, first: a.at, isNew: true, dirty: true}
		a.resources = append(a.resources, r)
		a.byID[id] = r
	}
	if r.applied {
		return assay.Invalid("results", "The results of resource %q came in two parts.", id)
	}
	r.applied = true
	if id != "" {
		a.run.Resources++
	}
	entries, err := decodeState(a.entries[:0], r.blob)
	a.entries = entries
	if err != nil {
		return fmt.Errorf("resource %q: %w", r.id, err)
	}
	cursor := 0
	for j := range results {
		res := &results[j]
		if res.ResourceID != id {
			return assay.Invalid("results", "Resource %q: a result of resource %q came with it.", id, res.ResourceID)
		}
		// Resources usually list their checks in the same order: try
		// the check seen at this position last time before the map.
		var c *runCheck
		if j < len(a.seq) && a.seq[j].id == res.CheckID {
			c = a.seq[j]
		} else if a.lastCheck != nil && a.lastCheck.id == res.CheckID {
			c = a.lastCheck
		} else if c, err = a.intern(res.CheckID); err != nil {
			return err
		}
		a.lastCheck = c
		if j < len(a.seq) {
			a.seq[j] = c
		} else {
			a.seq = append(a.seq, c)
		}
		if res.ResourceName != r.name && res.ResourceName != "" {
			r.name, r.dirty, r.renamed = res.ResourceName, true, true
		}
		if r.kind == "" && res.ResourceKind != "" {
			r.kind, r.dirty = res.ResourceKind, true
		}
		code := statusCode(res.Status)
		reason := reasonKey(res.Reason)
		switch code {
		case codePass:
			c.pass++
		case codeFail:
			c.fail++
		default:
			c.errs++
		}
		if code != codePass && c.example == 0 && reason != 0 {
			c.example = reason
			a.reasons[reason] = res.Reason
		}
		var pos int
		var ok bool
		if cursor < len(entries) && entries[cursor].check == c.key {
			pos, ok = cursor, true
		} else {
			pos, ok = findEntry(entries, c.key)
		}
		cursor = pos + 1
		if !ok {
			entries = append(entries, stateEntry{})
			copy(entries[pos+1:], entries[pos:])
			entries[pos] = stateEntry{check: c.key, status: code, reason: reason, since: a.at, first: a.at, seen: true}
			a.entries = entries
			r.dirty = true
			if reason != 0 {
				a.reasons[reason] = res.Reason
			}
			if code != codePass {
				a.transition(r, c, "", code, reason, res.Reason)
			}
			continue
		}
		e := &entries[pos]
		if e.seen {
			return assay.Invalid("results", "Check %s has two results for resource %q.", c.id, r.id)
		}
		e.seen = true
		if e.status == code && e.reason == reason {
			continue
		}
		r.dirty = true
		if reason != 0 {
			a.reasons[reason] = res.Reason
		}
		if e.status == code { // same status, new reason: no transition
			e.reason = reason
			continue
		}
		a.transition(r, c, codeStatus(e.status), code, reason, res.Reason)
		e.status, e.reason, e.since = code, reason, a.at
	}
	return a.finish(r, entries)
}

// finish ends a resource the run had results for: with a complete run,
// its pairs not seen are gone; its state is encoded again if it changed,
// and counted.
func (a *runApply) finish(r *runResource, entries []stateEntry) error {
	if a.complete {
		a.markGone(r, entries)
	}
	if r.goneAt.Valid {
		r.goneAt, r.dirty = sql.NullInt64{}, true
	}
	if r.dirty {
		r.blob = encodeState(nil, entries)
	}
	if r.id != "" {
		a.count(entries)
	}
	if err := a.streamTransitions(); err != nil {
		return err
	}
	return a.stateChanged(r)
}

// applyRest deals with the resources the run had no results for, once
// every result has come: a complete run marks them gone; the others'
// state still counts towards the current totals.
func (a *runApply) applyRest() error {
	if a.delta {
		return nil
	}
	for _, r := range a.resources {
		if r.applied {
			continue
		}
		entries, err := decodeState(a.entries[:0], r.blob)
		a.entries = entries
		if err != nil {
			return fmt.Errorf("resource %q: %w", r.id, err)
		}
		if !a.complete || r.goneAt.Valid {
			// Nothing to learn: either the run cannot tell that it is gone
			// or it has gone already.
			if !r.goneAt.Valid && r.id != "" {
				a.count(entries)
			}
			continue
		}
		a.markGone(r, entries)
		if r.dirty {
			r.blob = encodeState(nil, entries)
		}
		if r.id != "" {
			a.count(entries)
		}
	}
	return nil
}

// markGone moves every pair of r that this run did not see to gone; a
// resource with no pair left is gone.
func (a *runApply) markGone(r *runResource, entries []stateEntry) {
	left := 0
	for i := range entries {
		e := &entries[i]
		if !e.seen && e.status != codeGone {
			a.transition(r, a.byKey[e.check], codeStatus(e.status), codeGone, 0, "")
			e.status, e.reason, e.since = codeGone, 0, a.at
			r.dirty = true
		}
		if e.status != codeGone {
			left++
		}
	}
	if left == 0 && len(entries) > 0 && !r.goneAt.Valid {
		r.goneAt.Int64, r.goneAt.Valid, r.dirty = a.at, true, true
	}
}

// count adds a resource's current statuses to its checks' totals.
// Resources mostly share their checks, so the check at each position of
// the previous resource is tried before the map.
func (a *runApply) count(entries []stateEntry) {
	for j, e := range entries {
		var c *runCheck
		if j < len(a.countSeq) && a.countSeq[j] != nil && a.countSeq[j].key == e.check {
			c = a.countSeq[j]
		} else {
			c = a.byKey[e.check]
			if j < len(a.countSeq) {
				a.countSeq[j] = c
			} else {
				a.countSeq = append(a.countSeq, c)
			}
		}
		if c != nil {
			c.cur[e.status]++
			c.touched = true
		}
	}
}

// transition notes a status change of check c on resource r.
func (a *runApply) transition(r *runResource, c *runCheck, from assay.CheckStatus, to uint8, reason int64, text string) {
	t := pendingTransition{res: r, check: c.key, status: to, reason: reason}
	if r.key == 0 {
		a.fresh = append(a.fresh, t)
	} else {
		a.transitions = append(a.transitions, t)
	}
	a.changes = append(a.changes, assay.RunChange{Check: c.id, SourceID: a.run.SourceID, Resource: r.id, Name: r.name,
		From: from, To: codeStatus(to), Reason: text})
	a.changeRes = append(a.changeRes, r)
	a.changeKey = append(a.changeKey, c.key)
}
