package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// The trust center's administration through the API: admins only; bad
// settings change nothing; a visitor's request is approved.
func TestAPITrustAdministration(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, true)
	orgs, err := m.Store.Organizations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	admin := m.userToken(t, orgs[0].ID, "ops@northwind.example", assay.RoleAdmin)
	member := m.userToken(t, orgs[0].ID, "dev@northwind.example", assay.RoleMember)
	var settings assay.TrustSettings
	if code := m.call(t, admin, "GET", "/api/v1/trust/settings", "", &settings); code != 200 || !settings.Enabled {
		t.Fatalf("settings: %d %+v", code, settings)
	}
	if code := m.call(t, member, "GET", "/api/v1/trust/settings", "", nil); code != 403 {
		t.Fatalf("member reads the settings: %d", code)
	}
	if code := m.call(t, admin, "PUT", "/api/v1/trust/settings", `{"enabled":true,"company_name":"Northwind","tiles":["nope"]}`, nil); code != 400 {
		t.Fatalf("unknown tile: %d", code)
	}
	var after assay.TrustSettings
	m.call(t, admin, "GET", "/api/v1/trust/settings", "", &after)
	if len(after.Tiles) != len(settings.Tiles) {
		t.Fatal("refused settings changed the tiles")
	}
	// A logo: a PNG by its content shows on the page; an SVG calling
	// itself a PNG is refused.
	png := "\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 40)
	withLogo := after
	withLogo.Logo = "data:image/png;base64," + base64.StdEncoding.EncodeToString([]byte(png))
	body, _ := json.Marshal(withLogo)
	if code := m.call(t, admin, "PUT", "/api/v1/trust/settings", string(body), nil); code != 200 {
		t.Fatalf("logo: %d", code)
	}
	if code, page := publicGet(t, m.URL()+"/trust"); code != 200 || !strings.Contains(page, `class="trust-logo" src="data:image/png;base64,`) {
		t.Fatalf("the logo is not on /trust (%d)", code)
	}
	withLogo.Logo = "data:image/png;base64," + base64.StdEncoding.EncodeToString([]byte("<svg onload=alert(1)>"))
	body, _ = json.Marshal(withLogo)
	if code := m.call(t, admin, "PUT", "/api/v1/trust/settings", string(body), nil); code != 400 {
		t.Fatalf("an SVG posing as a PNG: %d", code)
	}
	var docs struct {
		Documents []assay.TrustDocument `json:"documents"`
	}
	if code := m.call(t, admin, "GET", "/api/v1/trust/documents", "", &docs); code != 200 || len(docs.Documents) != 1 {
		t.Fatalf("documents: %d %+v", code, docs)
	}
	v, err := m.App.RequestTrustDocument(context.Background(), assay.NewTrustAccessRequest{DocumentID: docs.Documents[0].ID, Name: "Ann",
		Email: "ann@buyer.example", Company: "Buyer", AcceptNDA: true, ClientAddr: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	var pending struct {
		Requests []assay.TrustAccessRequest `json:"requests"`
	}
	if code := m.call(t, admin, "GET", "/api/v1/trust/requests?status=pending", "", &pending); code != 200 || len(pending.Requests) != 1 {
		t.Fatalf("pending: %d %+v", code, pending)
	}
	path := fmt.Sprintf("/api/v1/trust/requests/%d/decision", v.Request.ID)
	if code := m.call(t, member, "POST", path, `{"decision":"approve"}`, nil); code != 403 {
		t.Fatalf("member approves: %d", code)
	}
	var decided assay.TrustAccessRequest
	if code := m.call(t, admin, "POST", path, `{"decision":"approve"}`, &decided); code != 200 || decided.Status != assay.TrustRequestApproved || decided.ExpiresAt == nil {
		t.Fatalf("approve: %d %+v", code, decided)
	}
	if code := m.call(t, admin, "POST", path, `{"decision":"deny"}`, nil); code != 409 {
		t.Fatalf("decided twice: %d", code)
	}
	out, err := runCLI(t, "", "--data", m.Config.DataDir, "trust", "requests")
	if err != nil || !strings.Contains(out, "ann@buyer.example") || !strings.Contains(out, "approved") {
		t.Fatalf("assay trust requests: %v\n%s", err, out)
	}
	if out, err := runCLI(t, "", "--data", m.Config.DataDir, "trust", "show"); err != nil || !strings.Contains(out, "published at /trust") {
		t.Fatalf("assay trust show: %v\n%s", err, out)
	}
	if _, err := runCLI(t, "", "--data", m.Config.DataDir, "trust", "deny", fmt.Sprint(v.Request.ID)); err == nil {
		t.Fatal("assay trust deny on a decided request succeeded")
	}
}
