package ledger_test

import (
	"database/sql"
	"encoding/json"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
)

func TestLeafIsCanonicalJSON(t *testing.T) {
	e := ledger.Entry{Index: 7, Seq: 12, OrgID: 3, At: "2026-03-02T09:00:00.000000Z",
		ActorUserID: sql.NullInt64{Int64: 5, Valid: true}, ActorName: `Ann "the admin" \ O'Neil`, ActorVia: "web",
		Action: "control.update", ObjectType: "control", ObjectID: "AC-01",
		Summary: "line one\nline two\ttab \x01 <b>&amp; ünïcode ✓", Before: []byte(`{"a":1}`), After: []byte(`{"a":2,"b":[true,null]}`)}
	want := `{"index":7,"seq":12,"org_id":3,"at":"2026-03-02T09:00:00.000000Z","actor":{"user_id":5,"name":"Ann \"the admin\" \\ O'Neil","via":"web"},` +
		`"action":"control.update","object_type":"control","object_id":"AC-01","summary":"line one\nline two\ttab \u0001 <b>&amp; ünïcode ✓",` +
		`"before":{"a":1},"after":{"a":2,"b":[true,null]}}`
	if got := string(e.Leaf()); got != want {
		t.Fatalf("leaf =\n%s\nwant\n%s", got, want)
	}
	if e.Hash() != tlog.RecordHash([]byte(want)) {
		t.Fatal("hash is not the RFC 6962 leaf hash of the leaf")
	}
	// It is JSON that reads back as the entry.
	var back struct {
		Index, Seq, OrgID int64 `json:"-"`
		Actor             struct {
			UserID *int64 `json:"user_id"`
			Name   string `json:"name"`
		} `json:"actor"`
		Summary string          `json:"summary"`
		After   json.RawMessage `json:"after"`
	}
	if err := json.Unmarshal(e.Leaf(), &back); err != nil {
		t.Fatalf("leaf is not JSON: %v", err)
	}
	if back.Actor.Name != e.ActorName || back.Summary != e.Summary || *back.Actor.UserID != 5 || string(back.After) != string(e.After) {
		t.Fatalf("leaf reads back as %+v", back)
	}

	// NULLs are null; a NULL user id is not user 0.
	e.ActorUserID, e.Before, e.After = sql.NullInt64{}, nil, nil
	leaf := string(e.Leaf())
	for _, part := range []string{`"user_id":null`, `"before":null,"after":null}`} {
		if !contains(leaf, part) {
			t.Errorf("leaf %s lacks %s", leaf, part)
		}
	}
	zero := e
	zero.ActorUserID = sql.NullInt64{Valid: true}
	if zero.Hash() == e.Hash() {
		t.Error("a stored user id 0 hashes like NULL")
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestEntryFromActivity(t *testing.T) {
	a := assay.Activity{Seq: 4, OrgID: 2, At: time.Date(2026, 3, 2, 9, 0, 0, 123456000, time.UTC),
		Actor: assay.Actor{Name: "assay", Via: "system"}, Action: "scope.update", ObjectType: "organization", ObjectID: "acme",
		Summary: "Changed", After: json.RawMessage(`{"categories":["security"]}`)}
	e := ledger.EntryFromActivity(9, a)
	want := ledger.Entry{Index: 9, Seq: 4, OrgID: 2, At: "2026-03-02T09:00:00.123456Z", ActorName: "assay", ActorVia: "system",
		Action: "scope.update", ObjectType: "organization", ObjectID: "acme", Summary: "Changed", After: []byte(`{"categories":["security"]}`)}
	if string(e.Leaf()) != string(want.Leaf()) {
		t.Fatalf("entry = %s, want %s", e.Leaf(), want.Leaf())
	}
	a.Actor.UserID = 8
	if e := ledger.EntryFromActivity(9, a); !e.ActorUserID.Valid || e.ActorUserID.Int64 != 8 {
		t.Fatalf("user id = %+v", e.ActorUserID)
	}
}
