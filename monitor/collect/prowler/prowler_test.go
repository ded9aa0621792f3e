package prowler

import (
	"context"
	"os"
	"reflect"
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
	if res, err := Parse([]byte(ok), nil); err != nil || len(res) != 1 {
		t.Errorf("single object: %v %v", res, err)
	}
}

// Prowler repeats finding uids (its own example outputs do). A finding is
// its uid, check and resource: copies of one are merged, keeping the
// worst status and every criterion, and the run's notes say how many;
// findings that only share a uid stay apart.
func TestRepeatedFindings(t *testing.T) {
	data, err := os.ReadFile("testdata/repeated.json")
	if err != nil {
		t.Fatal(err)
	}
	notes := &monitor.Notes{}
	res, err := New().Collect(context.Background(), monitor.Config{Input: data, Notes: notes})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]assay.Resource{}
	var ids []string
	for _, r := range res {
		byID[r.ID] = r
		ids = append(ids, r.ID)
	}
	const (
		root    = "prowler-aws-iam_root_hardware_mfa_enabled-123456789012-us-east-1-<root_account>"
		s3      = "prowler-aws-s3_account_level_public_access_blocks-123456789012-eu-west-1-123456789012"
		sg      = "prowler-aws-ec2_securitygroup_default_restrict_traffic-123456789012-eu-west-1-default"
		sgCheck = "|ec2_securitygroup_default_restrict_traffic|arn:aws:ec2:eu-west-1:123456789012:security-group/"
		logs    = "prowler-aws-cloudwatch_log_group_retention_policy_specific_days_enabled-123456789012-eu-west-1-app"
	)
	want := []string{root, s3, sg + sgCheck + "sg-0aa1", sg + sgCheck + "sg-0bb2", logs}
	if !slices.Equal(ids, want) {
		t.Fatalf("ids:\n got %q\nwant %q", ids, want)
	}
	if a := byID[s3].Attrs; a["status"] != "FAIL" || a["muted"] != false || a["detail"] != "Block Public Access is not configured for the account." ||
		!slices.Equal(a["soc2"].([]any), []any{"CC6.1", "CC6.6"}) {
		t.Errorf("merged copies keep the unmuted failure and every criterion: %v", a)
	}
	if a := byID[sg+sgCheck+"sg-0bb2"].Attrs; a["status"] != "PASS" {
		t.Errorf("a finding that only shares a uid keeps its own status: %v", a)
	}
	wantNotes := []string{
		"Prowler listed 2 findings more than once (same uid, check and resource): 3 repeated copies were merged into them, keeping the worst status.",
		"2 findings share a uid with a finding of another check or resource; each is identified by its uid, check and resource.",
	}
	if got := notes.List(); !slices.Equal(got, wantNotes) {
		t.Errorf("notes:\n got %q\nwant %q", got, wantNotes)
	}

	one := &monitor.Notes{}
	ok := `{"metadata":{"event_code":"x"},"status_code":"PASS","finding_info":{"uid":"u1"}}`
	if res, err := Parse([]byte("["+ok+","+ok+"]"), one); err != nil || len(res) != 1 || res[0].ID != "u1" {
		t.Fatalf("a repeated finding: %v %v", res, err)
	}
	if got := one.List(); len(got) != 1 || got[0] != "Prowler listed 1 finding more than once (same uid, check and resource): 1 repeated copy was merged into it, keeping the worst status." {
		t.Errorf("note: %q", got)
	}
	// Parsing the same report again gives the same resources: ids do not
	// depend on anything but the report.
	again, _ := Parse(data, nil)
	if !reflect.DeepEqual(again, res) {
		t.Error("parsing twice differs")
	}
}
