// Package ledger makes Assay's audit trail tamper-evident. Every activity
// entry is a leaf of a Merkle tree (golang.org/x/mod/sumdb/tlog, the tree of
// Go's checksum database); the tree's stored hashes are kept next to the
// entries, and signed checkpoints (golang.org/x/mod/sumdb/note, ed25519)
// commit to its size and root hash. Anyone holding a checkpoint can check
// that an entry is in the tree (an inclusion proof) and that a later tree
// only appended to it (a consistency proof); Verify recomputes all of it
// from the live database rows.
//
// The package knows nothing about SQL: the store writes leaves and hashes
// inside each change's transaction, and hands Verify a Snapshot to read.
package ledger

import (
	"database/sql"
	"strconv"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/assay-platform/assay"
)

// TimeLayout is how the store writes times, and so how "at" reads in a
// leaf: fixed-width UTC with microseconds.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// Entry is one activity row as the ledger sees it: the leaf's content.
// Text fields hold the row's stored values byte for byte, so the leaf can be
// rebuilt from the live row and compared with the hash the tree holds.
type Entry struct {
	Index       int64         // the leaf index: 0, 1, 2, ... with no gaps
	Seq         int64         // the activity row's seq
	OrgID       int64         //
	At          string        // stored text, TimeLayout
	ActorUserID sql.NullInt64 // NULL when the actor is not a user
	ActorName   string
	ActorVia    string
	Action      string
	ObjectType  string
	ObjectID    string
	Summary     string
	Before      []byte // stored JSON text; nil when NULL
	After       []byte // stored JSON text; nil when NULL
}

// EntryFromActivity is the entry of an activity as the store returns it.
func EntryFromActivity(index int64, a assay.Activity) Entry {
	return Entry{Index: index, Seq: a.Seq, OrgID: a.OrgID, At: a.At.UTC().Format(TimeLayout),
		ActorUserID: sql.NullInt64{Int64: a.Actor.UserID, Valid: a.Actor.UserID != 0}, ActorName: a.Actor.Name, ActorVia: a.Actor.Via,
		Action: a.Action, ObjectType: a.ObjectType, ObjectID: a.ObjectID, Summary: a.Summary,
		Before: a.Before, After: a.After}
}

// Leaf is the leaf's data: the entry as canonical JSON. Keys come in a fixed
// order with no white space; strings escape only the quote, the backslash
// and control characters; numbers are plain decimals; a NULL user id,
// before or after is null; before and after are the stored JSON text
// embedded as is. The same row always gives the same bytes.
//
//	{"index":0,"seq":1,"org_id":1,"at":"2026-03-02T09:00:00.000000Z",
//	 "actor":{"user_id":null,"name":"assay","via":"system"},"action":"organization.create",
//	 "object_type":"organization","object_id":"acme","summary":"...","before":null,"after":{...}}
func (e Entry) Leaf() []byte { return e.AppendLeaf(make([]byte, 0, 256+len(e.Before)+len(e.After))) }

// AppendLeaf appends the leaf's data to dst.
func (e Entry) AppendLeaf(dst []byte) []byte {
	b := append(dst, `{"index":`...)
	b = strconv.AppendInt(b, e.Index, 10)
	b = append(b, `,"seq":`...)
	b = strconv.AppendInt(b, e.Seq, 10)
	b = append(b, `,"org_id":`...)
	b = strconv.AppendInt(b, e.OrgID, 10)
	b = append(b, `,"at":`...)
	b = appendString(b, e.At)
	b = append(b, `,"actor":{"user_id":`...)
	if e.ActorUserID.Valid {
		b = strconv.AppendInt(b, e.ActorUserID.Int64, 10)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"name":`...)
	b = appendString(b, e.ActorName)
	b = append(b, `,"via":`...)
	b = appendString(b, e.ActorVia)
	b = append(b, `},"action":`...)
	b = appendString(b, e.Action)
	b = append(b, `,"object_type":`...)
	b = appendString(b, e.ObjectType)
	b = append(b, `,"object_id":`...)
	b = appendString(b, e.ObjectID)
	b = append(b, `,"summary":`...)
	b = appendString(b, e.Summary)
	b = append(b, `,"before":`...)
	b = appendRaw(b, e.Before)
	b = append(b, `,"after":`...)
	b = appendRaw(b, e.After)
	return append(b, '}')
}

// Hash is the leaf's hash in the tree (RFC 6962: SHA-256 of 0x00 || leaf).
func (e Entry) Hash() tlog.Hash { return tlog.RecordHash(e.Leaf()) }

func appendRaw(b, raw []byte) []byte {
	if raw == nil {
		return append(b, "null"...)
	}
	return append(b, raw...)
}

const hexDigits = "0123456789abcdef"

func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// ParseTime reads a stored time.
func ParseTime(s string) (time.Time, error) { return time.Parse(TimeLayout, s) }
