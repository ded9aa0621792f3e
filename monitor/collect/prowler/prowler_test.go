package prowler

import (
	"context"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

func TestReport(t *testing.T) {
	data, err := os.ReadFile("testdata/ocsf.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err := New().Collect(context.Background(), monitor.Config{Input: data})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 6 {
		t.Fatalf("%d findings, want 6", len(res))
	}
	byID := map[string]assay.Resource{}
	for _, r := range res {
		byID[r.ID] = r
	}
	root := byID["prowler-aws-iam_root_mfa_enabled-123456789012-us-east-1-<root_account>"]
	if root.Kind != KindFinding || root.Name != "iam_root_mfa_enabled on <root_account>" {
		t.Errorf("root finding: %+v", root)
	}
	for k, want := range map[string]any{"status": "FAIL", "severity": "critical", "check_id": "iam_root_mfa_enabled",
		"resource": "arn:aws:iam::123456789012:root", "region": "us-east-1", "muted": false, "account": "123456789012"} {
		if root.Attrs[k] != want {
			t.Errorf("%s = %v, want %v", k, root.Attrs[k], want)
		}
	}
	// A finding without a uid is keyed by check and resource; Prowler's
	// SOC 2 mapping is kept, normalised and sorted.
	trail, ok := byID["cloudtrail_multi_region_enabled|arn:aws:cloudtrail:ap-northeast-1:123456789012:trail"]
	if !ok {
		t.Fatal("finding without uid not keyed by check|resource")
	}
	if soc := trail.Attrs["soc2"].([]any); !slices.Equal(soc, []any{"A1.2", "CC2.1", "CC7.2"}) {
		t.Errorf("soc2 = %v", soc)
	}
	var fails []string
	for _, r := range collecttest.RunLibrary(t, "prowler-", res) {
		if r.Status == assay.CheckFail {
			fails = append(fails, r.CheckID+" "+byID[r.ResourceID].Attrs["check_id"].(string))
		}
	}
	sort.Strings(fails)
	want := []string{
		"prowler-no-critical-high-failures cloudtrail_multi_region_enabled",
		"prowler-no-critical-high-failures iam_root_mfa_enabled",
		"prowler-no-medium-failures ec2_instance_imdsv2_enabled",
		"prowler-soc2-mapped-passing cloudtrail_multi_region_enabled",
		"prowler-soc2-mapped-passing iam_root_mfa_enabled",
	}
	if !slices.Equal(fails, want) {
		t.Errorf("failures:\n got %v\nwant %v", fails, want)
	}
}

func TestNormalizeSOC2(t *testing.T) {
	for in, want := range map[string]string{
		"cc_6_1": "CC6.1", "cc_a_1_2": "A1.2", "cc_c_1_1": "C1.1", "p_4_2": "P4.2", "pi_1_3": "PI1.3",
		"CC6.1": "CC6.1", "cc_10_1": "CC10.1", "article_25": "", "": "",
	} {
		if got := normalizeSOC2(in); got != want {
			t.Errorf("normalizeSOC2(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBadReport(t *testing.T) {
	ok := `{"metadata":{"event_code":"x"},"status_code":"PASS","finding_info":{"uid":"u1"}}`
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "no Prowler report"},
		{"syntax", "[\n" + ok + ",\n{\"metadata\": }\n]", "line 3, column"},
		{"not array", `"hello"`, "must be a JSON array of OCSF findings"},
		{"no check id", `[{"status_code":"FAIL"}]`, "finding 1: metadata.event_code"},
		{"bad status", `[` + ok + `,{"metadata":{"event_code":"y"},"status_code":"WARN"}]`, `finding 2 (y): status_code "WARN"`},
		{"duplicate uid", `[` + ok + `,` + ok + `]`, `finding 2: uid "u1" repeats finding 1`},
		{"wrong type", `[{"metadata":{"event_code":"x"},"status_code":"PASS","resources":"nope"}]`, `field "resources"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New().Collect(context.Background(), monitor.Config{Input: []byte(tc.in)})
			if err == nil || !strings.Contains(assay.ErrorMessage(err), tc.want) || assay.ErrorCode(err) != assay.EINVALID {
				t.Fatalf("err = %v, want EINVALID containing %q", err, tc.want)
			}
		})
	}
	// A single finding object (not in an array) is accepted.
	if res, err := Parse([]byte(ok)); err != nil || len(res) != 1 {
		t.Errorf("single object: %v %v", res, err)
	}
}
