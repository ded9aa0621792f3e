package k8s

import (
	"slices"
	"strings"
	"testing"
)

// Every object with a pod template is read, whatever its kind; objects
// of other kinds, and workloads without a template, are counted in the
// notes rather than refused.
func TestWorkloadKinds(t *testing.T) {
	r, err := Read(mustRead(t, "testdata/workloads.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, res := range r.Resources {
		ids = append(ids, res.ID)
	}
	wantIDs := []string{"data/StatefulSet/db", "ingress-nginx/DaemonSet/ingress-nginx-controller", "media/Service/thumbnailer",
		"ops/CronJob/rotate", "shop/DeploymentConfig/frontend", "shop/ReplicationController/legacy", "shop/Rollout/checkout"}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("ids = %v", ids)
	}
	byID := map[string]map[string]any{}
	for _, res := range r.Resources {
		byID[res.ID] = res.Attrs
	}
	for id, want := range map[string][3]bool{ // host_network, host_pid, host_ipc
		"ingress-nginx/DaemonSet/ingress-nginx-controller": {true, false, false},
		"shop/ReplicationController/legacy":                {false, true, false},
		"data/StatefulSet/db":                              {false, false, true},
		"ops/CronJob/rotate":                               {true, false, false},
		"shop/Rollout/checkout":                            {false, false, false},
	} {
		a := byID[id]
		if got := [3]bool{a["host_network"].(bool), a["host_pid"].(bool), a["host_ipc"].(bool)}; got != want {
			t.Errorf("%s host namespaces %v, want %v", id, got, want)
		}
	}
	if byID["shop/DeploymentConfig/frontend"]["image_tag_latest"] != true || byID["shop/Rollout/checkout"]["all_run_as_non_root"] != true {
		t.Errorf("frontend %v, checkout %v", byID["shop/DeploymentConfig/frontend"], byID["shop/Rollout/checkout"])
	}
	if caps := byID["media/Service/thumbnailer"]["dangerous_capabilities"].([]any); !slices.Equal(caps, []any{":SYS_PTRACE"}) {
		t.Errorf("thumbnailer capabilities %v", caps)
	}
	wantNotes := []string{
		"Read 7 workloads (CronJob 1, DaemonSet 1, DeploymentConfig 1, ReplicationController 1, Rollout 1, Service (serving.knative.dev) 1, StatefulSet 1).",
		"Skipped 5 objects of kinds without a pod template or role binding: ConfigMap 2, Ingress 1, Service 1, ServiceAccount 1.",
		"Not read, for want of a pod template (a kustomize patch or a partial manifest?): Rollout shop/search has a workloadRef instead of a pod template " +
			"(the Deployment it names is read when it is uploaded too); Deployment shop/search has no spec.template.spec.",
		"1 workload has no containers (a patch or a partial manifest?); only pod-level settings such as host namespaces and volumes were judged: " +
			"ingress-nginx/DaemonSet/ingress-nginx-controller.",
	}
	if !slices.Equal(r.Notes, wantNotes) {
		t.Errorf("notes:\n got %s\nwant %s", strings.Join(r.Notes, "\n     "), strings.Join(wantNotes, "\n     "))
	}
	if r.Skipped["ConfigMap"] != 2 || r.Read["Rollout"] != 1 {
		t.Errorf("read %v, skipped %v", r.Read, r.Skipped)
	}
	want := []string{
		"k8s-no-dangerous-capabilities media/Service/thumbnailer",
		"k8s-no-host-namespaces data/StatefulSet/db",
		"k8s-no-host-namespaces ingress-nginx/DaemonSet/ingress-nginx-controller",
		"k8s-no-host-namespaces ops/CronJob/rotate",
		"k8s-no-host-namespaces shop/ReplicationController/legacy",
	}
	got := collectRes(t, r)
	var hostNS []string
	for _, f := range failures(t, got) {
		if strings.HasPrefix(f, "k8s-no-host-namespaces") || strings.HasPrefix(f, "k8s-no-dangerous") {
			hostNS = append(hostNS, f)
		}
	}
	if !slices.Equal(hostNS, want) {
		t.Errorf("failures:\n got %s\nwant %s", strings.Join(hostNS, "\n     "), strings.Join(want, "\n     "))
	}
}

// A mapping with a key that is not a string (YAML `1: x`) does not hide
// the pod spec or container that holds it.
func TestOddKeys(t *testing.T) {
	for _, in := range []string{
		"kind: Pod\nmetadata: {name: a}\nspec:\n  hostPID: true\n  1: odd\n  containers:\n  - {name: c, image: 'x:1'}\n",
		"kind: Pod\nmetadata: {name: a}\nspec:\n  hostPID: true\n  containers:\n  - {name: c, image: 'x:1', true: odd}\n",
	} {
		res, err := Parse([]byte(in))
		if err != nil || len(res) != 1 || res[0].Attrs["host_pid"] != true || len(res[0].Attrs["containers"].([]any)) != 1 {
			t.Errorf("%q: %+v %v", in, res, err)
		}
	}
}
