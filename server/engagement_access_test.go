package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestEngagementAuditorReachesOnlyTheEngagement: an auditor invited for one
// engagement reads its controls, evidence (files too), requests and
// activity, asks for evidence inside it, and gets 404 for a control, an
// evidence file and an activity entry outside it, through the API and the
// pages alike.
func TestEngagementAuditorReachesOnlyTheEngagement(t *testing.T) {
	s := newAccessSite(t)
	const who = "engagement"
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	for _, c := range []struct {
		path string
		want int
	}{
		{"/api/v1/controls/" + s.inCtl, 200}, {"/controls/" + s.inCtl, 200},
		{"/api/v1/controls/" + s.outCtl, 404}, {"/controls/" + s.outCtl, 404},
		{"/api/v1/evidence/" + id(s.inEv), 200}, {"/evidence/" + id(s.inEv), 200},
		{"/api/v1/evidence/" + id(s.inEv) + "/content", 200}, {"/evidence/" + id(s.inEv) + "/content", 200},
		// Evidence of an in-scope control from outside the period, and
		// evidence of a control outside the scope: neither record nor file.
		{"/api/v1/evidence/" + id(s.outEv), 404}, {"/evidence/" + id(s.outEv), 404},
		{"/api/v1/evidence/" + id(s.outEv) + "/content", 404}, {"/evidence/" + id(s.outEv) + "/content", 404},
		{"/api/v1/evidence/" + id(s.otherEv) + "/content", 404}, {"/evidence/" + id(s.otherEv) + "/content", 404},
		{"/api/v1/evidence-requests/" + id(s.inReq), 200}, {"/evidence-requests/" + id(s.inReq), 200},
		{"/api/v1/evidence-requests/" + id(s.outReq), 404}, {"/evidence-requests/" + id(s.outReq), 404},
		// An activity entry outside the engagement: its ledger proof, and
		// the trail filtered to it.
		{fmt.Sprintf("/api/v1/ledger/entries/%d/proof", s.outSeq), 404},
		{"/api/v1/audits/" + id(s.audit.ID+1), 404}, {"/audits/" + id(s.audit.ID+1), 404},
		{"/api/v1/people/" + id(s.person), 404}, {"/people/" + id(s.person), 404},
	} {
		got := s.do(who, http.MethodGet, c.path)
		if got.status != c.want {
			t.Errorf("GET %s: %d, want %d\n%.300s", c.path, got.status, c.want, got.body)
		}
		if got.status == 404 && strings.Contains(got.body, "limited to") {
			t.Errorf("GET %s: the 404 tells of a limit: %.200s", c.path, got.body)
		}
	}
	if got := s.do(who, http.MethodGet, "/api/v1/evidence/"+id(s.inEv)+"/content"); got.body != "rows of "+s.inCtl {
		t.Errorf("the engagement's file reads %q", got.body)
	}

	// Lists hold the engagement's objects only.
	lists := []struct {
		path       string
		want, hide []string
	}{
		{"/api/v1/controls", []string{`"` + s.inCtl + `"`}, []string{`"` + s.outCtl + `"`}},
		{"/controls", []string{`href="/controls/` + s.inCtl + `"`}, []string{`href="/controls/` + s.outCtl + `"`}},
		{"/api/v1/evidence?state=all", []string{`"id":` + id(s.inEv) + `,`}, []string{`"id":` + id(s.outEv) + `,`, `"id":` + id(s.otherEv) + `,`}},
		{"/evidence?state=all", []string{`href="/evidence/` + id(s.inEv) + `"`}, []string{`href="/evidence/` + id(s.outEv) + `"`, `href="/evidence/` + id(s.otherEv) + `"`}},
		{"/api/v1/evidence-requests", []string{`"id":` + id(s.inReq) + `,`}, []string{`"id":` + id(s.outReq) + `,`}},
		{"/api/v1/activity?type=control&object=" + s.inCtl, []string{`"seq":` + id(s.inSeq) + `,`}, nil},
		{"/api/v1/activity?type=control&object=" + s.outCtl, nil, []string{`"seq":` + id(s.outSeq) + `,`}},
		{"/api/v1/activity", []string{`"seq":` + id(s.inSeq) + `,`}, []string{`"seq":` + id(s.outSeq) + `,`, `"object_type":"person"`}},
		{"/activity", []string{s.inCtl}, []string{s.outCtl, "Pat Doe"}},
		{"/api/v1/audits", []string{`"id":` + id(s.audit.ID) + `,`}, nil},
	}
	for _, l := range lists {
		got := s.do(who, http.MethodGet, l.path)
		if got.status != 200 {
			t.Errorf("GET %s: %d\n%.300s", l.path, got.status, got.body)
			continue
		}
		for _, w := range l.want {
			if !strings.Contains(got.body, w) {
				t.Errorf("GET %s lacks %s", l.path, w)
			}
		}
		for _, h := range l.hide {
			if strings.Contains(got.body, h) {
				t.Errorf("GET %s shows %s, outside the engagement", l.path, h)
			}
		}
	}

	// Asking for evidence: inside the engagement, yes; outside, the control is not there.
	due := "2026-03-20"
	if got := s.send(who, http.MethodPost, "/api/v1/evidence-requests", map[string]string{"control_id": s.inCtl, "due_date": due, "description": "Show the January export"}); got.status != http.StatusCreated {
		t.Errorf("API request inside the engagement: %d %s", got.status, got.body)
	}
	if got := s.send(who, http.MethodPost, "/evidence-requests", map[string]string{"control_id": s.inCtl, "due_date": due, "description": "And February's"}); got.status != http.StatusSeeOther || !strings.HasPrefix(got.location, "/evidence-requests/") {
		t.Errorf("web request inside the engagement: %d %s\n%.300s", got.status, got.location, got.body)
	}
	if got := s.send(who, http.MethodPost, "/api/v1/evidence-requests", map[string]string{"control_id": s.outCtl, "due_date": due, "description": "x"}); got.status != http.StatusNotFound {
		t.Errorf("API request outside the engagement: %d %s", got.status, got.body)
	}
	if got := s.send(who, http.MethodPost, "/evidence-requests", map[string]string{"control_id": s.outCtl, "due_date": due, "description": "x"}); got.status != http.StatusNotFound {
		t.Errorf("web request outside the engagement: %d", got.status)
	}

	// The engagement auditor whose access ended gets nothing: not signed in.
	for _, path := range []string{"/api/v1/audits/" + id(s.audit.ID), "/api/v1/controls/" + s.inCtl} {
		if got := s.do("expired", http.MethodGet, path); got.status != http.StatusUnauthorized {
			t.Errorf("expired auditor GET %s: %d", path, got.status)
		}
	}
	if got := s.do("expired", http.MethodGet, "/audits/"+id(s.audit.ID)); got.status != http.StatusSeeOther || !strings.HasPrefix(got.location, "/login") {
		t.Errorf("expired auditor on the engagement page: %d %s", got.status, got.location)
	}
}
