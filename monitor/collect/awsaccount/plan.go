package awsaccount

import (
	"strings"

	"github.com/assay-platform/assay/monitor"
)

// Plan lists the requests a collection makes, in order, without sending
// them: each account (the credentials' own, then each role's) is read the
// same way, every list to its last page.
func (*Collector) Plan(cfg monitor.Config) ([]string, error) {
	s, err := read(cfg)
	if err != nil {
		return nil, err
	}
	at := func(service, region string) string {
		if s.endpoint != "" {
			return s.endpoint
		}
		switch service {
		case "iam":
			return "https://iam.amazonaws.com"
		case "s3":
			return "https://s3." + region + ".amazonaws.com"
		}
		return "https://" + service + "." + region + ".amazonaws.com"
	}
	home := s.regions[0]
	creds := "access key " + s.keyID + " (the secret key signs; it is never sent)"
	if s.keyID == "" {
		creds = "the default credential chain (environment, shared files, instance or task role)"
	}
	lines := []string{"credentials: " + creds + "; every request signed with Signature Version 4"}
	for _, r := range s.roles {
		ext := ""
		if s.externalID != "" {
			ext = ", ExternalId=" + s.externalID
		}
		lines = append(lines, "POST "+at("sts", home)+" Action=AssumeRole (RoleArn="+r+", RoleSessionName=assay-collector"+ext+"): then every request below again as that role")
	}
	lines = append(lines,
		"POST "+at("sts", home)+" Action=GetCallerIdentity",
		"POST "+at("iam", home)+" Action=GetAccountSummary, then Action=GetAccountPasswordPolicy",
		"POST "+at("iam", home)+" Action=ListUsers&MaxItems=1000 (every page, by Marker)",
		"POST "+at("iam", home)+" Action=ListMFADevices, Action=ListAccessKeys, Action=GetLoginProfile (each user), Action=GetAccessKeyLastUsed (each active key)",
		"GET "+at("s3", home)+"/?max-buckets=1000 (ListBuckets, every page by continuation-token)",
		"GET "+at("s3", "BUCKET_REGION")+"/BUCKET?publicAccessBlock, ?encryption, ?versioning, ?logging (each bucket, in its region)",
	)
	for _, region := range s.regions {
		lines = append(lines,
			"region "+region+":",
			"  POST "+at("cloudtrail", region)+" X-Amz-Target: CloudTrail_20131101.DescribeTrails (shadow trails included), then GetTrailStatus (each trail)",
			"  POST "+at("rds", region)+" Action=DescribeDBInstances (every page, by Marker)",
			"  POST "+at("ec2", region)+" Action=DescribeSecurityGroups (every page, by NextToken)",
			"  POST "+at("kms", region)+" X-Amz-Target: TrentService.ListKeys (every page), DescribeKey (each key), GetKeyRotationStatus (each customer managed symmetric key)",
			"  GET "+at("guardduty", region)+"/detector (every page), GET /detector/DETECTOR_ID (each)",
		)
	}
	lines = append(lines, "IAM actions needed: "+strings.Join(Actions, ", "))
	return lines, nil
}

// Actions are the IAM actions the collector uses: the README's policy.
var Actions = []string{
	"iam:GetAccountSummary", "iam:GetAccountPasswordPolicy", "iam:ListUsers", "iam:ListMFADevices", "iam:ListAccessKeys",
	"iam:GetAccessKeyLastUsed", "iam:GetLoginProfile",
	"s3:ListAllMyBuckets", "s3:GetBucketLocation", "s3:GetBucketPublicAccessBlock", "s3:GetEncryptionConfiguration",
	"s3:GetBucketVersioning", "s3:GetBucketLogging",
	"cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
	"rds:DescribeDBInstances", "ec2:DescribeSecurityGroups",
	"kms:ListKeys", "kms:DescribeKey", "kms:GetKeyRotationStatus",
	"guardduty:ListDetectors", "guardduty:GetDetector",
}
