package assay

import (
	"encoding/json"
	"time"
)

// Activity is one entry of the audit trail: who changed what, when, and the
// object before and after. Entries are append-only; Seq orders them across
// the whole database (it may have gaps). Each entry is also a leaf of the
// tamper-evident ledger (package ledger), whose leaf indexes have none.
type Activity struct {
	Seq        int64           `json:"seq"`
	OrgID      int64           `json:"org_id"`
	At         time.Time       `json:"at"`
	Actor      Actor           `json:"actor"`
	Action     string          `json:"action"`      // e.g. control.update
	ObjectType string          `json:"object_type"` // e.g. control
	ObjectID   string          `json:"object_id"`
	Summary    string          `json:"summary"`
	Before     json.RawMessage `json:"before,omitempty"`
	After      json.RawMessage `json:"after,omitempty"`
}

// ActivityFilter narrows the audit trail.
type ActivityFilter struct {
	ObjectType string
	ObjectID   string
	Actor      string    // text in the actor's name, any case
	Action     string    // the action ("control.update"), or its area with a dot ("control.")
	Query      string    // text in the summary, any case
	From, To   time.Time // entries at or after From, and before To (zero: no bound)
	BeforeSeq  int64     // entries with a smaller Seq (for paging back)
	Limit      int
}
