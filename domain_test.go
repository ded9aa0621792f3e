package assay_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

func TestScopeNormalize(t *testing.T) {
	s, err := assay.Scope{Categories: []string{"privacy", "availability", "privacy"}}.Normalize()
	if err != nil || strings.Join(s.Categories, ",") != "security,availability,privacy" {
		t.Fatalf("%v %v", s, err)
	}
	if _, err := (assay.Scope{Categories: []string{"safety"}}).Normalize(); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("unknown category: %v", err)
	}
	if !(assay.Scope{}).Has("security") || (assay.Scope{}).Has("privacy") {
		t.Fatal("security is always in scope, nothing else is by default")
	}
}

func TestControlValidate(t *testing.T) {
	known := func(id string) bool { return id == "CC6.1" }
	good := assay.NewCustomControl("cus-01", "Name", "", []string{"cc6.1"})
	if err := good.Validate(known); err != nil || good.ID != "CUS-01" || good.Criteria[0] != "CC6.1" {
		t.Fatalf("%+v %v", good, err)
	}
	bad := map[string]func(c *assay.Control){
		"id":            func(c *assay.Control) { c.ID = "no spaces allowed" },
		"name":          func(c *assay.Control) { c.Name = "" },
		"status":        func(c *assay.Control) { c.Status = "done" },
		"justification": func(c *assay.Control) { c.Status = assay.StatusNotApplicable },
		"frequency":     func(c *assay.Control) { c.Frequency = "hourly-ish" },
		"kind":          func(c *assay.Control) { c.Kind = "hopeful" },
		"criteria":      func(c *assay.Control) { c.Criteria = []string{"CC9.9"} },
		"notes":         func(c *assay.Control) { c.Notes = strings.Repeat("n", assay.MaxNotesLen+1) },
	}
	for field, breakIt := range bad {
		c := good
		breakIt(&c)
		err := c.Validate(known)
		var e *assay.Error
		if assay.ErrorCode(err) != assay.EINVALID {
			t.Errorf("%s: %v", field, err)
		} else if e = err.(*assay.Error); e.Field != field {
			t.Errorf("%s: error names field %q", field, e.Field)
		}
	}
}

func TestPermissions(t *testing.T) {
	owned := &assay.Control{OwnerID: 7}
	other := &assay.Control{OwnerID: 8}
	cases := []struct {
		role   assay.Role
		action assay.Action
		ctl    *assay.Control
		want   bool
	}{
		{assay.RoleAdmin, assay.ActionManageUsers, nil, true},
		{assay.RoleAdmin, assay.ActionEditControl, other, true},
		{assay.RoleMember, assay.ActionEditControl, owned, true},
		{assay.RoleMember, assay.ActionEditControl, other, false},
		{assay.RoleMember, assay.ActionManageControls, nil, false},
		{assay.RoleMember, assay.ActionEditScope, nil, false},
		{assay.RoleAuditor, assay.ActionRead, nil, true},
		{assay.RoleAuditor, assay.ActionReadActivity, nil, true},
		{assay.RoleAuditor, assay.ActionEditControl, owned, false},
		{assay.RoleViewer, assay.ActionRead, nil, true},
		{assay.RoleViewer, assay.ActionReadActivity, nil, false},
		{assay.RoleViewer, assay.ActionEditControl, owned, false},
		{"root", assay.ActionRead, nil, false},
		{assay.RoleAdmin, assay.ActionAddEvidence, other, true},
		{assay.RoleMember, assay.ActionAddEvidence, nil, true}, // may add evidence at all
		{assay.RoleMember, assay.ActionAddEvidence, owned, true},
		{assay.RoleMember, assay.ActionAddEvidence, other, false},
		{assay.RoleAuditor, assay.ActionAddEvidence, nil, false},
		{assay.RoleViewer, assay.ActionAddEvidence, owned, false},
		{assay.RoleAdmin, assay.ActionRequestEvidence, nil, true},
		{assay.RoleAuditor, assay.ActionRequestEvidence, nil, true},
		{assay.RoleMember, assay.ActionRequestEvidence, nil, false},
		{assay.RoleViewer, assay.ActionRequestEvidence, nil, false},
	}
	for _, c := range cases {
		u := assay.User{ID: 7, Role: c.role}
		if got := u.Can(c.action, c.ctl); got != c.want {
			t.Errorf("%s %s: %v, want %v", c.role, c.action, got, c.want)
		}
	}
	if (assay.User{ID: 1, Role: assay.RoleAdmin, Disabled: true}).Can(assay.ActionRead, nil) {
		t.Error("a disabled user can read")
	}
}

func TestNewUserValidate(t *testing.T) {
	n := assay.NewUser{Email: " Ada@Example.COM ", Role: assay.RoleAdmin, Password: "twelve chars"}
	if err := n.Validate(); err != nil || n.Email != "ada@example.com" || n.Name != "ada@example.com" {
		t.Fatalf("%+v %v", n, err)
	}
	for _, bad := range []assay.NewUser{
		{Email: "not an email", Role: assay.RoleAdmin, Password: "twelve chars"},
		{Email: "a@b.example", Role: "root", Password: "twelve chars"},
		{Email: "a@b.example", Role: assay.RoleViewer, Password: "short"},
	} {
		if err := bad.Validate(); assay.ErrorCode(err) != assay.EINVALID {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{"Acme Corp.": "acme-corp", "  ": "org", "Ünïcode & Co": "n-code-co"} {
		if got := assay.Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

// A trust center logo is an image by its content, not by what its URL says.
func TestTrustLogo(t *testing.T) {
	png := "\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 20)
	ok := "data:image/png;base64," + base64.StdEncoding.EncodeToString([]byte(png))
	if _, err := assay.TrustLogo(ok); err != nil {
		t.Fatalf("a PNG: %v", err)
	}
	for name, bad := range map[string]string{
		"SVG claiming PNG": "data:image/png;base64," + base64.StdEncoding.EncodeToString([]byte("<svg onload=alert(1)>")),
		"PNG claiming SVG": "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(png)),
		"not base64":       "data:image/png;base64,!!!",
		"a link":           "https://evil.example/logo.png",
		"too large":        "data:image/png;base64," + base64.StdEncoding.EncodeToString([]byte(png+strings.Repeat("x", assay.MaxTrustLogo))),
	} {
		if _, err := assay.TrustLogo(bad); assay.ErrorCode(err) != assay.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
}
