package catalog

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/assay-platform/assay"
)

func TestPolicyTemplatesLoad(t *testing.T) {
	list, err := PolicyTemplates()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < MinPolicyTemplates {
		t.Fatalf("%d templates", len(list))
	}
	want := []string{"information-security", "acceptable-use", "access-control", "change-management", "secure-development",
		"incident-response", "business-continuity", "backup", "data-classification", "data-retention", "encryption",
		"vendor-management", "risk-management", "vulnerability-management", "logging-monitoring", "physical-security",
		"privacy", "code-of-conduct"}
	for _, id := range want {
		tp, ok := PolicyTemplateByID(id)
		if !ok {
			t.Errorf("template %s missing", id)
			continue
		}
		if !strings.Contains(tp.Body, "{{company}}") || !strings.Contains(tp.Body, "{{owner}}") || !strings.Contains(tp.Body, "{{review_cadence}}") {
			t.Errorf("%s lacks a placeholder", id)
		}
		if !strings.Contains(tp.Body, "\n1. ") {
			t.Errorf("%s has no numbered requirements", id)
		}
	}
	filled := assay.FillPolicyTemplate(list[0].Body, assay.PolicyVars("Acme", "Ada", 12))
	if strings.Contains(filled, "{{company}}") || !strings.Contains(filled, "Acme") {
		t.Error("placeholders not filled")
	}
}

func TestPolicyTemplatesRejectBadSets(t *testing.T) {
	cat := MustDefault()
	good, _ := PolicyTemplates()
	body := strings.Repeat("word ", 200)
	fsFor := func(files map[string]string) fstest.MapFS {
		m := fstest.MapFS{}
		for i, tp := range good {
			if i >= MinPolicyTemplates-1 {
				break
			}
			m["p/"+tp.ID+".md"] = &fstest.MapFile{Data: []byte("---\nid: " + tp.ID + "\ntitle: T\ncontrols: GOV-01\n---\n" + body)}
		}
		for k, v := range files {
			m["p/"+k] = &fstest.MapFile{Data: []byte(v)}
		}
		return m
	}
	if _, err := LoadPolicyTemplates(fsFor(map[string]string{"x.md": "---\nid: extra\ntitle: X\ncontrols: GOV-01\n---\n" + body}), "p", cat); err != nil {
		t.Fatalf("a good set fails: %v", err)
	}
	cases := map[string]string{
		"duplicate id":        "---\nid: " + good[0].ID + "\ntitle: X\ncontrols: GOV-01\n---\n" + body,
		"unknown control":     "---\nid: extra\ntitle: X\ncontrols: NOPE-01\n---\n" + body,
		"unknown placeholder": "---\nid: extra\ntitle: X\ncontrols: GOV-01\n---\n{{ceo}} " + body,
		"no front matter":     body,
		"short body":          "---\nid: extra\ntitle: X\ncontrols: GOV-01\n---\nshort",
		"unknown key":         "---\nid: extra\ntitle: X\nowner: me\ncontrols: GOV-01\n---\n" + body,
	}
	for name, text := range cases {
		if _, err := LoadPolicyTemplates(fsFor(map[string]string{"x.md": text}), "p", cat); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := LoadPolicyTemplates(fsFor(nil), "p", cat); err == nil || !strings.Contains(err.Error(), "at least") {
		t.Errorf("too few templates: %v", err)
	}
}
