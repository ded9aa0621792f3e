package awsaccount

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/assay-platform/assay"
)

// missing reports whether err is S3's answer that a bucket has no such
// configuration (a 404 with one of codes).
func missing(err error, codes ...string) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, c := range codes {
		if ae.ErrorCode() == c {
			return true
		}
	}
	return false
}

// readBuckets lists the account's buckets and reads, in each bucket's own
// region, its public access block, default encryption, versioning and
// server access logging.
func readBuckets(ctx context.Context, cfg aws.Config, account string) ([]assay.Resource, error) {
	client := func(region string) *s3.Client {
		return s3.NewFromConfig(cfg, func(o *s3.Options) {
			if region != "" {
				o.Region = region
			}
			o.UsePathStyle = cfg.BaseEndpoint != nil // one endpoint for every bucket
		})
	}
	home := client("")
	var out []assay.Resource
	// MaxBuckets makes S3 answer each bucket's region.
	pages := s3.NewListBucketsPaginator(home, &s3.ListBucketsInput{MaxBuckets: aws.Int32(1000)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, b := range page.Buckets {
			region := aws.ToString(b.BucketRegion)
			if region == "" {
				loc, err := home.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: b.Name})
				if err != nil {
					return nil, err
				}
				if region = string(loc.LocationConstraint); region == "" {
					region = "us-east-1"
				}
			}
			r, err := readBucket(ctx, client(region), account, aws.ToString(b.Name), region)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	return out, nil
}

func readBucket(ctx context.Context, c *s3.Client, account, name, region string) (assay.Resource, error) {
	bucket := aws.String(name)
	blocked := false
	pab, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: bucket})
	switch {
	case missing(err, "NoSuchPublicAccessBlockConfiguration"):
	case err != nil:
		return assay.Resource{}, err
	default:
		p := pab.PublicAccessBlockConfiguration
		blocked = p != nil && aws.ToBool(p.BlockPublicAcls) && aws.ToBool(p.IgnorePublicAcls) && aws.ToBool(p.BlockPublicPolicy) && aws.ToBool(p.RestrictPublicBuckets)
	}
	encryption := "none"
	enc, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: bucket})
	switch {
	case missing(err, "ServerSideEncryptionConfigurationNotFoundError"):
	case err != nil:
		return assay.Resource{}, err
	default:
		if enc.ServerSideEncryptionConfiguration != nil {
			for _, rule := range enc.ServerSideEncryptionConfiguration.Rules {
				if d := rule.ApplyServerSideEncryptionByDefault; d != nil && d.SSEAlgorithm != "" {
					encryption = string(d.SSEAlgorithm)
					break
				}
			}
		}
	}
	ver, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: bucket})
	if err != nil {
		return assay.Resource{}, err
	}
	versioning := string(ver.Status)
	if versioning == "" {
		versioning = "Disabled" // never enabled
	}
	lg, err := c.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: bucket})
	if err != nil {
		return assay.Resource{}, err
	}
	return assay.Resource{Kind: KindBucket, ID: "arn:aws:s3:::" + name, Name: name, Attrs: map[string]any{
		"account_id":            account,
		"bucket":                name,
		"region":                region,
		"public_access_blocked": blocked,
		"encryption":            encryption,
		"encrypted":             encryption != "none",
		"versioning":            versioning,
		"logging":               lg.LoggingEnabled != nil && aws.ToString(lg.LoggingEnabled.TargetBucket) != "",
	}}, nil
}
