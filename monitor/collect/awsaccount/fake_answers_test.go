package awsaccount

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

type fakeAccount struct {
	id       string
	rootMFA  bool
	rootKeys int
	policy   *fakePolicy
	users    []fakeUser
	buckets  []fakeBucket
	regions  map[string]*fakeRegion
}

type fakePolicy struct{ minLength, reuse, maxAge int }

type fakeUser struct {
	name, created, passwordUsed string
	console                     bool
	mfa                         int
	keys                        []fakeKey
}

type fakeKey struct{ id, status, created, lastUsed string }

type fakeBucket struct {
	name, region    string
	pab             *[4]bool // nil: no public access block
	sse             string   // "": no default encryption configured
	versioning      string   // "": never enabled
	logTo           string
	regionNotInList bool // ListBuckets leaves BucketRegion out (as S3-compatible servers do)
}

type fakeRegion struct {
	trails    []fakeTrail
	dbs       []fakeDB
	groups    []fakeGroup
	keys      []fakeKMS
	detectors map[string]string // detector id → status
}

type fakeTrail struct {
	name, home                 string
	multi, validation, logging bool
	kms                        string
}

type fakeDB struct {
	id, engine        string
	encrypted, public bool
	retention         int
	replicaOf         string
}

type fakeGroup struct{ id, name, perms string } // perms: <ipPermissions> items as EC2 writes them

type fakeKMS struct {
	id, manager, spec, state, origin, desc string
	rotating                               bool
}

// ago is a timestamp days before the tests' now.
func ago(days int) string { return now.AddDate(0, 0, -days).Format(time.RFC3339) }

func (f *fakeAWS) user(a *fakeAccount, name string) *fakeUser {
	for i := range a.users {
		if a.users[i].name == name {
			return &a.users[i]
		}
	}
	return nil
}

var noSuchEntity = func(what string) *fakeFailure {
	return &fakeFailure{404, "NoSuchEntity", what + " cannot be found."}
}

// answer is the documented answer to a call: a status and a body, or a
// failure in the service's error format.
func (f *fakeAWS) answer(c call, a *fakeAccount) (int, string, *fakeFailure) {
	switch c.service {
	case "sts":
		return f.answerSTS(c)
	case "iam":
		return f.answerIAM(c, a)
	case "s3":
		return f.answerS3(c, a)
	}
	reg := a.regions[c.region]
	if reg == nil {
		reg = &fakeRegion{}
	}
	switch c.service + ":" + c.action {
	case "cloudtrail:DescribeTrails":
		shadows := c.json["includeShadowTrails"] != false
		var list []map[string]any
		for _, name := range slices.Sorted(maps.Keys(a.regions)) {
			for _, t := range a.regions[name].trails {
				if t.home != c.region && !(shadows && t.multi) {
					continue
				}
				e := map[string]any{"Name": t.name, "TrailARN": trailARN(a, t), "HomeRegion": t.home, "IsMultiRegionTrail": t.multi,
					"LogFileValidationEnabled": t.validation, "S3BucketName": "trail-logs-" + a.id, "IncludeGlobalServiceEvents": true,
					"IsOrganizationTrail": false, "HasCustomEventSelectors": false, "HasInsightSelectors": false}
				if t.kms != "" {
					e["KmsKeyId"] = t.kms
				}
				list = append(list, e)
			}
		}
		return jsonOK(map[string]any{"trailList": list})
	case "cloudtrail:GetTrailStatus":
		for _, name := range slices.Sorted(maps.Keys(a.regions)) {
			for _, t := range a.regions[name].trails {
				if c.json["Name"] == trailARN(a, t) || c.json["Name"] == t.name {
					return jsonOK(map[string]any{"IsLogging": t.logging, "LatestDeliveryTime": 1.7651e9, "StartLoggingTime": 1.6e9})
				}
			}
		}
		return 0, "", &fakeFailure{400, "TrailNotFoundException", "Unknown trail for this account."}
	case "rds:DescribeDBInstances":
		if n, _ := strconv.Atoi(c.form.Get("MaxRecords")); n < 20 || n > 100 {
			return 0, "", &fakeFailure{400, "InvalidParameterValue", "MaxRecords must be between 20 and 100."}
		}
		items, next := page(reg.dbs, c.form.Get("Marker"), f.pageSize)
		var b strings.Builder
		for _, d := range items {
			fmt.Fprintf(&b, `<DBInstance><DBInstanceIdentifier>%s</DBInstanceIdentifier><DBInstanceArn>arn:aws:rds:%s:%s:db:%s</DBInstanceArn><DBInstanceClass>db.t4g.medium</DBInstanceClass><Engine>%s</Engine><DBInstanceStatus>available</DBInstanceStatus><StorageEncrypted>%t</StorageEncrypted><PubliclyAccessible>%t</PubliclyAccessible><BackupRetentionPeriod>%d</BackupRetentionPeriod><DeletionProtection>true</DeletionProtection><MultiAZ>false</MultiAZ>`,
				d.id, c.region, a.id, d.id, d.engine, d.encrypted, d.public, d.retention)
			if d.replicaOf != "" {
				fmt.Fprintf(&b, `<ReadReplicaSourceDBInstanceIdentifier>%s</ReadReplicaSourceDBInstanceIdentifier>`, d.replicaOf)
			}
			b.WriteString(`</DBInstance>`)
		}
		inner := "<DBInstances>" + b.String() + "</DBInstances>"
		if next != "" {
			inner += "<Marker>" + next + "</Marker>"
		}
		s, d := queryOK(c, inner)
		return s, d, nil
	case "ec2:DescribeSecurityGroups":
		if n, _ := strconv.Atoi(c.form.Get("MaxResults")); n < 5 || n > 1000 {
			return 0, "", &fakeFailure{400, "InvalidParameterValue", "MaxResults must be between 5 and 1000."}
		}
		items, next := page(reg.groups, c.form.Get("NextToken"), f.pageSize)
		var b strings.Builder
		for _, g := range items {
			fmt.Fprintf(&b, `<item><ownerId>%s</ownerId><groupId>%s</groupId><groupName>%s</groupName><groupDescription>%s</groupDescription><vpcId>vpc-0a1b2c3d</vpcId><ipPermissions>%s</ipPermissions><ipPermissionsEgress><item><ipProtocol>-1</ipProtocol><groups/><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item></ipPermissionsEgress></item>`,
				a.id, g.id, x(g.name), x(g.name+" group"), g.perms)
		}
		doc := `<DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>c0ffee00-0000-4000-8000-000000000001</requestId><securityGroupInfo>` + b.String() + `</securityGroupInfo>`
		if next != "" {
			doc += "<nextToken>" + next + "</nextToken>"
		}
		return 200, doc + "</DescribeSecurityGroupsResponse>", nil
	case "kms:ListKeys":
		marker, _ := c.json["Marker"].(string)
		items, next := page(reg.keys, marker, f.pageSize)
		keys := []any{}
		for _, k := range items {
			keys = append(keys, map[string]any{"KeyId": k.id, "KeyArn": keyARN(a, c.region, k)})
		}
		out := map[string]any{"Keys": keys, "Truncated": next != ""}
		if next != "" {
			out["NextMarker"] = next
		}
		return jsonOK(out)
	case "kms:DescribeKey", "kms:GetKeyRotationStatus":
		for _, k := range reg.keys {
			if c.json["KeyId"] != k.id && c.json["KeyId"] != keyARN(a, c.region, k) {
				continue
			}
			if c.action == "DescribeKey" {
				return jsonOK(map[string]any{"KeyMetadata": map[string]any{"AWSAccountId": a.id, "KeyId": k.id, "Arn": keyARN(a, c.region, k),
					"CreationDate": 1.6409952e9, "Enabled": k.state == "Enabled", "Description": k.desc, "KeyUsage": "ENCRYPT_DECRYPT",
					"KeyState": k.state, "Origin": k.origin, "KeyManager": k.manager, "KeySpec": k.spec, "CustomerMasterKeySpec": k.spec,
					"EncryptionAlgorithms": []string{"SYMMETRIC_DEFAULT"}, "MultiRegion": false}})
			}
			if k.spec != "SYMMETRIC_DEFAULT" || k.origin != "AWS_KMS" {
				return 0, "", &fakeFailure{400, "UnsupportedOperationException", "You cannot perform this operation on an asymmetric KMS key or a key with imported material."}
			}
			return jsonOK(map[string]any{"KeyRotationEnabled": k.rotating, "KeyId": keyARN(a, c.region, k)})
		}
		return 0, "", &fakeFailure{400, "NotFoundException", "Key does not exist."}
	case "guardduty:ListDetectors":
		ids := slices.Sorted(maps.Keys(reg.detectors))
		items, next := page(ids, c.r.URL.Query().Get("nextToken"), f.pageSize)
		if items == nil {
			items = []string{}
		}
		return jsonOK(map[string]any{"detectorIds": items, "nextToken": next})
	case "guardduty:GetDetector":
		id := strings.TrimPrefix(c.r.URL.Path, "/detector/")
		if st, ok := reg.detectors[id]; ok {
			return jsonOK(map[string]any{"createdAt": "2024-03-01T10:00:00.000Z", "findingPublishingFrequency": "SIX_HOURS",
				"serviceRole": "arn:aws:iam::" + a.id + ":role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty",
				"status":      st, "updatedAt": "2026-11-01T10:00:00.000Z"})
		}
		return 0, "", &fakeFailure{400, "BadRequestException", "The request is rejected because the input detectorId is not owned by the current account."}
	}
	return 0, "", nil
}

func trailARN(a *fakeAccount, t fakeTrail) string {
	return "arn:aws:cloudtrail:" + t.home + ":" + a.id + ":trail/" + t.name
}

func keyARN(a *fakeAccount, region string, k fakeKMS) string {
	return "arn:aws:kms:" + region + ":" + a.id + ":key/" + k.id
}

func jsonOK(v any) (int, string, *fakeFailure) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return 200, string(b), nil
}
