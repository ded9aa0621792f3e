package k8s

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

// The API server's audit settings are read wherever the manifests show
// them, and the audit check fails where a policy or a destination is
// missing.
func TestAPIServerAudit(t *testing.T) {
	res, notes, err := New().(collector).CollectNotes(context.Background(), monitor.Config{Input: mustRead(t, "testdata/control-plane.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]assay.Resource{}
	for _, r := range res {
		if r.Kind == KindAPIServer {
			got[r.ID] = r
		}
	}
	for id, want := range map[string]map[string]any{
		"kube-system/Pod/kube-apiserver-cp1/kube-apiserver": {"origin": "kube-apiserver container", "audit_logging": true, "audit_log_maxage": int64(30),
			"audit_policy_file": "/etc/kubernetes/audit-policy.yaml", "audit_log_path": "/var/log/kubernetes/audit/audit.log", "audit_gap": ""},
		"kube-system/Pod/kube-apiserver-cp2/kube-apiserver": {"audit_logging": false, "audit_log_path": "/var/log/kubernetes/audit/audit.log",
			"audit_gap": "no --audit-policy-file, so no event is recorded"},
		"ClusterConfiguration/prod-eu": {"origin": "kubeadm ClusterConfiguration", "audit_logging": true,
			"audit_webhook_config_file": "/etc/kubernetes/audit-webhook.yaml", "audit_log_maxage": int64(-1)},
		"kube-system/ConfigMap/kubeadm-config": {"origin": "kubeadm-config ConfigMap", "audit_logging": false,
			"audit_gap": "no --audit-policy-file, so no event is recorded; neither --audit-log-path nor --audit-webhook-config-file, so events have nowhere to go"},
		"ClusterConfig/payments": {"origin": "eksctl ClusterConfig", "audit_logging": true, "audit_log_maxage": int64(365)},
		"ClusterConfig/sandbox":  {"audit_logging": false, "audit_gap": "cloudWatch.clusterLogging.enableTypes does not include audit"},
	} {
		r, ok := got[id]
		if !ok {
			t.Errorf("%s not read (have %v)", id, res)
			continue
		}
		for k, v := range want {
			if r.Attrs[k] != v {
				t.Errorf("%s: %s = %#v, want %#v", id, k, r.Attrs[k], v)
			}
		}
	}
	collecttest.SameKeys(t, "../../../catalog/data/checks/k8s.json", got["ClusterConfig/payments"])
	if len(got) != 6 {
		t.Errorf("%d API servers", len(got))
	}
	wantNotes := []string{"Read 2 workloads (Pod 2) and the audit settings of 6 API servers."}
	if !slices.Equal(notes, wantNotes) {
		t.Errorf("notes %q", notes)
	}
	var fails []string
	for _, f := range failures(t, collectRes(t, &Result{Resources: res})) {
		if strings.HasPrefix(f, "k8s-apiserver") {
			fails = append(fails, f)
		}
	}
	want := []string{
		"k8s-apiserver-audit-logging ClusterConfig/sandbox",
		"k8s-apiserver-audit-logging kube-system/ConfigMap/kubeadm-config",
		"k8s-apiserver-audit-logging kube-system/Pod/kube-apiserver-cp2/kube-apiserver",
	}
	if !slices.Equal(fails, want) {
		t.Errorf("failures:\n got %s\nwant %s", strings.Join(fails, "\n     "), strings.Join(want, "\n     "))
	}
}

func TestCLIFlags(t *testing.T) {
	got := cliFlags([]string{"kube-apiserver", "--audit-policy-file", "/p.yaml", "--audit-log-path=-", "--audit-log-maxage", "--v=2", "-x"})
	if got["audit-policy-file"] != "/p.yaml" || got["audit-log-path"] != "-" || got["audit-log-maxage"] != "" || len(got) != 3 {
		t.Errorf("%v", got)
	}
}

func TestBadKubeadmConfigMap(t *testing.T) {
	_, err := Parse([]byte("kind: ConfigMap\nmetadata: {name: kubeadm-config, namespace: kube-system}\ndata:\n  ClusterConfiguration: \"a: [\"\n"))
	if err == nil || assay.ErrorCode(err) != assay.EINVALID || !strings.Contains(assay.ErrorMessage(err), "data.ClusterConfiguration is not YAML") {
		t.Fatalf("%v", err)
	}
}
