package k8s

import (
	"slices"
	"strings"
	"testing"
)

// The bindings every cluster has pass; only system:anonymous and
// system:unauthenticated count as anonymous, and system:authenticated is
// judged on the role it gets.
func TestBuiltinBindings(t *testing.T) {
	got := collect(t, "testdata/builtin-bindings.yaml")
	for id, want := range map[string][2]bool{ // anonymous, all_authenticated
		"ClusterRoleBinding/system:basic-user":                         {false, true},
		"ClusterRoleBinding/system:discovery":                          {false, true},
		"ClusterRoleBinding/system:public-info-viewer":                 {true, true},
		"kube-public/RoleBinding/kubeadm:bootstrap-signer-clusterinfo": {true, false},
		"kube-public/RoleBinding/system:controller:bootstrap-signer":   {false, false},
		"ClusterRoleBinding/kubeadm:get-nodes":                         {false, false},
		"ClusterRoleBinding/everyone-edit":                             {false, true},
		"default/RoleBinding/anon-secrets":                             {true, false},
	} {
		a := got[id].Attrs
		if a["anonymous"] != want[0] || a["all_authenticated"] != want[1] {
			t.Errorf("%s: anonymous %v, all_authenticated %v; want %v", id, a["anonymous"], a["all_authenticated"], want)
		}
	}
	wantFails := []string{
		"k8s-binding-authenticated-builtin-roles ClusterRoleBinding/everyone-edit",
		"k8s-binding-no-anonymous default/RoleBinding/anon-secrets",
	}
	if f := failures(t, got); !slices.Equal(f, wantFails) {
		t.Errorf("failures:\n got %s\nwant %s", strings.Join(f, "\n     "), strings.Join(wantFails, "\n     "))
	}
}

// A service account that happens to be called system:anonymous is not
// the anonymous user.
func TestServiceAccountNamedLikeAGroup(t *testing.T) {
	res, err := Parse([]byte("kind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {kind: ClusterRole, name: view}\n" +
		"subjects: [{kind: ServiceAccount, name: system:anonymous, namespace: x}, {kind: ServiceAccount, name: system:authenticated, namespace: x}]\n"))
	if err != nil || len(res) != 1 || res[0].Attrs["anonymous"] != false || res[0].Attrs["all_authenticated"] != false {
		t.Fatalf("%+v %v", res, err)
	}
}
