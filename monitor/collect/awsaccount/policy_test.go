package awsaccount

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/assay-platform/assay/monitor/collect/apiclient"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

// The README's policy lists exactly Actions, and a collection of the
// example accounts calls nothing else (STS aside: GetCallerIdentity needs
// no permission, AssumeRole is granted on the roles themselves).
func TestTheREADMEPolicyIsExactlyTheActionsUsed(t *testing.T) {
	b, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "## The AWS collector's IAM policy")
	_, block, ok2 := strings.Cut(section, "```json\n")
	block, _, ok3 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("the README has no AWS policy block")
	}
	var policy struct {
		Statement []struct {
			Effect   string
			Action   []string
			Resource string
		}
	}
	if err := json.Unmarshal([]byte(block), &policy); err != nil || len(policy.Statement) != 1 || policy.Statement[0].Effect != "Allow" {
		t.Fatalf("the README's policy: %v %+v", err, policy)
	}
	if got := policy.Statement[0].Action; !slices.Equal(got, Actions) {
		t.Errorf("the README's policy lists %v, the collector uses %v", got, Actions)
	}
	f := example(t)
	f.accounts[mainAccount].buckets[0].regionNotInList = true // GetBucketLocation too
	var kept []byte
	cfg := config(f)
	cfg.Keep = func(_ context.Context, doc []byte) (string, error) { kept = doc; return "x", nil }
	if _, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	var doc apiclient.Provenance
	if err := json.Unmarshal(kept, &doc); err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, e := range doc.Responses {
		service, op, _ := strings.Cut(e.Operation, " ")
		op, _, _ = strings.Cut(op, " ")
		if service != "STS" {
			used[Action(service, op)] = true
		}
	}
	for a := range used {
		if !slices.Contains(Actions, a) {
			t.Errorf("the collector called %s, which the policy does not grant", a)
		}
	}
	for _, a := range Actions {
		if !used[a] {
			t.Errorf("the policy grants %s, which the collector never called", a)
		}
	}
}
