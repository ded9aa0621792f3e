package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor/collect/awsaccount"
)

// recordedAWS answers the AWS collector's signed requests from answers
// recorded for the demo, keyed by "service Action" (the service from the
// SigV4 credential scope, the action from the Query form, the JSON
// target or the REST path), so the demo's AWS source is collected by the
// real SDK and collector without the network. Written for the demo, not
// taken from any real account.
type recordedAWS map[string]string

var demoScope = regexp.MustCompile(`Credential=[^/]+/\d{8}/[a-z0-9-]+/([a-z0-9-]+)/aws4_request`)

func (r recordedAWS) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	service := ""
	if m := demoScope.FindStringSubmatch(req.Header.Get("Authorization")); m != nil {
		service = m[1]
	}
	action := ""
	q := req.URL.Query()
	switch {
	case req.Header.Get("X-Amz-Target") != "":
		_, action, _ = strings.Cut(req.Header.Get("X-Amz-Target"), ".")
		var in struct{ KeyId string }
		if json.Unmarshal(body, &in) == nil && in.KeyId != "" {
			action += " " + in.KeyId
		}
	case service == "guardduty" && req.URL.Path == "/detector":
		action = "ListDetectors"
	case service == "guardduty":
		action = "GetDetector"
	case service == "s3":
		action = "ListBuckets" // GET / on the service's host, without a subresource
		for _, sub := range []string{"publicAccessBlock", "encryption", "versioning", "logging"} {
			if _, ok := q[sub]; ok {
				bucket, _, _ := strings.Cut(strings.TrimPrefix(req.URL.Path, "/"), "/")
				if bucket == "" { // virtual-hosted style
					bucket, _, _ = strings.Cut(req.URL.Host, ".s3.")
				}
				action = sub + " " + bucket
			}
		}
	default:
		form, _ := url.ParseQuery(string(body))
		action = form.Get("Action")
		if u := form.Get("UserName"); u != "" {
			action += " " + u
		}
		if k := form.Get("AccessKeyId"); k != "" {
			action += " " + k
		}
	}
	status, text := http.StatusOK, ""
	if v, ok := r[service+" "+action]; ok {
		text = v
		if strings.HasPrefix(v, "404 ") {
			status, text = http.StatusNotFound, strings.TrimPrefix(v, "404 ")
		}
	} else {
		status, text = http.StatusBadRequest, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>not recorded: `+service+" "+action+`</Message></Error></ErrorResponse>`
	}
	ct := "text/xml"
	if strings.HasPrefix(text, "{") {
		ct = "application/x-amz-json-1.1"
	}
	return &http.Response{StatusCode: status, Status: http.StatusText(status), Header: http.Header{"Content-Type": {ct}},
		Body: io.NopCloser(strings.NewReader(text)), ContentLength: int64(len(text)), Request: req, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}, nil
}

// demoAWS is the demo's AWS account: four IAM users (one without MFA,
// one with a key a year old), two buckets, and in us-east-1 a trail, two
// databases (one public), two security groups (one with SSH open to the
// world), two keys and GuardDuty. Few failures: each adds an exception to
// the audit page, which stays under 200 KB.
func demoAWS(now time.Time) recordedAWS {
	ts := func(daysAgo int) string { return now.AddDate(0, 0, -daysAgo).UTC().Format(time.RFC3339) }
	q := func(action, inner string) string {
		return fmt.Sprintf(`<%[1]sResponse><%[1]sResult>%[2]s</%[1]sResult><ResponseMetadata><RequestId>demo</RequestId></ResponseMetadata></%[1]sResponse>`, action, inner)
	}
	const acct = "210987654321"
	rec := recordedAWS{
		"sts GetCallerIdentity":        q("GetCallerIdentity", `<Arn>arn:aws:iam::`+acct+`:user/assay-reader</Arn><UserId>AIDADEMO</UserId><Account>`+acct+`</Account>`),
		"iam GetAccountSummary":        q("GetAccountSummary", `<SummaryMap><entry><key>AccountMFAEnabled</key><value>1</value></entry><entry><key>AccountAccessKeysPresent</key><value>0</value></entry></SummaryMap>`),
		"iam GetAccountPasswordPolicy": q("GetAccountPasswordPolicy", `<PasswordPolicy><MinimumPasswordLength>14</MinimumPasswordLength><PasswordReusePrevention>24</PasswordReusePrevention><RequireSymbols>true</RequireSymbols></PasswordPolicy>`),
		"s3 ListBuckets": `<ListAllMyBucketsResult><Buckets><Bucket><Name>northwind-app-uploads</Name><BucketRegion>us-east-1</BucketRegion></Bucket>` +
			`<Bucket><Name>northwind-marketing-site</Name><BucketRegion>us-east-1</BucketRegion></Bucket></Buckets></ListAllMyBucketsResult>`,
		"cloudtrail DescribeTrails": `{"trailList":[{"Name":"northwind-org","TrailARN":"arn:aws:cloudtrail:us-east-1:` + acct + `:trail/northwind-org","HomeRegion":"us-east-1","IsMultiRegionTrail":true,"LogFileValidationEnabled":true,"KmsKeyId":"k-logs"}]}`,
		"cloudtrail GetTrailStatus": `{"IsLogging":true}`,
		"rds DescribeDBInstances": q("DescribeDBInstances", `<DBInstances>`+
			`<DBInstance><DBInstanceIdentifier>ledger-prod</DBInstanceIdentifier><DBInstanceArn>arn:aws:rds:us-east-1:`+acct+`:db:ledger-prod</DBInstanceArn><Engine>postgres</Engine><StorageEncrypted>true</StorageEncrypted><PubliclyAccessible>false</PubliclyAccessible><BackupRetentionPeriod>14</BackupRetentionPeriod><DeletionProtection>true</DeletionProtection></DBInstance>`+
			`<DBInstance><DBInstanceIdentifier>analytics-scratch</DBInstanceIdentifier><DBInstanceArn>arn:aws:rds:us-east-1:`+acct+`:db:analytics-scratch</DBInstanceArn><Engine>mysql</Engine><StorageEncrypted>true</StorageEncrypted><PubliclyAccessible>true</PubliclyAccessible><BackupRetentionPeriod>7</BackupRetentionPeriod></DBInstance></DBInstances>`),
		"ec2 DescribeSecurityGroups": `<DescribeSecurityGroupsResponse><securityGroupInfo>` +
			`<item><groupId>sg-0a11web</groupId><groupName>web-alb</groupName><vpcId>vpc-0demo</vpcId><ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>443</fromPort><toPort>443</toPort><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges></item></ipPermissions></item>` +
			`<item><groupId>sg-0b22ssh</groupId><groupName>legacy-bastion</groupName><vpcId>vpc-0demo</vpcId><ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>22</fromPort><toPort>22</toPort><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges></item></ipPermissions></item>` +
			`</securityGroupInfo></DescribeSecurityGroupsResponse>`,
		"kms ListKeys":                      `{"Keys":[{"KeyId":"k-logs"},{"KeyId":"k-ledger"}],"Truncated":false}`,
		"kms DescribeKey k-logs":            `{"KeyMetadata":{"KeyId":"k-logs","Arn":"arn:aws:kms:us-east-1:` + acct + `:key/k-logs","Description":"audit logs","KeyManager":"CUSTOMER","KeyState":"Enabled","KeySpec":"SYMMETRIC_DEFAULT","Origin":"AWS_KMS"}}`,
		"kms GetKeyRotationStatus k-logs":   `{"KeyRotationEnabled":true}`,
		"kms DescribeKey k-ledger":          `{"KeyMetadata":{"KeyId":"k-ledger","Arn":"arn:aws:kms:us-east-1:` + acct + `:key/k-ledger","Description":"ledger data","KeyManager":"CUSTOMER","KeyState":"Enabled","KeySpec":"SYMMETRIC_DEFAULT","Origin":"AWS_KMS"}}`,
		"kms GetKeyRotationStatus k-ledger": `{"KeyRotationEnabled":true}`,
		"guardduty ListDetectors":           `{"detectorIds":["6ab2demo"]}`,
		"guardduty GetDetector":             `{"status":"ENABLED"}`,
	}
	users := ""
	for _, u := range []struct {
		name           string
		console, mfa   bool
		keyDays, usedD int
		pwDays         int
	}{{"dana.ops", true, true, 0, 0, 0}, {"sam.dev", true, false, 0, 0, 2}, {"ci-release", false, false, 380, 1, -1}, {"lena.old", true, true, 0, 0, 12}} {
		users += `<member><UserName>` + u.name + `</UserName><Arn>arn:aws:iam::` + acct + `:user/` + u.name + `</Arn><CreateDate>` + ts(900) + `</CreateDate>`
		if u.pwDays >= 0 {
			users += `<PasswordLastUsed>` + ts(u.pwDays) + `</PasswordLastUsed>`
		}
		users += `</member>`
		mfa := ""
		if u.mfa {
			mfa = `<member><UserName>` + u.name + `</UserName><SerialNumber>arn:aws:iam::` + acct + `:mfa/` + u.name + `</SerialNumber></member>`
		}
		rec["iam ListMFADevices "+u.name] = q("ListMFADevices", `<MFADevices>`+mfa+`</MFADevices><IsTruncated>false</IsTruncated>`)
		keys := ""
		if u.keyDays > 0 {
			id := "AKIADEMO" + strings.ToUpper(strings.ReplaceAll(u.name, "-", ""))
			keys = `<member><AccessKeyId>` + id + `</AccessKeyId><Status>Active</Status><CreateDate>` + ts(u.keyDays) + `</CreateDate></member>`
			rec["iam GetAccessKeyLastUsed "+id] = q("GetAccessKeyLastUsed", `<AccessKeyLastUsed><LastUsedDate>`+ts(u.usedD)+`</LastUsedDate><ServiceName>s3</ServiceName><Region>us-east-1</Region></AccessKeyLastUsed>`)
		}
		rec["iam ListAccessKeys "+u.name] = q("ListAccessKeys", `<AccessKeyMetadata>`+keys+`</AccessKeyMetadata><IsTruncated>false</IsTruncated>`)
		rec["iam GetLoginProfile "+u.name] = `404 <ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>no login profile</Message></Error></ErrorResponse>`
		if u.console {
			rec["iam GetLoginProfile "+u.name] = q("GetLoginProfile", `<LoginProfile><UserName>`+u.name+`</UserName></LoginProfile>`)
		}
	}
	rec["iam ListUsers"] = q("ListUsers", `<IsTruncated>false</IsTruncated><Users>`+users+`</Users>`)
	for _, b := range []struct{ name, pab, sse, versioning, logging string }{
		{"northwind-app-uploads", "true", "aws:kms", "Enabled", "<LoggingEnabled><TargetBucket>northwind-logs</TargetBucket><TargetPrefix>uploads/</TargetPrefix></LoggingEnabled>"},
		{"northwind-marketing-site", "true", "AES256", "Enabled", "<LoggingEnabled><TargetBucket>northwind-logs</TargetBucket><TargetPrefix>site/</TargetPrefix></LoggingEnabled>"},
	} {
		rec["s3 publicAccessBlock "+b.name] = `404 <Error><Code>NoSuchPublicAccessBlockConfiguration</Code><Message>The public access block configuration was not found</Message></Error>`
		if b.pab != "" {
			rec["s3 publicAccessBlock "+b.name] = `<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`
		}
		rec["s3 encryption "+b.name] = `<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>` + b.sse + `</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>`
		rec["s3 versioning "+b.name] = `<VersioningConfiguration>` + b.versioning + `</VersioningConfiguration>`
		if b.versioning != "" {
			rec["s3 versioning "+b.name] = `<VersioningConfiguration><Status>` + b.versioning + `</Status></VersioningConfiguration>`
		}
		rec["s3 logging "+b.name] = `<BucketLoggingStatus>` + b.logging + `</BucketLoggingStatus>`
	}
	return rec
}

// demoAWSSource is the demo's AWS source, collected through demoAWS.
func demoAWSSource(now time.Time) demoSource {
	return demoSource{name: "AWS", kind: "aws", fixedUntil: map[string]int{"aws-iam-user-console-mfa": 3, "aws-rds-not-public": 1, "*": 14},
		settings: map[string]string{awsaccount.SettingRegions: "us-east-1"},
		live:     &awsaccount.Collector{Clock: &assay.FixedClock{T: now}, Sleep: noSleep, Base: demoAWS(now)},
		secrets:  map[string]string{awsaccount.SecretAccessKeyID: "AKIADEMORECORDED0001", awsaccount.SecretSecretKey: "recorded"}}
}
