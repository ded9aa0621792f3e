package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/clocktest"
	"github.com/assay-platform/assay/ledger"
)

// TestLedgerEndToEnd runs the real program: changes through the API, a
// signed checkpoint, the ledger API for each role and organisation, the
// Activity page, the CLI, `assay verify` on the live data, and verify
// again after a row is changed behind Assay's back.
func TestLedgerEndToEnd(t *testing.T) {
	t.Parallel()
	runBoth(t, func(t *testing.T, m *testMain) {
		ctx := context.Background()
		orgID, admin := m.orgWithAdmin(t, "Acme")
		auditor := m.userToken(t, orgID, "audrey@acme.example", assay.RoleAuditor)
		member := m.userToken(t, orgID, "mo@acme.example", assay.RoleMember)
		viewer := m.userToken(t, orgID, "vi@acme.example", assay.RoleViewer)
		otherID, other := m.orgWithAdmin(t, "Bravo")
		for i, id := range []string{"ACC-01", "ACC-02", "ACC-01"} {
			if code := m.call(t, admin, "PATCH", "/api/v1/controls/"+id, fmt.Sprintf(`{"notes":"round %d"}`, i), nil); code != 200 {
				t.Fatalf("patch %s: %d", id, code)
			}
		}

		cp, _, err := m.IssueCheckpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tree, err := m.Store.LedgerTree(ctx)
		if err != nil || cp.Size != tree.Size || cp.Root != tree.Root {
			t.Fatalf("checkpoint %d %s, tree %+v %v", cp.Size, cp.Root, tree, err)
		}
		if saved, _ := ledger.ReadLastCheckpoint(m.Config.DataDir); saved != cp.Note {
			t.Fatalf("the data folder's copy of the last checkpoint = %q", saved)
		}

		// The latest checkpoint and the key that checks it.
		var got struct {
			Checkpoint *ledger.Checkpoint `json:"checkpoint"`
			PublicKey  string             `json:"public_key"`
			Origin     string             `json:"origin"`
		}
		if code := m.call(t, auditor, "GET", "/api/v1/ledger/checkpoint", "", &got); code != 200 || got.Checkpoint == nil {
			t.Fatalf("checkpoint: %d %+v", code, got)
		}
		v, err := ledger.NewVerifier(got.PublicKey)
		if err != nil || got.PublicKey != m.Ledger.VerifierKey || got.Origin != v.Name() {
			t.Fatalf("public key %q (%v)", got.PublicKey, err)
		}
		signed, _, err := ledger.OpenCheckpoint(got.Checkpoint.Note, v)
		if err != nil || signed != tree {
			t.Fatalf("signed checkpoint = %+v, %v; want %+v", signed, err, tree)
		}
		// The ledger is read like the activity trail (assay.ActionReadActivity).
		for tok, want := range map[string]int{admin: 200, member: 200, viewer: 403, "": 401} {
			if code := m.call(t, tok, "GET", "/api/v1/ledger/checkpoint", "", nil); code != want {
				t.Errorf("checkpoint as %q: %d, want %d", tok, code, want)
			}
		}

		// Inclusion proofs of the organisation's own entries, against the signed root.
		var act struct {
			Activity []assay.Activity `json:"activity"`
		}
		m.call(t, admin, "GET", "/api/v1/activity?limit=1000", "", &act)
		for _, a := range act.Activity {
			var p ledger.Inclusion
			if code := m.call(t, auditor, "GET", fmt.Sprintf("/api/v1/ledger/entries/%d/proof", a.Seq), "", &p); code != 200 {
				t.Fatalf("proof of #%d: %d", a.Seq, code)
			}
			if err := p.Check(); err != nil || p.Seq != a.Seq || p.TreeSize != cp.Size || p.Root != signed.Root || p.Checkpoint == nil {
				t.Fatalf("proof of #%d = %+v (%v)", a.Seq, p, err)
			}
			// The API indents before and after; the leaf holds them as stored.
			a.Before, a.After = compact(t, a.Before), compact(t, a.After)
			if p.Leaf != string(ledger.EntryFromActivity(p.Index, a).Leaf()) {
				t.Fatalf("proof of #%d: leaf %s is not the entry the API returns", a.Seq, p.Leaf)
			}
		}
		first := act.Activity[len(act.Activity)-1]
		var p ledger.Inclusion
		if code := m.call(t, admin, "GET", fmt.Sprintf("/api/v1/ledger/entries/%d/proof?size=%d", first.Seq, cp.Size-1), "", &p); code != 200 || p.TreeSize != cp.Size-1 || p.Check() != nil || p.Checkpoint != nil {
			t.Fatalf("proof at an earlier size: %d %+v", code, p)
		}
		var bravo struct {
			Activity []assay.Activity `json:"activity"`
		}
		m.call(t, other, "GET", "/api/v1/activity", "", &bravo)
		var e apiErr
		for path, want := range map[string]int{
			fmt.Sprintf("/api/v1/ledger/entries/%d/proof", bravo.Activity[0].Seq):                  404, // another organisation's entry
			"/api/v1/ledger/entries/999999/proof":                                                  404,
			"/api/v1/ledger/entries/abc/proof":                                                     400,
			fmt.Sprintf("/api/v1/ledger/entries/%d/proof?size=0", first.Seq):                       400,
			fmt.Sprintf("/api/v1/ledger/entries/%d/proof?size=%d", first.Seq, cp.Size+100):         400,
			fmt.Sprintf("/api/v1/ledger/entries/%d/proof?size=%d", act.Activity[0].Seq, 1):         400, // not in that tree
			"/api/v1/ledger/consistency":                                                           400,
			"/api/v1/ledger/consistency?from=x":                                                    400,
			fmt.Sprintf("/api/v1/ledger/consistency?from=%d&to=%d", cp.Size, cp.Size-1):            400,
			fmt.Sprintf("/api/v1/ledger/consistency?from=1&to=%d", cp.Size+100):                    400,
			fmt.Sprintf("/api/v1/ledger/entries/%d/proof?size=%d", bravo.Activity[0].Seq, 1000000): 404,
		} {
			e = apiErr{}
			if code := m.call(t, admin, "GET", path, "", &e); code != want || e.Error.Message == "" {
				t.Errorf("GET %s: %d %+v, want %d", path, code, e, want)
			}
		}
		if code := m.call(t, viewer, "GET", fmt.Sprintf("/api/v1/ledger/entries/%d/proof", first.Seq), "", nil); code != 403 {
			t.Errorf("viewer proof: %d", code)
		}
		// Another organisation proves its own entries.
		if code := m.call(t, other, "GET", fmt.Sprintf("/api/v1/ledger/entries/%d/proof", bravo.Activity[0].Seq), "", &p); code != 200 || p.Check() != nil {
			t.Fatalf("Bravo's own proof: %d", code)
		}
		_ = otherID

		// Consistency between an earlier tree and the checkpoint.
		var c ledger.Consistency
		if code := m.call(t, auditor, "GET", "/api/v1/ledger/consistency?from=3", "", &c); code != 200 || c.Check() != nil || c.To != cp.Size || c.ToRoot != signed.Root {
			t.Fatalf("consistency: %d %+v", code, c)
		}

		// The Activity page shows the key and the checkpoint.
		browser := newBrowserClient(t)
		if resp, _ := post(t, browser, m.URL()+"/login", url.Values{"email": {"audrey@acme.example"}, "password": {"long enough password"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in: %d", resp.StatusCode)
		}
		code, page := get(t, browser, m.URL()+"/activity")
		page = html.UnescapeString(page)
		if code != 200 || !strings.Contains(page, m.Ledger.VerifierKey) || !strings.Contains(page, fmt.Sprintf("%d entries, signed", cp.Size)) {
			t.Fatalf("activity page: %d\n%s", code, page)
		}

		// The CLI, on the same data.
		args := []string{"--data", m.Config.DataDir}
		if m.Config.DBURL != "" {
			args = append(args, "--db", m.Config.DBURL)
		}
		out, err := runCLI(t, "", append(args, "ledger", "key")...)
		if err != nil || strings.TrimSpace(out) != m.Ledger.VerifierKey {
			t.Fatalf("ledger key: %v %q", err, out)
		}
		out, err = runCLI(t, "", append(args, "ledger", "proof", "--seq", fmt.Sprint(first.Seq))...)
		if err != nil || !strings.Contains(out, fmt.Sprintf("Activity entry #%d is leaf", first.Seq)) || !strings.Contains(out, "— "+v.Name()) {
			t.Fatalf("ledger proof: %v\n%s", err, out)
		}
		out, err = runCLI(t, "", append(args, "verify")...)
		if err != nil || !strings.Contains(out, "Everything matches") || !strings.Contains(out, fmt.Sprintf("%d entries", tree.Size)) {
			t.Fatalf("verify: %v\n%s", err, out)
		}

		// A row changed behind Assay's back: verify names it.
		raw := rawDB(t, m)
		target := act.Activity[1].Seq
		for _, q := range dropTrigger(m, "activity_no_update", "activity") {
			if _, err := raw.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := raw.Exec(fmt.Sprintf(`UPDATE activity SET summary = 'nothing to see here' WHERE seq = %d`, target)); err != nil {
			t.Fatal(err)
		}
		out, err = runCLI(t, "", append(args, "verify")...)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("Activity entry #%d ", target)) {
			t.Fatalf("verify after tampering: %v\n%s", err, out)
		}
		// And the store no longer hands out a proof for it.
		if code := m.call(t, admin, "GET", fmt.Sprintf("/api/v1/ledger/entries/%d/proof", target), "", nil); code != 500 {
			t.Fatalf("proof of a changed entry: %d, want 500", code)
		}
	})
}

func rawDB(t *testing.T, m *testMain) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite", "file:"+filepath.Join(m.Config.DataDir, "assay.db")+"?_pragma=busy_timeout(10000)"
	if m.Config.DBURL != "" {
		driver, dsn = "pgx", m.Config.DBURL
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func dropTrigger(m *testMain, name, table string) []string {
	if m.Config.DBURL != "" {
		return []string{`DROP TRIGGER ` + name + ` ON ` + table}
	}
	return []string{`DROP TRIGGER ` + name}
}

// TestCheckpointLoop drives the server's checkpoint loop with a tick
// channel: no sleeping.
func TestCheckpointLoop(t *testing.T) {
	t.Parallel()
	// The store alone, not Run: only this loop signs.
	m := &testMain{Main: NewMain(Config{Clock: clocktest.Clock(), DataDir: t.TempDir(), PasswordParams: fastParams, Logger: testLogger(t)})}
	if err := m.OpenStore(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	tick := make(chan time.Time)
	rounds := make(chan struct{})
	done := make(chan struct{})
	go func() { defer close(done); m.checkpointLoop(ctx, tick, func() { rounds <- struct{}{} }) }()
	round := func() { tick <- time.Time{}; <-rounds } // one whole round, then the loop waits
	<-rounds                                          // the round it runs at start: an empty ledger, nothing to sign
	if _, err := m.Store.LatestCheckpoint(ctx); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("checkpoint of an empty ledger: %v", err)
	}

	m.orgWithAdmin(t, "Acme")
	round()
	first, err := m.Store.LatestCheckpoint(ctx)
	tree, _ := m.Store.LedgerTree(ctx)
	if err != nil || first.Size != tree.Size || first.Root != tree.Root {
		t.Fatalf("after a tick: checkpoint %+v (%v), tree %+v", first, err, tree)
	}
	// No new entries: no new checkpoint.
	round()
	if cps, _ := m.Store.Checkpoints(ctx, 0, 10); len(cps) != 1 {
		t.Fatalf("%d checkpoints without new entries, want 1", len(cps))
	}
	m.orgWithAdmin(t, "Bravo")
	round()
	second, _ := m.Store.LatestCheckpoint(ctx)
	if second.Size <= first.Size || second.PrevSize != first.Size {
		t.Fatalf("second checkpoint = %+v after %+v", second, first)
	}
	cancel()
	<-done
	if saved, _ := ledger.ReadLastCheckpoint(m.Config.DataDir); saved != second.Note {
		t.Fatal("the data folder's copy is not the last checkpoint")
	}
	if _, _, err := verifyData(context.Background(), &globals{data: m.Config.DataDir}, ""); err != nil {
		t.Fatalf("verify: %v", err)
	}
}

func compact(t *testing.T, raw json.RawMessage) json.RawMessage {
	t.Helper()
	if raw == nil {
		return nil
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
