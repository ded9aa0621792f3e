package k8s

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

func collect(t *testing.T, files ...string) map[string]assay.Resource {
	t.Helper()
	out := map[string]assay.Resource{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := New().Collect(context.Background(), monitor.Config{Input: data})
		if err != nil {
			t.Fatalf("collect %s: %v", f, err)
		}
		for _, r := range res {
			out[r.ID] = r
		}
	}
	return out
}

func failures(t *testing.T, byID map[string]assay.Resource) []string {
	t.Helper()
	var res []assay.Resource
	for _, r := range byID {
		res = append(res, r)
	}
	var out []string
	for _, r := range collecttest.RunLibrary(t, "k8s-", res) {
		if r.Status != assay.CheckPass {
			out = append(out, r.CheckID+" "+r.ResourceID)
		}
	}
	sort.Strings(out)
	return out
}

func TestManifests(t *testing.T) {
	got := collect(t, "testdata/manifests.yaml", "testdata/list.json")
	var ids []string
	for id := range got {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	wantIDs := []string{"ClusterRoleBinding/ci-admin", "ClusterRoleBinding/cluster-admin", "ClusterRoleBinding/oops-public-view",
		"data/Job/backfill", "default/CronJob/nightly-report", "default/Pod/debug", "monitoring/DaemonSet/node-agent",
		"payments/Deployment/api", "payments/RoleBinding/read-pods"}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("ids = %v", ids)
	}
	agent := got["monitoring/DaemonSet/node-agent"].Attrs
	for k, want := range map[string]any{"any_privileged": true, "all_have_limits": false, "host_network": true, "host_pid": true,
		"image_tag_latest": true, "all_run_as_non_root": false, "allow_privilege_escalation": true} {
		if agent[k] != want {
			t.Errorf("node-agent %s = %v, want %v", k, agent[k], want)
		}
	}
	if hp := agent["host_path_volumes"].([]any); !slices.Equal(hp, []any{"/"}) {
		t.Errorf("host paths %v", hp)
	}
	if caps := agent["dangerous_capabilities"].([]any); !slices.Equal(caps, []any{"agent:SYS_ADMIN"}) {
		t.Errorf("capabilities %v", caps)
	}
	api := got["payments/Deployment/api"]
	if api.Kind != KindWorkload || api.Attrs["all_run_as_non_root"] != true || len(api.Attrs["containers"].([]any)) != 2 {
		t.Errorf("api: %+v", api)
	}
	// An effective runAsUser 0 counts as root even beside runAsNonRoot
	// (the kubelet would refuse to start it: a broken spec either way);
	// the pod's settings apply to containers that set nothing.
	if got["default/CronJob/nightly-report"].Attrs["all_run_as_non_root"] != false {
		t.Error("runAsUser 0 must count as root")
	}
	if got["data/Job/backfill"].Attrs["all_run_as_non_root"] != true {
		t.Error("pod-level runAsNonRoot must apply to containers")
	}
	want := []string{
		"k8s-binding-cluster-admin ClusterRoleBinding/ci-admin",
		"k8s-binding-no-anonymous ClusterRoleBinding/oops-public-view",
		"k8s-no-dangerous-capabilities monitoring/DaemonSet/node-agent",
		"k8s-no-host-namespaces default/Pod/debug",
		"k8s-no-host-namespaces monitoring/DaemonSet/node-agent",
		"k8s-no-host-path monitoring/DaemonSet/node-agent",
		"k8s-no-latest-tag monitoring/DaemonSet/node-agent",
		"k8s-no-privilege-escalation default/Pod/debug",
		"k8s-no-privilege-escalation monitoring/DaemonSet/node-agent",
		"k8s-no-privileged-containers monitoring/DaemonSet/node-agent",
		"k8s-read-only-root-fs default/Pod/debug",
		"k8s-read-only-root-fs monitoring/DaemonSet/node-agent",
		"k8s-resource-limits default/Pod/debug",
		"k8s-resource-limits monitoring/DaemonSet/node-agent",
		"k8s-run-as-non-root default/CronJob/nightly-report",
		"k8s-run-as-non-root default/Pod/debug",
		"k8s-run-as-non-root monitoring/DaemonSet/node-agent",
	}
	if f := failures(t, got); !slices.Equal(f, want) {
		t.Errorf("failures:\n got %s\nwant %s", strings.Join(f, "\n     "), strings.Join(want, "\n     "))
	}
}

func TestBadManifests(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "no Kubernetes manifests"},
		{"yaml syntax", "apiVersion: v1\nkind: Pod\n---\nkind: [unclosed\n", "YAML document 2"},
		{"no kind", "apiVersion: v1\nmetadata: {name: x}\n", "document 1 (line 1): the object has no kind"},
		{"scalar", "just a string\n", "expected a Kubernetes object"},
		{"no name", "kind: Deployment\nspec: {template: {spec: {containers: [{name: a}]}}}\n", "has no metadata.name"},
		{"duplicate", "kind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: a:1}]}\n---\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: a:1}]}\n", "defined twice (first at document 1"},
		{"json syntax", "{\n  \"kind\": \"List\",\n  \"items\": [,]\n}", "line 3, column"},
		{"binding without role", "kind: ClusterRoleBinding\nmetadata: {name: b}\n", "has no roleRef.name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New().Collect(context.Background(), monitor.Config{Input: []byte(tc.in)})
			if err == nil || !strings.Contains(assay.ErrorMessage(err), tc.want) || assay.ErrorCode(err) != assay.EINVALID {
				t.Fatalf("err = %v, want EINVALID containing %q", err, tc.want)
			}
		})
	}
}

// A typed list straight from the API server has items without a kind.
func TestTypedList(t *testing.T) {
	in := `{"kind":"PodList","apiVersion":"v1","items":[{"metadata":{"name":"p","namespace":"x"},"spec":{"containers":[{"name":"c","image":"c:1"}]}}]}`
	res, err := Parse([]byte(in))
	if err != nil || len(res) != 1 || res[0].ID != "x/Pod/p" {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestLatestTag(t *testing.T) {
	for img, want := range map[string]bool{
		"nginx": true, "nginx:latest": true, "nginx:1.27": false, "localhost:5000/app": true,
		"localhost:5000/app:2": false, "ghcr.io/a/b@sha256:abc": false,
	} {
		if latestTag(img) != want {
			t.Errorf("latestTag(%s) != %v", img, want)
		}
	}
}

func mustRead(t *testing.T, file string) []byte {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func collectRes(t *testing.T, r *Result) map[string]assay.Resource {
	t.Helper()
	out := map[string]assay.Resource{}
	for _, res := range r.Resources {
		out[res.ID] = res
	}
	return out
}
