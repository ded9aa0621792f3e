package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/clocktest"
)

// An AWS source is added through the API with its keys sealed, its
// connection test collects through the real SDK from a server answering
// as AWS does (the demo's recorded answers), a run records it, and a
// quarterly access review loads its IAM users as accounts, named by
// account and user, with console passwords, keys and missing MFA as
// privileges.
func TestAWSSourceThroughTheAPIAndAnAccessReview(t *testing.T) {
	t.Parallel()
	rec := demoAWS(clocktest.Now().UTC()) // the answers are dated by the server's clock
	signed := 0
	aws := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Authorization"), "Credential=AKIACLOUDCO000000001/") {
			signed++
		}
		resp, _ := rec.RoundTrip(r)
		w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	defer aws.Close()
	m := startMain(t, false, false)
	_, admin := m.orgWithAdmin(t, "Cloud Co")
	var raw json.RawMessage
	body := `{"name":"AWS","kind":"aws","settings":{"regions":"us-east-1","endpoint":"` + aws.URL + `"},` +
		`"secrets":{"access_key_id":"AKIACLOUDCO000000001","secret_access_key":"cl0ud/s3cret+key"}}`
	var src assay.Source
	if code := m.call(t, admin, "POST", "/api/v1/sources", body, &src); code != http.StatusCreated || strings.Join(src.SecretNames, ",") != "access_key_id,secret_access_key" {
		t.Fatalf("add aws source: %d %+v", code, src)
	}
	m.call(t, admin, "GET", fmt.Sprintf("/api/v1/sources/%d", src.ID), "", &raw)
	if strings.Contains(string(raw), "cl0ud/s3cret+key") {
		t.Fatal("the API returned the secret key")
	}
	var test assay.ConnectionTest
	if code := m.call(t, admin, "POST", fmt.Sprintf("/api/v1/sources/%d/test", src.ID), "", &test); code != http.StatusOK || !test.OK || test.Resources != 15 || signed == 0 {
		t.Fatalf("test connection: %d %+v, %d signed requests", code, test, signed)
	}
	var run assay.MonitorRun
	if code := m.call(t, admin, "POST", fmt.Sprintf("/api/v1/sources/%d/run", src.ID), "", &run); code != http.StatusOK || run.Status != assay.RunOK {
		t.Fatalf("run: %d %+v", code, run)
	}
	var who struct{ User assay.User }
	m.call(t, admin, "GET", "/api/v1/me", "", &who)
	var rv assay.AccessReview
	if code := m.call(t, admin, "POST", "/api/v1/access-reviews",
		fmt.Sprintf(`{"name":"AWS Q4","period":"2026 Q4","due_date":"2026-12-31T00:00:00Z","systems":[{"name":"AWS","owner_id":%d}]}`, who.User.ID), &rv); code != http.StatusCreated {
		t.Fatalf("create campaign: %d", code)
	}
	base := fmt.Sprintf("/api/v1/access-reviews/%d", rv.ID)
	var res assay.AccessLoadResult
	if code := m.call(t, admin, "POST", base+"/accounts", fmt.Sprintf(`{"from":"source","source_id":%d}`, src.ID), &res); code != http.StatusOK || res.Added != 4 {
		t.Fatalf("load from the aws source: %d %+v", code, res)
	}
	var got struct {
		Accounts []assay.AccessAccount `json:"accounts"`
	}
	m.call(t, admin, "GET", base+"/accounts", "", &got)
	privs := map[string]string{}
	for _, a := range got.Accounts {
		privs[a.Account] = a.Privileges
	}
	if privs["210987654321/sam.dev"] != "console password, no MFA" || privs["210987654321/ci-release"] != "1 active access key, no MFA" ||
		privs["210987654321/dana.ops"] != "console password" {
		t.Errorf("accounts: %v", privs)
	}
}
