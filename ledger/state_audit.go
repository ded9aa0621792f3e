package ledger

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/assay-platform/assay"
)

// LiveAudit is an audit engagement row.
type LiveAudit struct {
	OrgID int64
	Audit assay.Audit
}

// LiveSample is a recorded sample row.
type LiveSample struct {
	OrgID  int64
	Sample assay.AuditSample
}

// auditReplay is what the ledger last recorded for engagements and samples.
type auditReplay struct {
	audits  map[objKey]recorded
	samples map[objKey]recorded
}

// observeAudit notes audit.create, audit.status and audit.sample entries.
func (r *replay) observeAudit(e Entry) {
	if r.audit.audits == nil {
		r.audit = auditReplay{audits: map[objKey]recorded{}, samples: map[objKey]recorded{}}
	}
	switch e.Action {
	case "audit.create", "audit.status":
		r.audit.audits[objKey{e.OrgID, e.ObjectID}] = recorded{seq: e.Seq, raw: slices.Clone(e.After)}
	case "audit.sample":
		var v struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal(e.After, &v); err != nil && r.err == nil {
			r.err = mismatch("Activity entry #%d records a sample that cannot be read (%v).", e.Seq, err)
		}
		r.audit.samples[objKey{e.OrgID, strconv.FormatInt(v.ID, 10)}] = recorded{seq: e.Seq, raw: slices.Clone(e.After)}
	}
}

func (r *replay) compareAudits(live LiveState) error {
	seen := map[objKey]bool{}
	for _, la := range live.Audits {
		a := la.Audit
		key := objKey{la.OrgID, strconv.FormatInt(a.ID, 10)}
		seen[key] = true
		what := fmt.Sprintf("Audit %d of organisation %d", a.ID, la.OrgID)
		rec, ok := r.audit.audits[key]
		if !ok {
			return mismatch("%s is not in the ledger: the row was added behind Assay's back.", what)
		}
		var led assay.Audit
		if err := decode(what, rec, &led); err != nil {
			return err
		}
		for _, f := range []struct {
			name    string
			db, led any
		}{
			{"type", string(a.Type), string(led.Type)}, {"name", a.Name, led.Name}, {"firm", a.Firm, led.Firm},
			{"status", string(a.Status), string(led.Status)}, {"frozen scope", jsonText(a.Scope), jsonText(led.Scope)},
			{"as-of date", show(a.AsOf), show(led.AsOf)}, {"period start", show(a.PeriodStart), show(led.PeriodStart)},
			{"period end", show(a.PeriodEnd), show(led.PeriodEnd)}, {"creation time", show(a.CreatedAt), show(led.CreatedAt)},
		} {
			if f.db != f.led {
				return differs(what, rec.seq, f.name, f.db, f.led)
			}
		}
	}
	for _, s := range live.AuditSamples {
		key := objKey{s.OrgID, strconv.FormatInt(s.Sample.ID, 10)}
		seen[objKey{-1 - s.OrgID, key.id}] = true
		what := fmt.Sprintf("Sample %d of organisation %d", s.Sample.ID, s.OrgID)
		rec, ok := r.audit.samples[key]
		if !ok {
			return mismatch("%s is not in the ledger: the row was added behind Assay's back.", what)
		}
		var led assay.AuditSample
		if err := decode(what, rec, &led); err != nil {
			return err
		}
		if jsonText(s.Sample) != jsonText(led) {
			return differs(what, rec.seq, "record", jsonText(s.Sample), jsonText(led))
		}
	}
	for _, m := range []struct {
		recs map[objKey]recorded
		what string
		sign int64
	}{{r.audit.audits, "Audit", 0}, {r.audit.samples, "Sample", 1}} {
		keys := make([]objKey, 0, len(m.recs))
		for k := range m.recs {
			keys = append(keys, k)
		}
		sortObjKeys(keys)
		for _, k := range keys {
			look := k
			if m.sign == 1 {
				look = objKey{-1 - k.org, k.id}
			}
			if !seen[look] {
				return mismatch("%s %s of organisation %d is in the ledger (entry #%d) but not in the database: the row was deleted.", m.what, k.id, k.org, m.recs[k].seq)
			}
		}
	}
	return nil
}
