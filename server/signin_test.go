package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
)

// After signing in, the browser goes to next only when next is a path on
// this host; a tab (or any control character) cannot turn it into another
// host.
func TestSignInRedirectStaysOnThisHost(t *testing.T) {
	s := newSite(t)
	for next, want := range map[string]string{
		"/%09/evil.example":                    "/",
		"/\t/evil.example":                     "/",
		"/%2f%2fevil.example":                  "/",
		"/\\evil.example":                      "/",
		"https://evil.example/":                "/",
		"javascript:alert(1)":                  "/",
		"/evidence?control=AC-01&status=fresh": "/evidence?control=AC-01&status=fresh",
		"/activity?actor=dana%40example.com":   "/activity?actor=dana%40example.com",
	} {
		code, _, loc := s.post("/login", url.Values{"email": {adminEmail}, "password": {adminPassword}, "next": {next}})
		if code != http.StatusSeeOther || loc != want {
			t.Errorf("sign in with next %q: %d to %q, want %q", next, code, loc, want)
		}
	}
}

// gate is a server over a real SQLite store whose clock the test moves,
// reached with requests from any client address.
type gate struct {
	t     *testing.T
	srv   *Server
	clock *assay.FixedClock
	db    *sqlstore.DB
	org   store.OrgStore
	admin assay.User
}

func newGate(t *testing.T, cfg Config) *gate {
	t.Helper()
	ctx := context.Background()
	cat := catalog.MustDefault()
	clock := &assay.FixedClock{T: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "assay.db"), sqlstore.Config{Clock: clock, Criteria: cat.DomainCriteria()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	cfg.Store, cfg.Criteria, cfg.Clock, cfg.NewOrgControls, cfg.PasswordParams = db, cat.DomainCriteria(), clock, cat.LibraryControls, fastParams
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sys := assay.Actor{Name: "test", Via: "system"}
	org, err := db.CreateOrganization(ctx, sys, "Northwind Ledger", "northwind", assay.Scope{}, cat.LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword(adminPassword, fastParams)
	if err != nil {
		t.Fatal(err)
	}
	os := db.Org(org.ID)
	admin, err := os.CreateUser(ctx, sys, assay.NewUser{Email: adminEmail, Name: "Dana Reyes", Role: assay.RoleAdmin, Password: adminPassword}, hash)
	if err != nil {
		t.Fatal(err)
	}
	return &gate{t: t, srv: srv, clock: clock, db: db, org: os, admin: admin}
}

// signIn posts the sign-in form from remote (with X-Forwarded-For hops,
// if any) and returns the status and Retry-After.
func (g *gate) signIn(remote, password string, xff ...string) (int, string) {
	g.t.Helper()
	form := url.Values{"email": {adminEmail}, "password": {password}}
	r := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = remote + ":40000"
	for _, h := range xff {
		r.Header.Add("X-Forwarded-For", h)
	}
	w := httptest.NewRecorder()
	g.srv.ServeHTTP(w, r)
	return w.Code, w.Header().Get("Retry-After")
}

func (g *gate) want(remote, password string, code int, retryAfter string, xff ...string) {
	g.t.Helper()
	if got, ra := g.signIn(remote, password, xff...); got != code || ra != retryAfter {
		g.t.Fatalf("sign in from %s %v: %d (Retry-After %q), want %d (%q)", remote, xff, got, ra, code, retryAfter)
	}
}

func (g *gate) activity(action string) []assay.Activity {
	g.t.Helper()
	acts, err := g.org.Activity(context.Background(), assay.ActivityFilter{Action: action})
	if err != nil {
		g.t.Fatal(err)
	}
	return acts
}

const (
	attacker = "203.0.113.9"
	owner    = "198.51.100.7"
)

// Guessing from one address slows that address down, exponentially, and
// never keeps the owner out from theirs.
func TestSignInThrottleSlowsTheGuesserNotTheOwner(t *testing.T) {
	g := newGate(t, Config{})
	for range 5 {
		g.want(attacker, "wrong password guess", http.StatusUnauthorized, "")
	}
	// The sixth try waits a second, whatever the password.
	g.want(attacker, adminPassword, http.StatusTooManyRequests, "1")
	// The owner, from elsewhere, is not slowed.
	g.want(owner, adminPassword, http.StatusSeeOther, "")
	// Each failure doubles the wait: 1s, 2s, 4s, … Thirty guesses in all
	// take the guesser hours, and the owner still signs in at once.
	wait := time.Second
	for i := range 25 {
		g.clock.Advance(wait)
		g.want(attacker, "wrong password guess", http.StatusUnauthorized, "")
		wait = min(2*wait, 15*time.Minute)
		if i < 3 {
			g.want(attacker, "wrong password guess", http.StatusTooManyRequests, strconv.Itoa(int(wait.Seconds())))
		}
	}
	g.want(owner, adminPassword, http.StatusSeeOther, "")
	g.want(attacker, adminPassword, http.StatusTooManyRequests, "900")
	// Once the wait is over, the right password from there works and
	// clears the pair's failures.
	g.clock.Advance(15 * time.Minute)
	g.want(attacker, adminPassword, http.StatusSeeOther, "")
	g.want(attacker, "wrong password guess", http.StatusUnauthorized, "")
	g.want(attacker, adminPassword, http.StatusSeeOther, "")

	// The trail has each failure, the refusals once per failure, and the
	// sign-ins, with addresses; the password appears nowhere.
	failed := g.activity(assay.EventSignInFailed)
	if len(failed) != 31 || failed[0].Actor.Name != "unknown from "+attacker || !strings.Contains(failed[0].Summary, attacker) {
		t.Fatalf("%d failed sign-ins recorded; latest %+v", len(failed), failed[0])
	}
	if throttled := g.activity(assay.EventSignInThrottled); len(throttled) != 5 {
		t.Fatalf("%d throttled sign-ins recorded, want one per failure refused (5)", len(throttled))
	}
	signedIn := g.activity(assay.EventSignIn)
	if len(signedIn) != 4 || !strings.Contains(signedIn[len(signedIn)-1].Summary, "from "+owner) {
		t.Fatalf("sign-ins recorded: %+v", signedIn)
	}
	all, _ := g.org.Activity(context.Background(), assay.ActivityFilter{})
	for _, a := range all {
		if strings.Contains(a.Summary+string(a.After), "wrong password guess") || strings.Contains(a.Summary+string(a.After), adminPassword) {
			t.Fatalf("a password in the trail: %+v", a)
		}
	}
}

// Behind a proxy every client shares its address: only a trusted proxy's
// X-Forwarded-For tells them apart, and nobody else's is believed.
func TestSignInThrottleBehindAProxy(t *testing.T) {
	proxies, err := httpkit.ParseTrustedProxies("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	g := newGate(t, Config{TrustedProxies: proxies})
	for range 5 {
		g.want("10.0.0.2", "wrong password guess", http.StatusUnauthorized, "", attacker)
	}
	g.want("10.0.0.2", adminPassword, http.StatusTooManyRequests, "1", attacker)
	g.want("10.0.0.2", adminPassword, http.StatusSeeOther, "", owner)
	// A client that writes its own header is not believed: every made-up
	// address still counts against its own.
	const direct = "198.51.100.200" // not a proxy
	for i := range 5 {
		g.want(direct, "wrong password guess", http.StatusUnauthorized, "", "192.0.2."+strconv.Itoa(i+1))
	}
	g.want(direct, adminPassword, http.StatusTooManyRequests, "1", "192.0.2.99")
}

// Across all pairs, a ceiling on failures a minute: past it, only pairs
// that signed in before may try until the minute ends.
func TestSignInGlobalCeiling(t *testing.T) {
	policy := assay.DefaultSignInPolicy
	policy.GlobalPerMinute = 4
	g := newGate(t, Config{SignInPolicy: policy})
	g.want(owner, adminPassword, http.StatusSeeOther, "") // the owner's pair is known
	for i := range 4 {
		g.want("192.0.2."+strconv.Itoa(i+1), "wrong password guess", http.StatusUnauthorized, "")
	}
	g.want("192.0.2.50", adminPassword, http.StatusTooManyRequests, "60")
	g.want(owner, adminPassword, http.StatusSeeOther, "")
	g.clock.Advance(time.Minute)
	g.want("192.0.2.50", adminPassword, http.StatusSeeOther, "")
	// A refusal by the ceiling of a pair that has not failed is logged, not
	// written to the trail: a flood from many addresses must not flood the
	// ledger.
	if n := len(g.activity(assay.EventSignInThrottled)); n != 0 {
		t.Fatalf("%d throttled entries", n)
	}
}

// An API token used from an address it was not last used from shows in
// the trail.
func TestAPITokenFromANewAddress(t *testing.T) {
	g := newGate(t, Config{})
	secret := auth.NewToken(auth.PrefixAPIToken)
	if _, err := g.org.CreateAPIToken(context.Background(), assay.ActorFor(g.admin, "web"),
		assay.APIToken{UserID: g.admin.ID, Name: "ci", Prefix: secret[:len(auth.PrefixAPIToken)+4]}, auth.HashToken(secret)); err != nil {
		t.Fatal(err)
	}
	call := func(remote string) {
		t.Helper()
		r := httptest.NewRequest(http.MethodGet, "/api/v1/controls", nil)
		r.RemoteAddr = remote + ":50000"
		r.Header.Set("Authorization", "Bearer "+secret)
		w := httptest.NewRecorder()
		g.srv.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("API call from %s: %d %s", remote, w.Code, w.Body)
		}
	}
	call(owner)
	call(owner)
	call(attacker)
	acts := g.activity(assay.EventTokenNewAddress)
	if len(acts) != 1 || !strings.Contains(acts[0].Summary, attacker) || !strings.Contains(acts[0].Summary, "last used from "+owner) {
		t.Fatalf("token address entries: %+v", acts)
	}
}

// Two servers of one database share the counts: moving to the other
// instance behind a load balancer does not start the guesser afresh.
func TestSignInThrottleSharedAcrossInstances(t *testing.T) {
	g := newGate(t, Config{})
	cat := catalog.MustDefault()
	second, err := New(Config{Store: g.db, Criteria: cat.DomainCriteria(), Clock: g.clock, NewOrgControls: cat.LibraryControls, PasswordParams: fastParams})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		g.want(attacker, "wrong password guess", http.StatusUnauthorized, "")
	}
	first := g.srv
	g.srv = second
	g.want(attacker, adminPassword, http.StatusTooManyRequests, "1")
	g.want(owner, adminPassword, http.StatusSeeOther, "")
	g.srv = first
	g.want(attacker, adminPassword, http.StatusTooManyRequests, "1")
}
