package terraform

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// A plan of AWS resources as Terraform 1.9 and provider v5 write it: values
// known only after apply are absent from planned_values and marked in
// after_unknown, policy documents are jsonencode() or heredoc text, and
// attachments refer to ARNs the plan does not know yet.
func TestAWSPlan(t *testing.T) {
	got := collect(t, "testdata/plan_aws.json")
	want := []string{
		"tf-ecr-scan-on-push aws_ecr_repository.tools",
		"tf-ecr-tag-immutability aws_ecr_repository.tools",
		"tf-eks-control-plane-logging aws_eks_cluster.dev",
		"tf-eks-control-plane-logging aws_eks_cluster.legacy",
		"tf-eks-endpoint-not-public aws_eks_cluster.dev",
		"tf-eks-secrets-encrypted aws_eks_cluster.legacy",
		"tf-iam-group-no-admin-policy aws_iam_group.admins",
		"tf-iam-policy-no-full-admin aws_iam_policy.ops_all_but_buckets",
		"tf-iam-role-no-admin-policy aws_iam_role.ci",
		"tf-iam-role-no-admin-policy aws_iam_role.ops",
		"tf-iam-user-no-admin-policy aws_iam_user.alice",
		"tf-iam-user-no-admin-policy aws_iam_user.deploy",
		"tf-lambda-runtime-supported aws_lambda_function.cron",
		"tf-lambda-url-auth aws_lambda_function_url.hook",
		"tf-lb-listener-https aws_alb_listener.plain",
		"tf-lb-listener-tls-policy aws_lb_listener.legacy_tls",
		"tf-opensearch-encrypted-at-rest aws_elasticsearch_domain.legacy",
		"tf-opensearch-https-enforced aws_elasticsearch_domain.legacy",
		"tf-opensearch-node-to-node-encryption aws_elasticsearch_domain.legacy",
		"tf-s3-bucket-logging aws_s3_bucket.reports",
		"tf-s3-bucket-logging aws_s3_bucket.uploads",
		"tf-s3-bucket-public-access-blocked aws_s3_bucket.reports",
		"tf-s3-bucket-versioning aws_s3_bucket.reports",
		"tf-s3-bucket-versioning aws_s3_bucket.uploads",
	}
	if f := failures(t, got); !slices.Equal(f, want) {
		t.Errorf("failures:\n got %s\nwant %s", strings.Join(f, "\n     "), strings.Join(want, "\n     "))
	}
	attr := func(id, k string) any {
		t.Helper()
		r, ok := got[id]
		if !ok {
			t.Fatalf("%s not collected", id)
		}
		return r.Attrs[k]
	}
	eq := func(id, k string, want any) {
		t.Helper()
		if g := attr(id, k); !equal(g, want) {
			t.Errorf("%s %s = %#v, want %#v", id, k, g, want)
		}
	}

	// S3: encryption left to apply is AWS's default; a configuration wins.
	eq("aws_s3_bucket.uploads", "sse_algorithm", "AES256")
	eq("aws_s3_bucket.uploads", "encryption_source", "aws-default")
	eq("aws_s3_bucket.reports", "sse_algorithm", "aws:kms")
	eq("aws_s3_bucket.reports", "encryption_source", "configured")

	// IAM: who is an administrator, and through what.
	eq("aws_iam_user.deploy", "admin_policies", []any{"inline policy deploy-iam"})
	eq("aws_iam_user.alice", "admin_policies", []any{"group admins"})
	eq("aws_iam_user.alice", "groups", []any{"admins"})
	eq("aws_iam_user.bob", "groups", []any{"readers"})
	eq("aws_iam_user.bob", "admin_policy_attached", false)
	eq("aws_iam_group.readers", "inline_policy_count", int64(1))
	eq("aws_iam_role.ci", "admin_policies", []any{"inline policy ci-everything"})
	eq("aws_iam_role.ops", "admin_policies", []any{"aws_iam_policy.ops_all_but_buckets"})
	eq("aws_iam_role.app", "attached_policies", []any{"arn:aws:iam::aws:policy/PowerUserAccess", "aws_iam_policy.uploads_only"})
	eq("aws_iam_role.app", "inline_policy_count", int64(1))
	eq("aws_iam_role.app", "admin_policy_attached", false)
	eq(`aws_iam_role.svc["search"]`, "inline_policy_count", int64(1))
	eq(`aws_iam_role.svc["billing"]`, "inline_policy_count", int64(0))
	eq("aws_iam_policy.power_user", "admin_access", false)
	eq("aws_iam_policy.uploads_only", "policy_known", false)

	// EKS: AWS's defaults for what the plan leaves to apply.
	eq("aws_eks_cluster.dev", "public_access_cidrs", []any{"0.0.0.0/0"})
	eq("aws_eks_cluster.dev", "secrets_encryption", "aws-default")
	eq("aws_eks_cluster.prod", "secrets_encryption", "kms")
	eq("aws_eks_cluster.prod", "endpoint_open_to_world", false)
	eq("aws_eks_cluster.legacy", "missing_log_types", []any{"authenticator"})
	eq("aws_eks_cluster.legacy", "endpoint_open_to_world", false)

	// Aliases: one kind for both spellings.
	if k := got["aws_elasticsearch_domain.legacy"].Kind; k != "terraform.aws_opensearch_domain" {
		t.Errorf("elasticsearch kind %q", k)
	}
	eq("aws_lambda_function.resize", "runtime_deprecated", false)
	eq("aws_lambda_function.cron", "runtime_deprecated_on", "2024-06-12")

	data, err := os.ReadFile("testdata/plan_aws.json")
	if err != nil {
		t.Fatal(err)
	}
	wantNotes := []string{
		"S3 bucket aws_s3_bucket.uploads has its encryption set only at apply; AWS encrypts every new bucket with SSE-S3 by default since January 2023, so it is judged encrypted (SSE-S3).",
		"IAM policy aws_iam_policy.uploads_only has a document known only after apply, so it was not judged for administrator access.",
	}
	if n := collectNotes(t, data); !slices.Equal(n, wantNotes) {
		t.Errorf("notes:\n got %q\nwant %q", n, wantNotes)
	}
}

// equal compares collected values, lists element by element.
func equal(a, b any) bool {
	la, okA := a.([]any)
	lb, okB := b.([]any)
	if okA || okB {
		return okA && okB && slices.Equal(la, lb)
	}
	return a == b
}
