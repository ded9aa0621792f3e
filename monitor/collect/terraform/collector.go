// Package terraform collects resources from `terraform show -json` output,
// of a plan (planned_values, resource_changes) or of a state (values). Each
// managed resource becomes one resource of kind "terraform.<type>" keyed
// by its address, with its values plus derived attributes that join the
// pieces providers split over several resources (an S3 bucket and its
// encryption, public access block, versioning and logging resources; a
// security group, network security group or firewall and its rules; an
// IAM user, role or group and its policies, attachments, memberships and
// access keys) and take the provider's documented defaults for what a
// plan leaves out or to apply. What it could not judge it says in the
// run's notes (notes.go).
package terraform

import (
	"context"
	"sort"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

// KindPrefix starts every resource kind this collector produces.
const KindPrefix = "terraform."

// derivedKinds are the kinds the library's checks look at; any other
// managed resource is emitted too, as "terraform.<type>" with its values.
var derivedKinds = []string{
	"aws_s3_bucket", "aws_db_instance", "aws_rds_cluster", "aws_security_group",
	"aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_cloudtrail",
	"aws_kms_key", "aws_iam_account_password_policy", "aws_ebs_volume",
	"aws_ebs_encryption_by_default", "aws_instance", "aws_iam_user", "aws_iam_role",
	"aws_iam_group", "aws_iam_policy", "aws_lb_listener", "aws_eks_cluster",
	"aws_opensearch_domain", "aws_lambda_function", "aws_lambda_function_url",
	"aws_ecr_repository",
	"google_storage_bucket", "google_sql_database_instance", "google_compute_firewall",
	"google_kms_crypto_key",
	"azurerm_storage_account", "azurerm_mssql_server", "azurerm_network_security_group",
	"azurerm_network_security_rule", "azurerm_key_vault",
}

type collector struct{ clock assay.Clock }

// New returns the Terraform collector on the system clock.
func New() monitor.Collector { return collector{clock: assay.SystemClock{}} }

// NewWithClock returns the Terraform collector judging dates (a Lambda
// runtime's deprecation) against clock.
func NewWithClock(clock assay.Clock) monitor.Collector { return collector{clock: clock} }

func (collector) Kind() string { return "terraform" }

// ResourceKinds lists the kinds with derived attributes and library
// checks. Other "terraform.<type>" kinds appear as the document has them.
func (collector) ResourceKinds() []string {
	out := make([]string, len(derivedKinds))
	for i, k := range derivedKinds {
		out[i] = KindPrefix + k
	}
	sort.Strings(out)
	return out
}

// Validate accepts any settings; when a document is attached it must parse.
func (c collector) Validate(cfg monitor.Config) error {
	if len(cfg.Input) == 0 {
		return nil
	}
	_, err := Parse(cfg.Input, c.clock.Now())
	return err
}

// Collect reads the document and tells the run what it could not judge
// (monitor.Note): a document with nothing of a type the checks judge, and
// values taken as the provider's default because the plan leaves them to
// apply.
func (c collector) Collect(ctx context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	if len(cfg.Input) == 0 {
		return nil, assay.Invalid("input", "no Terraform document was uploaded: upload the output of `terraform show -json`")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d, out, err := parse(cfg.Input, c.clock.Now())
	if err != nil {
		return nil, err
	}
	for _, n := range d.notes() {
		monitor.Note(ctx, "%s", n)
	}
	return out, nil
}

// Parse turns `terraform show -json` output into resources, sorted by
// address, judging dates against now.
func Parse(data []byte, now time.Time) ([]assay.Resource, error) {
	_, out, err := parse(data, now)
	return out, err
}

func parse(data []byte, now time.Time) (*doc, []assay.Resource, error) {
	d, err := load(data)
	if err != nil {
		return nil, nil, err
	}
	d.now = now
	d.derive()
	out := make([]assay.Resource, 0, len(d.resources))
	for _, r := range d.resources {
		out = append(out, assay.Resource{
			Kind:  KindPrefix + kindAlias(r.Type),
			ID:    r.Address,
			Name:  r.Address,
			Attrs: r.Values,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return d, out, nil
}

// kindAlias folds the provider's old alias types into one kind, so one
// check covers both spellings.
func kindAlias(t string) string {
	switch t {
	case "aws_alb_listener":
		return "aws_lb_listener"
	case "aws_alb":
		return "aws_lb"
	case "aws_elasticsearch_domain":
		return "aws_opensearch_domain"
	}
	return t
}

// derive sets the derived attributes, provider by provider.
func (d *doc) derive() {
	d.deriveS3()
	d.deriveNetwork()
	d.deriveDatabases()
	d.deriveAWSMisc()
	d.deriveIAM()
	d.deriveEKS()
	d.deriveOpenSearch()
	d.deriveLambda()
	d.deriveECR()
	d.deriveGCPStorage()
	d.deriveGCPSQL()
	d.deriveGCPFirewall()
	d.deriveGCPKMS()
	d.deriveAzureStorage()
	d.deriveAzureSQL()
	d.deriveAzureNetwork()
	d.deriveAzureKeyVault()
}
