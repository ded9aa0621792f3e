package ledger_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
)

// fakeSnapshot is a database in memory: leaves point at activity rows by seq.
type fakeSnapshot struct {
	leaves      []ledger.LeafRow // Index, Seq only
	activity    map[int64]ledger.Entry
	hashes      [][]byte
	checkpoints []ledger.StoredCheckpoint
	state       ledger.LiveState
	digests     []string
	evidence    bool
}

func (f *fakeSnapshot) Leaves(_ context.Context, fn func(ledger.LeafRow) error) error {
	for _, l := range f.leaves {
		e, ok := f.activity[l.Seq]
		l.Found, l.Entry = ok, e
		l.Entry.Index, l.Entry.Seq = l.Index, l.Seq
		if err := fn(l); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeSnapshot) Hashes(_ context.Context, fn func(int64, []byte) error) error {
	for i, h := range f.hashes {
		if h == nil {
			continue // deleted
		}
		if err := fn(int64(i), h); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeSnapshot) ActivityCount(context.Context) (int64, error) {
	return int64(len(f.activity)), nil
}

func (f *fakeSnapshot) FirstUnledgered(context.Context) (int64, bool, error) {
	in := map[int64]bool{}
	for _, l := range f.leaves {
		in[l.Seq] = true
	}
	first := int64(0)
	for seq := range f.activity {
		if !in[seq] && (first == 0 || seq < first) {
			first = seq
		}
	}
	return first, first != 0, nil
}

func (f *fakeSnapshot) Checkpoints(context.Context) ([]ledger.StoredCheckpoint, error) {
	return f.checkpoints, nil
}
func (f *fakeSnapshot) State(context.Context) (ledger.LiveState, error) { return f.state, nil }
func (f *fakeSnapshot) EvidenceDigests(context.Context) ([]string, bool, error) {
	return f.digests, f.evidence, nil
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// history makes a small installation: an organisation with one control and
// one user, a few changes, and checkpoints at sizes 2 and 4 (the last one
// also the data folder's copy).
func history(t *testing.T) (*fakeSnapshot, *ledger.Key, ledger.Options) {
	t.Helper()
	key, _, err := ledger.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	org := assay.Organization{ID: 1, Slug: "acme", Name: "Acme", Scope: assay.Scope{Categories: []string{"security"}},
		System: assay.SystemDescription{Subservices: []assay.SubserviceOrg{}}, CreatedAt: t0, UpdatedAt: t0}
	ctl := assay.Control{ID: "AC-01", Name: "Access reviews", Status: assay.StatusNotStarted, Criteria: []string{"CC6.1"}, CreatedAt: t0, UpdatedAt: t0}
	user := assay.User{ID: 1, OrgID: 1, Email: "ann@example.com", Name: "Ann", Role: assay.RoleAdmin, CreatedAt: t0}
	ctl2 := ctl
	ctl2.Status, ctl2.Notes, ctl2.UpdatedAt = assay.StatusImplemented, "done", t0.Add(time.Minute)
	js := func(v any) []byte { b, _ := json.Marshal(v); return b }
	entries := []ledger.Entry{
		{Action: "organization.create", ObjectType: "organization", ObjectID: "acme", After: js(org)},
		{Action: "control.adopt_library", ObjectType: "organization", ObjectID: "acme", After: js(map[string]any{"controls": 1, "adopted": []assay.Control{ctl}})},
		{Action: "user.create", ObjectType: "user", ObjectID: "1", After: js(user)},
		{Action: "control.update", ObjectType: "control", ObjectID: "AC-01", Before: js(ctl), After: js(ctl2)},
		{Action: "user.login", ObjectType: "user", ObjectID: "1", Summary: "Ann signed in"},
	}
	f := &fakeSnapshot{activity: map[int64]ledger.Entry{}, state: ledger.LiveState{
		Organizations: []assay.Organization{org}, Controls: []ledger.LiveControl{{OrgID: 1, Control: ctl2}}, Users: []assay.User{user}}}
	m := &ledger.MemoryTree{}
	opts := ledger.Options{Verifier: key.Verifier(), RequireLastCheckpoint: true}
	for i, e := range entries {
		e.Index, e.Seq, e.OrgID = int64(i), int64(i+1)*2, 1 // seq with gaps, as PostgreSQL may leave
		e.At, e.ActorName, e.ActorVia = t0.Format(ledger.TimeLayout), "assay", "system"
		if e.Summary == "" {
			e.Summary = e.Action
		}
		f.activity[e.Seq] = e
		f.leaves = append(f.leaves, ledger.LeafRow{Index: e.Index, Seq: e.Seq})
		if _, err := m.Append(e.Hash()); err != nil {
			t.Fatal(err)
		}
		if n := m.N; n == 2 || n == 4 {
			root, _ := m.Root(n)
			at := t0.Add(time.Duration(n) * time.Minute)
			signed, err := key.Sign(ledger.Tree{Size: n, Root: root}, at)
			if err != nil {
				t.Fatal(err)
			}
			prev := int64(0)
			if len(f.checkpoints) > 0 {
				prev = f.checkpoints[len(f.checkpoints)-1].Size
			}
			f.checkpoints = append(f.checkpoints, ledger.StoredCheckpoint{Size: n, PrevSize: prev, Root: root[:], Note: signed, CreatedAt: at.Format(ledger.TimeLayout)})
			opts.LastCheckpoint = signed
		}
	}
	for _, h := range m.Hashes {
		f.hashes = append(f.hashes, h[:])
	}
	return f, key, opts
}

func verify(f *fakeSnapshot, opts ledger.Options) (ledger.Report, error) {
	return ledger.Verify(context.Background(), f, opts)
}

func TestVerifyCleanHistory(t *testing.T) {
	f, _, opts := history(t)
	rep, err := verify(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Entries != 5 || rep.Checkpoints != 2 || rep.Latest.Size != 4 || rep.Organizations != 1 || rep.Controls != 1 || rep.Users != 1 {
		t.Fatalf("report = %+v", rep)
	}
}

// TestVerifyNamesTheFirstMismatch changes one thing at a time and checks
// the sentence Verify gives.
func TestVerifyNamesTheFirstMismatch(t *testing.T) {
	cases := []struct {
		name   string
		change func(f *fakeSnapshot, opts *ledger.Options)
		want   string
	}{
		{"changed summary", func(f *fakeSnapshot, _ *ledger.Options) { e := f.activity[4]; e.Summary += "!"; f.activity[4] = e },
			"Activity entry #4 (ledger leaf 1) does not match the hash the ledger holds for it"},
		{"changed time", func(f *fakeSnapshot, _ *ledger.Options) {
			e := f.activity[2]
			e.At = "2026-03-02T09:00:00.000001Z"
			f.activity[2] = e
		},
			"Activity entry #2 (ledger leaf 0) does not match"},
		{"user id 0 for NULL", func(f *fakeSnapshot, _ *ledger.Options) {
			e := f.activity[2]
			e.ActorUserID.Valid = true
			f.activity[2] = e
		},
			"Activity entry #2 (ledger leaf 0) does not match"},
		{"null text for NULL", func(f *fakeSnapshot, _ *ledger.Options) {
			e := f.activity[2]
			e.Before = []byte("null")
			f.activity[2] = e
		},
			"Activity entry #2 (ledger leaf 0) has a before state that Assay does not write"},
		{"invalid JSON", func(f *fakeSnapshot, _ *ledger.Options) { e := f.activity[8]; e.After = e.After[1:]; f.activity[8] = e },
			"Activity entry #8 (ledger leaf 3) has an after state"},
		{"deleted row", func(f *fakeSnapshot, _ *ledger.Options) { delete(f.activity, 6) },
			"Ledger leaf 2 points at activity entry #6, which is not in the database"},
		{"inserted row", func(f *fakeSnapshot, _ *ledger.Options) { f.activity[11] = f.activity[10] },
			"Activity entry #11 is not in the ledger"},
		{"swapped leaves", func(f *fakeSnapshot, _ *ledger.Options) {
			f.leaves[1].Seq, f.leaves[2].Seq = f.leaves[2].Seq, f.leaves[1].Seq
		},
			"Activity entry #6 (ledger leaf 1) does not match"},
		{"missing leaf", func(f *fakeSnapshot, _ *ledger.Options) { f.leaves = append(f.leaves[:2], f.leaves[3:]...) },
			"Ledger leaf 2 is missing"},
		{"changed leaf hash", func(f *fakeSnapshot, _ *ledger.Options) { f.hashes[0] = bytesFlip(f.hashes[0]) },
			"Activity entry #2 (ledger leaf 0) does not match"},
		{"changed inner hash", func(f *fakeSnapshot, _ *ledger.Options) { f.hashes[2] = bytesFlip(f.hashes[2]) },
			"Stored hash 2 of the ledger does not match the tree"},
		{"deleted hash", func(f *fakeSnapshot, _ *ledger.Options) { f.hashes[3] = nil },
			"Stored hash 3 of the ledger is missing"},
		{"extra hash", func(f *fakeSnapshot, _ *ledger.Options) { f.hashes = append(f.hashes, make([]byte, 32)) },
			"stored hashes where its 5 leaves make"},
		{"short hash", func(f *fakeSnapshot, _ *ledger.Options) { f.hashes[1] = f.hashes[1][:31] },
			"Stored hash 1 of the ledger is 31 bytes long"},
		{"unsigned checkpoint", func(f *fakeSnapshot, _ *ledger.Options) {
			f.checkpoints[0].Note = strings.Replace(f.checkpoints[0].Note, "\n2\n", "\n3\n", 1)
		},
			"The checkpoint at size 2 is not signed by the ledger key"},
		{"checkpoint row differs from note", func(f *fakeSnapshot, _ *ledger.Options) { f.checkpoints[1].CreatedAt = "2026-03-02T09:04:00.000001Z" },
			"The checkpoint at size 4 does not say what its signed note says"},
		{"deleted first checkpoint", func(f *fakeSnapshot, _ *ledger.Options) { f.checkpoints = f.checkpoints[1:] },
			"The first checkpoint (size 4) says it follows one at size 2"},
		{"deleted last checkpoint", func(f *fakeSnapshot, _ *ledger.Options) { f.checkpoints = f.checkpoints[:1] },
			"The last checkpoint this installation signed (size 4) is not in the database"},
		{"no copy of the last checkpoint", func(f *fakeSnapshot, o *ledger.Options) { o.LastCheckpoint = "" },
			"The data folder has no copy of the last checkpoint"},
		{"no key", func(f *fakeSnapshot, o *ledger.Options) { o.Verifier = nil },
			"The database has 2 checkpoints but no public key"},
		{"rewritten history", func(f *fakeSnapshot, _ *ledger.Options) {
			// The attacker rebuilds every hash after changing entry #2: only the signatures catch it.
			e := f.activity[2]
			e.Summary = "rewritten"
			f.activity[2] = e
			m := &ledger.MemoryTree{}
			for _, l := range f.leaves {
				e := f.activity[l.Seq]
				e.Index, e.Seq = l.Index, l.Seq
				m.Append(e.Hash())
			}
			f.hashes = nil
			for _, h := range m.Hashes {
				f.hashes = append(f.hashes, h[:])
			}
		}, "The signed checkpoint at size 2 has root"},
		{"changed control", func(f *fakeSnapshot, _ *ledger.Options) {
			f.state.Controls[0].Control.Status = assay.StatusNotApplicable
		},
			`Control AC-01 of organisation 1 has status "not_applicable" in the database but "implemented" in the ledger (entry #8)`},
		{"changed criteria", func(f *fakeSnapshot, _ *ledger.Options) { f.state.Controls[0].Control.Criteria = []string{"CC6.2"} },
			`has criteria "CC6.2" in the database but "CC6.1"`},
		{"inserted control", func(f *fakeSnapshot, _ *ledger.Options) {
			f.state.Controls = append(f.state.Controls, ledger.LiveControl{OrgID: 1, Control: assay.Control{ID: "ZZ-01"}})
		}, "Control ZZ-01 of organisation 1 is not in the ledger"},
		{"deleted control", func(f *fakeSnapshot, _ *ledger.Options) { f.state.Controls = nil },
			"Control AC-01 of organisation 1 is in the ledger (entry #8) but not in the database"},
		{"changed role", func(f *fakeSnapshot, _ *ledger.Options) { f.state.Users[0].Role = assay.RoleViewer },
			`User 1 (ann@example.com) has role "viewer" in the database but "admin"`},
		{"moved user", func(f *fakeSnapshot, _ *ledger.Options) { f.state.Users[0].OrgID = 2 },
			"User 1 (ann@example.com) is not in the ledger for organisation 2"},
		{"changed organisation", func(f *fakeSnapshot, _ *ledger.Options) {
			f.state.Organizations[0].Scope.Categories = []string{"security", "privacy"}
		},
			"Organisation 1 (acme) has scope"},
		{"deleted organisation", func(f *fakeSnapshot, _ *ledger.Options) { f.state.Organizations = nil },
			"Organisation 1 is in the ledger (entry #2) but not in the database"},
		{"evidence without blob", func(f *fakeSnapshot, _ *ledger.Options) {
			f.evidence, f.digests = true, []string{strings.Repeat("ab", 32)}
		},
			"Evidence blob abab"},
		{"evidence digest not hex", func(f *fakeSnapshot, _ *ledger.Options) {
			f.evidence, f.digests = true, []string{strings.Repeat("AB", 32)}
		},
			"which is not a SHA-256 digest"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, _, opts := history(t)
			opts.BlobDir = t.TempDir()
			c.change(f, &opts)
			_, err := verify(f, opts)
			var m *ledger.Mismatch
			if !errors.As(err, &m) {
				t.Fatalf("verify = %v, want a mismatch", err)
			}
			if !strings.Contains(m.Sentence, c.want) {
				t.Fatalf("mismatch = %q\nwant it to contain %q", m.Sentence, c.want)
			}
			if strings.Count(m.Sentence, ". ") > 0 || !strings.HasSuffix(m.Sentence, ".") {
				t.Errorf("not one sentence: %q", m.Sentence)
			}
		})
	}
}

func bytesFlip(b []byte) []byte {
	out := append([]byte(nil), b...)
	out[0] ^= 1
	return out
}

func TestCheckBlobDir(t *testing.T) {
	dir := t.TempDir()
	put := func(content string) string {
		sum := sha256.Sum256([]byte(content))
		name := hex.EncodeToString(sum[:])
		p := filepath.Join(dir, "sha256", name[:2], name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var paths []string
	for i := range 20 {
		paths = append(paths, put(fmt.Sprint("blob ", i)))
	}
	have, err := ledger.CheckBlobDir(context.Background(), dir)
	if err != nil || len(have) != 20 {
		t.Fatalf("clean blobs: %d, %v", len(have), err)
	}
	// A changed byte.
	b, _ := os.ReadFile(paths[7])
	b[2] ^= 0x20
	os.WriteFile(paths[7], b, 0o600)
	_, err = ledger.CheckBlobDir(context.Background(), dir)
	var m *ledger.Mismatch
	if !errors.As(err, &m) || !strings.Contains(m.Sentence, filepath.Base(paths[7])) || !strings.Contains(m.Sentence, "does not match its name") {
		t.Fatalf("changed blob: %v", err)
	}
	os.WriteFile(paths[7], []byte("blob 7"), 0o600)
	// A file where no blob belongs.
	os.WriteFile(filepath.Join(dir, "sha256", "stray.txt"), []byte("x"), 0o600)
	if _, err := ledger.CheckBlobDir(context.Background(), dir); !errors.As(err, &m) || !strings.Contains(m.Sentence, "is not a blob") {
		t.Fatalf("stray file: %v", err)
	}
	// No blob folder at all is no blobs.
	if have, err := ledger.CheckBlobDir(context.Background(), filepath.Join(dir, "none")); err != nil || len(have) != 0 {
		t.Fatalf("no folder: %v %v", have, err)
	}
}
