package k8s

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/assay-platform/assay"
)

// FuzzK8sParse feeds the parser anything, starting from the test files: it must not
// panic, and a refusal is always an EINVALID error with a message.
func FuzzK8sParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	for _, seed := range []string{"", "---\n", "apiVersion: v1\nkind: List\nitems:\n- {kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: x, securityContext: {privileged: true}}]}}\n", "kind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: User, name: u}]\n", "a: &a [*a, *a]\nb: *a\n"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse(data)
		if err != nil && (assay.ErrorCode(err) != assay.EINVALID || assay.ErrorMessage(err) == "") {
			t.Fatalf("refused without a clear message: %v", err)
		}
	})
}
