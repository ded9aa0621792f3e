package ledger

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// The comparisons of live rows with the state the ledger last recorded.

func differs(what string, seq int64, field string, db, led any) error {
	return mismatch("%s has %s %s in the database but %s in the ledger (entry #%d): the row was changed behind Assay's back.",
		what, field, show(db), show(led), seq)
}

func show(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	case *time.Time:
		if v == nil {
			return "none"
		}
		return v.UTC().Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

func decode(what string, rec recorded, v any) error {
	if err := json.Unmarshal(rec.raw, v); err != nil {
		return mismatch("The ledger's record of %s (entry #%d) cannot be read (%v).", what, rec.seq, err)
	}
	return nil
}

// compare checks the live rows against the replayed ledger.
func (r *replay) compare(live LiveState, rep *Report) error {
	if r.err != nil {
		return r.err
	}
	for _, check := range []func(LiveState) error{r.compareOrgs, r.compareControls, r.compareUsers, r.compareTokens, r.compareAudits, r.compareAuditReport} {
		if err := check(live); err != nil {
			return err
		}
	}
	rep.Organizations, rep.Controls, rep.Users, rep.APITokens = len(live.Organizations), len(live.Controls), len(live.Users), len(live.APITokens)
	return nil
}

func (r *replay) compareOrgs(live LiveState) error {
	seen := map[int64]bool{}
	for _, o := range live.Organizations {
		seen[o.ID] = true
		what := fmt.Sprintf("Organisation %d (%s)", o.ID, o.Slug)
		rec := r.orgs[o.ID]
		if rec == nil || rec.create.raw == nil {
			return mismatch("%s is not in the ledger: the row was added behind Assay's back.", what)
		}
		var led assay.Organization
		if err := decode(what, rec.create, &led); err != nil {
			return err
		}
		scopeSeq, systemSeq := rec.create.seq, rec.create.seq
		if rec.scope.raw != nil {
			led.Scope, scopeSeq = assay.Scope{}, rec.scope.seq
			if err := decode(what+"'s scope", rec.scope, &led.Scope); err != nil {
				return err
			}
		}
		if rec.system.raw != nil {
			led.System, systemSeq = assay.SystemDescription{}, rec.system.seq
			if err := decode(what+"'s system description", rec.system, &led.System); err != nil {
				return err
			}
		}
		switch {
		case o.Slug != led.Slug:
			return differs(what, rec.create.seq, "slug", o.Slug, led.Slug)
		case o.Name != led.Name:
			return differs(what, rec.create.seq, "name", o.Name, led.Name)
		case !sameJSON(o.Scope, led.Scope):
			return differs(what, scopeSeq, "scope", jsonText(o.Scope), jsonText(led.Scope))
		case !sameJSON(o.System, led.System):
			return differs(what, systemSeq, "system description", jsonText(o.System), jsonText(led.System))
		case !o.CreatedAt.Equal(led.CreatedAt):
			return differs(what, rec.create.seq, "creation time", o.CreatedAt, led.CreatedAt)
		}
	}
	for _, id := range sortedKeys(r.orgs) {
		if !seen[id] && r.orgs[id].create.raw != nil {
			return mismatch("Organisation %d is in the ledger (entry #%d) but not in the database: the row was deleted.", id, r.orgs[id].create.seq)
		}
	}
	return nil
}

func (r *replay) compareControls(live LiveState) error {
	seen := map[objKey]bool{}
	for _, lc := range live.Controls {
		c := lc.Control
		key := objKey{lc.OrgID, c.ID}
		seen[key] = true
		what := fmt.Sprintf("Control %s of organisation %d", c.ID, lc.OrgID)
		rec, ok := r.controls[key]
		if !ok {
			return mismatch("%s is not in the ledger: the row was added behind Assay's back.", what)
		}
		var led assay.Control
		if err := decode(what, rec, &led); err != nil {
			return err
		}
		for _, f := range []struct {
			name    string
			db, led any
		}{
			{"status", string(c.Status), string(led.Status)},
			{"owner", c.OwnerID, led.OwnerID},
			{"notes", c.Notes, led.Notes},
			{"justification", c.Justification, led.Justification},
			{"criteria", criteriaSet(c.Criteria), criteriaSet(led.Criteria)},
			{"name", c.Name, led.Name},
			{"family", c.Family, led.Family},
			{"description", c.Description, led.Description},
			{"evidence", c.Evidence, led.Evidence},
			{"owner role", c.OwnerRole, led.OwnerRole},
			{"frequency", c.Frequency, led.Frequency},
			{"kind", c.Kind, led.Kind},
			{"automation", c.Automation, led.Automation},
			{"automation note", c.AutomationNote, led.AutomationNote},
			{"custom flag", c.Custom, led.Custom},
		} {
			if f.db != f.led {
				return differs(what, rec.seq, f.name, f.db, f.led)
			}
		}
		if !c.CreatedAt.Equal(led.CreatedAt) {
			return differs(what, rec.seq, "creation time", c.CreatedAt, led.CreatedAt)
		}
		if !c.UpdatedAt.Equal(led.UpdatedAt) {
			return differs(what, rec.seq, "update time", c.UpdatedAt, led.UpdatedAt)
		}
	}
	keys := make([]objKey, 0, len(r.controls))
	for k := range r.controls {
		keys = append(keys, k)
	}
	sortObjKeys(keys)
	for _, k := range keys {
		if !seen[k] {
			return mismatch("Control %s of organisation %d is in the ledger (entry #%d) but not in the database: the row was deleted.", k.id, k.org, r.controls[k].seq)
		}
	}
	return nil
}

func (r *replay) compareUsers(live LiveState) error {
	seen := map[objKey]bool{}
	for _, u := range live.Users {
		key := objKey{u.OrgID, fmt.Sprint(u.ID)}
		seen[key] = true
		what := fmt.Sprintf("User %d (%s)", u.ID, u.Email)
		rec, ok := r.users[key]
		if !ok {
			return mismatch("%s is not in the ledger for organisation %d: the row was added or moved behind Assay's back.", what, u.OrgID)
		}
		var led assay.User
		if err := decode(what, rec, &led); err != nil {
			return err
		}
		switch {
		case u.Email != led.Email:
			return differs(what, rec.seq, "email", u.Email, led.Email)
		case u.Name != led.Name:
			return differs(what, rec.seq, "name", u.Name, led.Name)
		case u.Role != led.Role:
			return differs(what, rec.seq, "role", string(u.Role), string(led.Role))
		case u.Disabled != led.Disabled:
			return differs(what, rec.seq, "disabled flag", u.Disabled, led.Disabled)
		case !u.CreatedAt.Equal(led.CreatedAt):
			return differs(what, rec.seq, "creation time", u.CreatedAt, led.CreatedAt)
		case u.EngagementID != led.EngagementID:
			return differs(what, rec.seq, "engagement", u.EngagementID, led.EngagementID)
		case !sameTime(u.AccessExpiresAt, led.AccessExpiresAt):
			return differs(what, rec.seq, "access expiry", u.AccessExpiresAt, led.AccessExpiresAt)
		}
	}
	keys := make([]objKey, 0, len(r.users))
	for k := range r.users {
		keys = append(keys, k)
	}
	sortObjKeys(keys)
	for _, k := range keys {
		if !seen[k] {
			return mismatch("User %s of organisation %d is in the ledger (entry #%d) but not in the database: the row was deleted or moved.", k.id, k.org, r.users[k].seq)
		}
	}
	return nil
}

func (r *replay) compareTokens(live LiveState) error {
	seen := map[objKey]bool{}
	for _, lt := range live.APITokens {
		t := lt.Token
		key := objKey{lt.OrgID, fmt.Sprint(t.ID)}
		seen[key] = true
		what := fmt.Sprintf("API token %d of organisation %d", t.ID, lt.OrgID)
		rec := r.tokens[key]
		if rec == nil {
			return mismatch("%s is not in the ledger: the row was added behind Assay's back.", what)
		}
		var led assay.APIToken
		if err := decode(what, rec.create, &led); err != nil {
			return err
		}
		switch {
		case t.UserID != led.UserID:
			return differs(what, rec.create.seq, "user", t.UserID, led.UserID)
		case t.Name != led.Name:
			return differs(what, rec.create.seq, "name", t.Name, led.Name)
		case t.Prefix != led.Prefix:
			return differs(what, rec.create.seq, "prefix", t.Prefix, led.Prefix)
		case !t.CreatedAt.Equal(led.CreatedAt):
			return differs(what, rec.create.seq, "creation time", t.CreatedAt, led.CreatedAt)
		case !sameTime(t.ExpiresAt, led.ExpiresAt):
			return differs(what, rec.create.seq, "expiry", t.ExpiresAt, led.ExpiresAt)
		}
		var ledRevoked *time.Time
		if rec.revokeSeq != 0 {
			at, err := ParseTime(rec.revokedAt)
			if err != nil {
				return err
			}
			ledRevoked = &at
		}
		if !sameTime(lt.RevokedAt, ledRevoked) {
			seq := rec.revokeSeq
			if seq == 0 {
				seq = rec.create.seq
			}
			return differs(what, seq, "revocation time", lt.RevokedAt, ledRevoked)
		}
	}
	keys := make([]objKey, 0, len(r.tokens))
	for k := range r.tokens {
		keys = append(keys, k)
	}
	sortObjKeys(keys)
	for _, k := range keys {
		if !seen[k] {
			return mismatch("API token %s of organisation %d is in the ledger (entry #%d) but not in the database: the row was deleted.", k.id, k.org, r.tokens[k].create.seq)
		}
	}
	return nil
}

func criteriaSet(ids []string) string {
	s := slices.Clone(ids)
	sort.Strings(s)
	return strings.Join(s, ",")
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

func jsonText(v any) string { b, _ := json.Marshal(v); return string(b) }

func sameJSON(a, b any) bool { return jsonText(a) == jsonText(b) }

func sortedKeys[V any](m map[int64]V) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sortObjKeys(keys []objKey) {
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].org != keys[j].org {
			return keys[i].org < keys[j].org
		}
		return keys[i].id < keys[j].id
	})
}
