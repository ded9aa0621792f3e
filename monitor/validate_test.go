package monitor

import (
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

func TestValidateCheck(t *testing.T) {
	known := func(id string) bool { return id == "CRY-02" || id == "NET-02" }
	good := assay.Check{
		ID: "custom-s3-tags", Title: "Buckets are tagged", Kind: "terraform.aws_s3_bucket",
		Expr: `has(r.tags) && "owner" in r.tags`, Severity: assay.SeverityLow,
		Reason: "{{.Name}} has no owner tag", Controls: []string{"CRY-02"}, Custom: true,
	}
	if err := ValidateCheck(good, known); err != nil {
		t.Fatalf("good check rejected: %v", err)
	}
	cases := []struct {
		name, field, msg string
		edit             func(c *assay.Check)
	}{
		{"library prefix", "id", "custom-", func(c *assay.Check) { c.ID = "http-tls" }},
		{"bare prefix", "id", "custom-", func(c *assay.Check) { c.ID = "custom-" }},
		{"bad id chars", "id", "lowercase", func(c *assay.Check) { c.ID = "custom-S3 tags" }},
		{"no title", "title", "required", func(c *assay.Check) { c.Title = "  " }},
		{"no kind", "kind", "required", func(c *assay.Check) { c.Kind = "" }},
		{"bad severity", "severity", "critical", func(c *assay.Check) { c.Severity = "urgent" }},
		{"no controls", "controls", "at least one", func(c *assay.Check) { c.Controls = nil }},
		{"unknown control", "controls", `"ZZZ-1"`, func(c *assay.Check) { c.Controls = []string{"NET-02", "ZZZ-1"} }},
		{"bad expr", "expr", "line 1, column 1", func(c *assay.Check) { c.Expr = "tags.size() > 0" }},
		{"non-bool expr", "expr", "bool", func(c *assay.Check) { c.Expr = "size(r)" }},
		{"bad reason", "reason", "reason template", func(c *assay.Check) { c.Reason = "{{.Name" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := good
			tc.edit(&c)
			field, msg := invalidField(t, ValidateCheck(c, known))
			if field != tc.field || !strings.Contains(msg, tc.msg) {
				t.Fatalf("field %q message %q; want field %q mentioning %q", field, msg, tc.field, tc.msg)
			}
		})
	}
	if err := ValidateCheck(good, nil); err == nil {
		t.Fatal("a check passed with no control lookup")
	}
}
