package awsaccount

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"

	"github.com/assay-platform/assay"
)

// readRegion reads one region's trails, database instances, security
// groups, customer managed keys and GuardDuty detector; multiRegion is
// set when a multi-region trail (wherever it lives) is logging.
func readRegion(ctx context.Context, cfg aws.Config, account string, multiRegion *bool) ([]assay.Resource, error) {
	trails := func(ctx context.Context, cfg aws.Config, account string) ([]assay.Resource, error) {
		return readTrails(ctx, cfg, account, multiRegion)
	}
	var out []assay.Resource
	for _, read := range []func(context.Context, aws.Config, string) ([]assay.Resource, error){
		trails, readDBInstances, readSecurityGroups, readKeys, readGuardDuty,
	} {
		res, err := read(ctx, cfg, account)
		if err != nil {
			return nil, err
		}
		out = append(out, res...)
	}
	return out, nil
}

// readTrails reads the trails that apply to this region and whether each
// is logging. A trail is a resource in its home region only; a
// multi-region trail living in a region not read still counts for the
// account (its shadow is listed here).
func readTrails(ctx context.Context, cfg aws.Config, account string, multiRegion *bool) ([]assay.Resource, error) {
	c := cloudtrail.NewFromConfig(cfg)
	trails, err := c.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
	if err != nil {
		return nil, err
	}
	var out []assay.Resource
	for _, t := range trails.TrailList {
		home := aws.ToString(t.HomeRegion)
		if home != "" && home != cfg.Region && !aws.ToBool(t.IsMultiRegionTrail) {
			continue
		}
		st, err := c.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: t.TrailARN})
		if err != nil {
			return nil, err
		}
		if aws.ToBool(t.IsMultiRegionTrail) && aws.ToBool(st.IsLogging) {
			*multiRegion = true
		}
		if home != "" && home != cfg.Region {
			continue // a shadow: the trail is reported where it lives
		}
		out = append(out, assay.Resource{Kind: KindTrail, ID: aws.ToString(t.TrailARN), Name: aws.ToString(t.Name), Attrs: map[string]any{
			"account_id":          account,
			"region":              cfg.Region,
			"multi_region":        aws.ToBool(t.IsMultiRegionTrail),
			"log_file_validation": aws.ToBool(t.LogFileValidationEnabled),
			"logging":             aws.ToBool(st.IsLogging),
			"kms_encrypted":       aws.ToString(t.KmsKeyId) != "",
		}})
	}
	return out, nil
}

func readDBInstances(ctx context.Context, cfg aws.Config, account string) ([]assay.Resource, error) {
	var out []assay.Resource
	pages := rds.NewDescribeDBInstancesPaginator(rds.NewFromConfig(cfg), &rds.DescribeDBInstancesInput{MaxRecords: aws.Int32(100)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, db := range page.DBInstances {
			out = append(out, assay.Resource{Kind: KindDBInstance, ID: aws.ToString(db.DBInstanceArn), Name: aws.ToString(db.DBInstanceIdentifier), Attrs: map[string]any{
				"account_id":              account,
				"region":                  cfg.Region,
				"engine":                  aws.ToString(db.Engine),
				"storage_encrypted":       aws.ToBool(db.StorageEncrypted),
				"publicly_accessible":     aws.ToBool(db.PubliclyAccessible),
				"backup_retention_period": int64(aws.ToInt32(db.BackupRetentionPeriod)),
				"is_replica":              aws.ToString(db.ReadReplicaSourceDBInstanceIdentifier) != "",
				"deletion_protection":     aws.ToBool(db.DeletionProtection),
			}})
		}
	}
	return out, nil
}

// webPorts are the ports a public web service is meant to open.
var webPorts = []int32{80, 443}

// worldOpen lists a group's ingress open to 0.0.0.0/0 or ::/0 other than
// HTTP and HTTPS: "tcp/22", "tcp/3000-3999", "udp/all", "all".
func worldOpen(perms []ec2types.IpPermission) []any {
	out := []any{}
	for _, p := range perms {
		world := slices.ContainsFunc(p.IpRanges, func(r ec2types.IpRange) bool { return aws.ToString(r.CidrIp) == "0.0.0.0/0" }) ||
			slices.ContainsFunc(p.Ipv6Ranges, func(r ec2types.Ipv6Range) bool { return aws.ToString(r.CidrIpv6) == "::/0" })
		if !world {
			continue
		}
		proto := aws.ToString(p.IpProtocol)
		from, to := aws.ToInt32(p.FromPort), aws.ToInt32(p.ToPort)
		switch {
		case proto == "-1":
			out = append(out, "all")
		case proto == "tcp" && from == to && slices.Contains(webPorts, from):
		case proto == "icmp" || proto == "icmpv6" || proto == "1" || proto == "58":
		case from == to:
			out = append(out, fmt.Sprintf("%s/%d", proto, from))
		case from <= 0 && (to <= 0 || to == 65535):
			out = append(out, proto+"/all")
		default:
			out = append(out, fmt.Sprintf("%s/%d-%d", proto, from, to))
		}
	}
	return out
}

func readSecurityGroups(ctx context.Context, cfg aws.Config, account string) ([]assay.Resource, error) {
	var out []assay.Resource
	pages := ec2.NewDescribeSecurityGroupsPaginator(ec2.NewFromConfig(cfg), &ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(1000)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, g := range page.SecurityGroups {
			id := aws.ToString(g.GroupId)
			out = append(out, assay.Resource{Kind: KindSecurityGroup, ID: account + "/" + cfg.Region + "/" + id, Name: aws.ToString(g.GroupName) + " (" + id + ")", Attrs: map[string]any{
				"account_id":       account,
				"region":           cfg.Region,
				"group_id":         id,
				"vpc_id":           aws.ToString(g.VpcId),
				"world_open_ports": worldOpen(g.IpPermissions),
			}})
		}
	}
	return out, nil
}

// readKeys reads the customer managed keys (AWS managed keys rotate on
// their own) and, for those that can rotate, whether they do.
func readKeys(ctx context.Context, cfg aws.Config, account string) ([]assay.Resource, error) {
	c := kms.NewFromConfig(cfg)
	var out []assay.Resource
	pages := kms.NewListKeysPaginator(c, &kms.ListKeysInput{Limit: aws.Int32(1000)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, k := range page.Keys {
			d, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: k.KeyId})
			if err != nil {
				return nil, err
			}
			m := d.KeyMetadata
			if m == nil || m.KeyManager != kmstypes.KeyManagerTypeCustomer {
				continue
			}
			rotatable := m.KeyState == kmstypes.KeyStateEnabled && m.KeySpec == kmstypes.KeySpecSymmetricDefault && m.Origin == kmstypes.OriginTypeAwsKms
			rotating := false
			if rotatable {
				st, err := c.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: k.KeyId})
				if err != nil {
					return nil, err
				}
				rotating = st.KeyRotationEnabled
			}
			name := aws.ToString(m.Description)
			if name == "" {
				name = aws.ToString(m.KeyId)
			}
			out = append(out, assay.Resource{Kind: KindKey, ID: aws.ToString(m.Arn), Name: name, Attrs: map[string]any{
				"account_id":       account,
				"region":           cfg.Region,
				"key_id":           aws.ToString(m.KeyId),
				"state":            string(m.KeyState),
				"spec":             string(m.KeySpec),
				"rotatable":        rotatable,
				"rotation_enabled": rotating,
			}})
		}
	}
	return out, nil
}

// readGuardDuty reads whether the region has a GuardDuty detector that is
// enabled.
func readGuardDuty(ctx context.Context, cfg aws.Config, account string) ([]assay.Resource, error) {
	c := guardduty.NewFromConfig(cfg)
	var ids []string
	pages := guardduty.NewListDetectorsPaginator(c, &guardduty.ListDetectorsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		ids = append(ids, page.DetectorIds...)
	}
	enabled, detector := false, ""
	for _, id := range ids {
		d, err := c.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(id)})
		if err != nil {
			return nil, err
		}
		if detector == "" || d.Status == "ENABLED" {
			detector = id
		}
		enabled = enabled || d.Status == "ENABLED"
	}
	return []assay.Resource{{Kind: KindGuardDuty, ID: account + "/" + cfg.Region + "/guardduty", Name: "GuardDuty in " + cfg.Region + " (" + account + ")", Attrs: map[string]any{
		"account_id":  account,
		"region":      cfg.Region,
		"detector_id": detector,
		"enabled":     enabled,
	}}}, nil
}
