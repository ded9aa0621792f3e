// Package awsaccount is the "aws" collector: it reads one AWS account, and
// the accounts it may assume a role in, through the official SDK
// (github.com/aws/aws-sdk-go-v2) with read-only permissions: IAM users
// with their MFA, access keys and console access ("aws.iam_user"), the
// root user's MFA and keys and the password policy ("aws.account"), S3
// buckets ("aws.s3_bucket"), and per region CloudTrail trails
// ("aws.cloudtrail_trail"), RDS instances ("aws.rds_instance"), security
// groups ("aws.security_group"), customer managed KMS keys
// ("aws.kms_key") and GuardDuty ("aws.guardduty"). The secret access key
// and the session credentials never appear in a resource, a note, an
// error or the raw responses kept as evidence.
package awsaccount

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/apiclient"
)

// Resource kinds this collector produces.
const (
	KindAccount       = "aws.account"
	KindUser          = "aws.iam_user"
	KindBucket        = "aws.s3_bucket"
	KindTrail         = "aws.cloudtrail_trail"
	KindDBInstance    = "aws.rds_instance"
	KindSecurityGroup = "aws.security_group"
	KindKey           = "aws.kms_key"
	KindGuardDuty     = "aws.guardduty"
)

// Version names this collector in a run's provenance.
const Version = "aws/1"

// Settings and secret names.
const (
	SettingRegions     = "regions"      // us-east-1 (default), or several separated by commas
	SettingAssumeRoles = "assume_roles" // role ARNs in other accounts, separated by commas
	SettingExternalID  = "external_id"  // the external ID those roles' trust policies ask for
	SettingEndpoint    = "endpoint"     // one base URL for every service (LocalStack, a test); AWS's own by default
	SecretAccessKeyID  = "access_key_id"
	SecretSecretKey    = "secret_access_key"
	SecretSessionToken = "session_token"
)

// Collector reads AWS accounts. Use New, NewWithClock or a literal with
// Clock set.
type Collector struct {
	Clock assay.Clock
	// Sleep, when set, takes the SDK's waits between retries (tests record
	// them; nil lets the SDK wait).
	Sleep apiclient.Sleeper
	// Base carries the requests (nil: http.DefaultTransport).
	Base http.RoundTripper
}

// New returns the collector on the system clock.
func New() monitor.Collector { return NewWithClock(assay.SystemClock{}) }

// NewWithClock returns the collector measuring key and login ages by clock.
func NewWithClock(clock assay.Clock) monitor.Collector { return &Collector{Clock: clock} }

func (*Collector) Kind() string { return "aws" }
func (*Collector) ResourceKinds() []string {
	return []string{KindAccount, KindUser, KindBucket, KindTrail, KindDBInstance, KindSecurityGroup, KindKey, KindGuardDuty}
}

// Validate checks the regions, role ARNs and endpoint; the keys are
// optional (the default credential chain is used without them) but go
// together.
func (*Collector) Validate(cfg monitor.Config) error {
	_, err := read(cfg)
	return err
}

type settings struct {
	regions    []string
	roles      []string
	externalID string
	endpoint   string
	keyID      string
	secret     string
	token      string
}

var (
	regionRe = regexp.MustCompile(`^[a-z]{2}(-[a-z0-9]+)+-[0-9]+$`)
	roleRe   = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+$`)
)

func fields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

func read(cfg monitor.Config) (settings, error) {
	var s settings
	s.regions = fields(cfg.Settings[SettingRegions])
	if len(s.regions) == 0 {
		s.regions = []string{"us-east-1"}
	}
	seen := map[string]bool{}
	for _, r := range s.regions {
		if !regionRe.MatchString(r) {
			return s, assay.Invalid(SettingRegions, "regions: %q is not an AWS region code such as us-east-1 or eu-west-2", r)
		}
		if seen[r] {
			return s, assay.Invalid(SettingRegions, "regions: %s is given twice", r)
		}
		seen[r] = true
	}
	for _, r := range fields(cfg.Settings[SettingAssumeRoles]) {
		if !roleRe.MatchString(r) {
			return s, assay.Invalid(SettingAssumeRoles, "assume_roles: %q is not an IAM role ARN such as arn:aws:iam::123456789012:role/AssayReadOnly", r)
		}
		s.roles = append(s.roles, r)
	}
	s.externalID = strings.TrimSpace(cfg.Settings[SettingExternalID])
	if ep := strings.TrimSpace(cfg.Settings[SettingEndpoint]); ep != "" {
		u, err := url.Parse(ep)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" {
			return s, assay.Invalid(SettingEndpoint, "endpoint must be an http(s) base URL, such as http://localhost:4566")
		}
		s.endpoint = strings.TrimSuffix(u.String(), "/")
	}
	s.keyID = strings.TrimSpace(cfg.Secrets[SecretAccessKeyID])
	s.secret = strings.TrimSpace(cfg.Secrets[SecretSecretKey])
	s.token = strings.TrimSpace(cfg.Secrets[SecretSessionToken])
	if (s.keyID == "") != (s.secret == "") {
		if s.keyID == "" {
			return s, assay.Invalid(SecretAccessKeyID, "the secret access_key_id goes with secret_access_key: give both, or neither to use the default credential chain")
		}
		return s, assay.Invalid(SecretSecretKey, "the secret secret_access_key goes with access_key_id: give both, or neither to use the default credential chain")
	}
	return s, nil
}

// awsConfig is the SDK configuration of the first account: its
// credentials, the recording HTTP client, the endpoint and the retryer.
func (c *Collector) awsConfig(ctx context.Context, s settings, hc *http.Client) (aws.Config, error) {
	var cfg aws.Config
	if s.keyID != "" {
		cfg = aws.Config{Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(s.keyID, s.secret, s.token))}
	} else {
		var err error
		if cfg, err = awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(s.regions[0])); err != nil {
			return cfg, fmt.Errorf("%w: no access key was given and the default credential chain cannot be read: %v", apiclient.ErrPartial, err)
		}
	}
	cfg.Region = s.regions[0]
	cfg.HTTPClient = hc
	if s.endpoint != "" {
		cfg.BaseEndpoint = aws.String(s.endpoint)
	}
	cfg.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 8
			o.RateLimiter = ratelimit.None // a large account's throttling must not exhaust a retry budget
			o.Backoff = &backoff{inner: retry.NewExponentialJitterBackoff(20e9), sleep: c.Sleep}
		})
	}
	return cfg, nil
}

// Collect reads the account of the credentials and then each role's
// account. Any call that still fails after its retries fails the whole
// collection.
func (c *Collector) Collect(ctx context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	s, err := read(cfg)
	if err != nil {
		return nil, err
	}
	log := &apiclient.Log{}
	hc := &http.Client{Transport: &recorder{base: c.Base, log: log}}
	base, err := c.awsConfig(ctx, s, hc)
	if err != nil {
		return nil, err
	}
	now := c.Clock.Now()
	var res []assay.Resource
	accounts := []string{}
	for i := -1; i < len(s.roles); i++ {
		acfg := base.Copy()
		who := "the source's credentials"
		if i >= 0 {
			role := s.roles[i]
			who = "role " + role
			acfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(base), role, func(o *stscreds.AssumeRoleOptions) {
				o.RoleSessionName = "assay-collector"
				if s.externalID != "" {
					o.ExternalID = aws.String(s.externalID)
				}
			}))
		}
		out, err := collectAccount(ctx, acfg, s.regions, now)
		if err != nil {
			return nil, fmt.Errorf("%w (as %s)", redact(err, s), who)
		}
		accounts = append(accounts, out.account)
		res = append(res, out.resources...)
	}
	endpoint := s.endpoint
	if endpoint == "" {
		endpoint = "https://*.amazonaws.com"
	}
	p := apiclient.Provenance{Collector: Version, Endpoint: endpoint, Requests: len(log.Entries()), Rows: len(res), Responses: log.Entries()}
	doc, sum, err := p.Document()
	if err != nil {
		return nil, err
	}
	if cfg.Keep != nil {
		if sum, err = cfg.Keep(ctx, doc); err != nil {
			return nil, fmt.Errorf("keep the raw responses: %w", err)
		}
	}
	monitor.Note(ctx, "Read AWS account %s (regions %s) at %s with collector %s: %d requests, %d resources; raw responses kept as blob sha256:%s.",
		strings.Join(accounts, ", "), strings.Join(s.regions, ", "), endpoint, Version, p.Requests, p.Rows, sum)
	return res, nil
}
