package ledger

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/assay-platform/assay"
)

// LiveState is the live rows of the tables whose every change the ledger
// records. Verify replays the ledger and compares: a row changed, added or
// deleted behind Assay's back no longer matches the state the ledger last
// recorded for it.
type LiveState struct {
	Organizations []assay.Organization
	Controls      []LiveControl
	Users         []assay.User
	APITokens     []LiveToken
	Audits        []LiveAudit        // audit engagements (state_audit.go)
	AuditSamples  []LiveSample       // recorded samples
	AuditReport   []LiveReportRecord // sign-offs, report files, comments (state_audit_report.go)
}

// LiveControl is a control row with its organisation and criteria.
type LiveControl struct {
	OrgID   int64
	Control assay.Control
}

// LiveToken is an API token row (its secret's hash is not ledgered).
type LiveToken struct {
	OrgID     int64
	Token     assay.APIToken
	RevokedAt *time.Time
}

type objKey struct {
	org int64
	id  string
}

// recorded is the latest state the ledger holds for an object: the JSON of
// an entry's after, and that entry's seq.
type recorded struct {
	seq int64
	raw []byte
}

type orgRecord struct{ create, scope, system recorded }

type tokenRecord struct {
	create    recorded
	revokeSeq int64
	revokedAt string
}

// replay follows the ledger, keeping each object's latest recorded state.
type replay struct {
	orgs     map[int64]*orgRecord
	controls map[objKey]recorded
	users    map[objKey]recorded
	tokens   map[objKey]*tokenRecord
	audit    auditReplay
	report   map[objKey]recorded // the report package, keyed by kind:id
	err      error
}

func newReplay() *replay {
	return &replay{orgs: map[int64]*orgRecord{}, controls: map[objKey]recorded{}, users: map[objKey]recorded{}, tokens: map[objKey]*tokenRecord{}}
}

// observe notes what one entry says about the state. Entries are observed
// in ledger order, so the last one seen for an object is its current state.
func (r *replay) observe(e Entry) {
	rec := func() recorded { return recorded{seq: e.Seq, raw: bytes.Clone(e.After)} }
	key := objKey{e.OrgID, e.ObjectID}
	org := func() *orgRecord {
		o := r.orgs[e.OrgID]
		if o == nil {
			o = &orgRecord{}
			r.orgs[e.OrgID] = o
		}
		return o
	}
	switch e.Action {
	case "organization.create":
		org().create = rec()
	case "scope.update":
		org().scope = rec()
	case "system_description.update":
		org().system = rec()
	case "control.adopt_library":
		var v struct {
			Adopted []json.RawMessage `json:"adopted"`
		}
		if err := json.Unmarshal(e.After, &v); err != nil && r.err == nil {
			r.err = mismatch("Activity entry #%d records adopted controls that cannot be read (%v).", e.Seq, err)
		}
		for _, raw := range v.Adopted {
			var c struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(raw, &c); err != nil && r.err == nil {
				r.err = mismatch("Activity entry #%d records an adopted control that cannot be read (%v).", e.Seq, err)
			}
			r.controls[objKey{e.OrgID, c.ID}] = recorded{seq: e.Seq, raw: bytes.Clone(raw)}
		}
	case "control.create", "control.update":
		r.controls[key] = rec()
	case "user.create", "user.role", "user.disable", "user.enable", assay.EventSCIMChange:
		r.users[key] = rec()
	case "api_token.create":
		r.tokens[key] = &tokenRecord{create: rec()}
	case "audit.create", "audit.status", "audit.sample":
		r.observeAudit(e)
	case "audit.signoff", "audit.report_file", "audit.report_comment", "audit.report_resolve":
		r.observeAuditReport(e)
	case "api_token.revoke":
		if t := r.tokens[key]; t != nil {
			t.revokeSeq, t.revokedAt = e.Seq, e.At
		}
	}
}
