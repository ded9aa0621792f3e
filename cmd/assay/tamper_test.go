package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
)

// The tamper campaign: build a ledger of a few hundred entries, then make
// one random change at a time to a fresh copy of the data folder (a byte of
// a blob; a changed, deleted, inserted or swapped row in the activity
// trail, the ledger's tables, or the tables whose changes the ledger
// records), as an attacker with the files would, dropping the append-only
// triggers where they are in the way. `assay verify` must name every one.
//
//	ASSAY_TAMPER_MUTATIONS=1000 go test -run TestTamperCampaign -v ./cmd/assay/   # the full campaign
//	ASSAY_TAMPER_SEED=42 ...                                                      # replay a seed
func TestTamperCampaign(t *testing.T) {
	t.Parallel()
	n := 100
	if v := os.Getenv("ASSAY_TAMPER_MUTATIONS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			t.Fatalf("ASSAY_TAMPER_MUTATIONS: %v", err)
		}
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("ASSAY_TAMPER_SEED"); v != "" {
		var err error
		if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("ASSAY_TAMPER_SEED: %v", err)
		}
	}
	t.Logf("tamper campaign: %d mutations, seed %d (replay with ASSAY_TAMPER_SEED=%d)", n, seed, seed)
	base := buildTamperBase(t, seed)
	rep := runCampaign(t, base, seed, n)
	t.Logf("detected %d of %d mutations (seed %d); by kind:\n%s", rep.detected, n, seed, rep.summary())
	if rep.detected != n {
		t.Fatalf("%d of %d mutations went undetected (seed %d)", n-rep.detected, n, seed)
	}
}

// buildTamperBase writes a data folder with a few hundred ledger entries,
// checkpoints along the way, and some blobs; it verifies clean.
func buildTamperBase(t testing.TB, seed uint64) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	clock := &assay.FixedClock{T: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	m := NewMain(Config{DataDir: dir, Clock: clock, PasswordParams: fastParams, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := m.OpenStore(ctx); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 0))
	sys := assay.Actor{Name: "campaign", Via: "system"}
	ids := []string{}
	for _, c := range m.Catalog.LibraryControls() {
		ids = append(ids, c.ID)
	}
	var orgs []int64
	users := map[int64][]assay.User{}
	step := func() { clock.Advance(time.Duration(1+r.IntN(90)) * time.Second) }
	checkpoint := func() {
		if _, _, err := m.IssueCheckpoint(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"Acme", "Bravo"} {
		org, err := m.Store.CreateOrganization(ctx, sys, name, assay.Slugify(name), assay.Scope{}, m.Catalog.LibraryControls())
		if err != nil {
			t.Fatal(err)
		}
		orgs = append(orgs, org.ID)
		os := m.Store.Org(org.ID)
		for _, role := range []assay.Role{assay.RoleAdmin, assay.RoleAdmin, assay.RoleMember, assay.RoleMember, assay.RoleAuditor, assay.RoleViewer} {
			step()
			email := fmt.Sprintf("%s-%d@%s.example", role, len(users[org.ID]), org.Slug)
			u, err := os.CreateUser(ctx, sys, assay.NewUser{Email: email, Name: "Person " + email, Role: role, Password: "long enough password"}, "hash-"+email)
			if err != nil {
				t.Fatal(err)
			}
			users[org.ID] = append(users[org.ID], u)
		}
		us := users[org.ID]
		must := func(_ any, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(os.UpdateUserRole(ctx, sys, us[5].ID, assay.RoleAuditor))
		must(os.SetUserDisabled(ctx, sys, us[3].ID, true))
		must(nil, os.RecordLogin(ctx, us[0].ID, "web"))
		tok, err := os.CreateAPIToken(ctx, sys, assay.APIToken{UserID: us[0].ID, Name: "ci", Prefix: "assay_pat_ci" + org.Slug}, "token-1-"+org.Slug)
		must(tok, err)
		exp := clock.Now().Add(90 * 24 * time.Hour)
		must(os.CreateAPIToken(ctx, sys, assay.APIToken{UserID: us[2].ID, Name: "laptop", Prefix: "assay_pat_lt" + org.Slug, ExpiresAt: &exp}, "token-2-"+org.Slug))
		must(nil, os.RevokeAPIToken(ctx, sys, tok.ID))
		must(os.UpdateScope(ctx, sys, assay.Scope{Categories: []string{"availability"}}))
		must(os.UpdateSystemDescription(ctx, sys, assay.SystemDescription{Services: "Payroll for " + name, Subservices: []assay.SubserviceOrg{}}))
		checkpoint()
	}
	statuses := []assay.ControlStatus{assay.StatusNotStarted, assay.StatusInProgress, assay.StatusImplemented, assay.StatusNotApplicable}
	for i := range 260 {
		step()
		org := orgs[r.IntN(len(orgs))]
		us := users[org]
		actor := assay.ActorFor(us[r.IntN(2)], "api")
		var p assay.ControlPatch
		switch r.IntN(4) {
		case 0:
			s := statuses[r.IntN(len(statuses))]
			p.Status = &s
			if s == assay.StatusNotApplicable {
				j := fmt.Sprint("Not relevant here, reason ", i)
				p.Justification = &j
			}
		case 1:
			owner := us[[]int{0, 1, 2}[r.IntN(3)]].ID
			p.OwnerID = &owner
		case 2:
			crit := []string{"CC6.1", "CC7.2"}[:1+r.IntN(2)]
			p.Criteria = &crit
		default:
			notes := fmt.Sprintf("Reviewed on round %d; \"quoted\" and ünïcode", i)
			p.Notes = &notes
		}
		if _, err := m.Store.Org(org).UpdateControl(ctx, actor, ids[r.IntN(len(ids))], p); err != nil {
			t.Fatal(err)
		}
		if i%40 == 39 {
			checkpoint()
		}
	}
	checkpoint()
	// Blobs, as evidence storage keeps them.
	for range 6 {
		content := make([]byte, 512+r.IntN(4096))
		for j := range content {
			content[j] = byte(r.UintN(256))
		}
		sum := sha256.Sum256(content)
		name := hex.EncodeToString(sum[:])
		p := filepath.Join(dir, "blobs", "sha256", name[:2], name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, content, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	rep, _, err := verifyData(ctx, &globals{data: dir}, "")
	if err != nil {
		t.Fatalf("the untouched data folder does not verify: %v", err)
	}
	t.Logf("base: %d entries, %d checkpoints, %d controls, %d users, %d blobs", rep.Entries, rep.Checkpoints, rep.Controls, rep.Users, rep.Blobs)
	return dir
}

type campaignReport struct {
	detected int
	byKind   map[string][2]int // kind -> detected, tried
	messages map[string]int    // first words of the sentences
}

func (r campaignReport) summary() string {
	var kinds []string
	for k := range r.byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var b strings.Builder
	for _, k := range kinds {
		fmt.Fprintf(&b, "  %-34s %d/%d\n", k, r.byKind[k][0], r.byKind[k][1])
	}
	return b.String()
}

// runCampaign applies n mutations, each to a fresh copy of base, in
// parallel, and verifies each copy.
func runCampaign(t testing.TB, base string, seed uint64, n int) campaignReport {
	t.Helper()
	rep := campaignReport{byKind: map[string][2]int{}, messages: map[string]int{}}
	var mu sync.Mutex
	work := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				kind, desc, err := mutateAndVerify(t, base, seed, i)
				mu.Lock()
				c := rep.byKind[kind]
				c[1]++
				var mm *ledger.Mismatch
				if errors.As(err, &mm) {
					c[0]++
					rep.detected++
					if testing.Verbose() && os.Getenv("ASSAY_TAMPER_SHOW") != "" {
						t.Logf("%4d %s\n     → %s", i, desc, mm.Sentence)
					}
				} else {
					t.Errorf("mutation %d (seed %d) was not detected: %s\n  verify said: %v", i, seed, desc, err)
				}
				rep.byKind[kind] = c
				mu.Unlock()
			}
		}()
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	return rep
}

// mutateAndVerify copies base, makes mutation i, and runs verify on the copy.
func mutateAndVerify(t testing.TB, base string, seed uint64, i int) (kind, desc string, err error) {
	dir, err := os.MkdirTemp("", "assay-tamper-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := copyDir(base, dir); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, uint64(i)+1))
	kind, desc, err = mutate(r, dir)
	if err != nil {
		t.Fatalf("mutation %d (seed %d, %s): %v", i, seed, desc, err)
	}
	_, _, err = verifyData(context.Background(), &globals{data: dir}, "")
	return kind, desc, err
}

func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o700)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}
