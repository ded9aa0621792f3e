package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/internal/clocktest"
	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
)

// benchServer is a server over SQLite with the default library adopted and
// a signed-in admin's session cookie.
func benchServer(b *testing.B) (*Server, *http.Cookie) {
	b.Helper()
	ctx := context.Background()
	cat := catalog.MustDefault()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "assay.db"), sqlstore.Config{Criteria: cat.DomainCriteria()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	srv, err := New(Config{Store: db, Criteria: cat.DomainCriteria(), NewOrgControls: cat.LibraryControls, PasswordParams: fastParams})
	if err != nil {
		b.Fatal(err)
	}
	org, err := db.CreateOrganization(ctx, assay.SystemActor, "Bench", "bench", assay.Scope{Categories: assay.Categories}, cat.LibraryControls())
	if err != nil {
		b.Fatal(err)
	}
	u, err := db.Org(org.ID).CreateUser(ctx, assay.SystemActor, assay.NewUser{Email: "a@bench.example", Name: "A", Role: assay.RoleAdmin, Password: "long enough password"}, "x")
	if err != nil {
		b.Fatal(err)
	}
	secret := auth.NewToken(auth.PrefixSession)
	now := clocktest.Now()
	if err := db.CreateSession(ctx, auth.HashToken(secret), assay.Session{UserID: u.ID, OrgID: org.ID, CSRFToken: "c", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		b.Fatal(err)
	}
	return srv, &http.Cookie{Name: "assay_session", Value: secret}
}

func benchPage(b *testing.B, path string, header ...string) {
	srv, cookie := benchServer(b)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(cookie)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%s: %d", path, rec.Code)
		}
	}
}

func BenchmarkControlsPage(b *testing.B) { benchPage(b, "/controls") }
func BenchmarkControlsSearchHTMX(b *testing.B) {
	benchPage(b, "/controls?q=access", "HX-Request", "true")
}
func BenchmarkDashboardPage(b *testing.B) { benchPage(b, "/") }
