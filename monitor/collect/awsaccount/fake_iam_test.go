package awsaccount

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

func (f *fakeAWS) answerSTS(c call) (int, string, *fakeFailure) {
	switch c.action {
	case "GetCallerIdentity":
		s, d := queryOK(c, fmt.Sprintf(`<Arn>arn:aws:iam::%s:user/assay</Arn><UserId>AIDAEXAMPLEUSERID01</UserId><Account>%s</Account>`, c.account, c.account))
		return s, d, nil
	case "AssumeRole":
		role := c.form.Get("RoleArn")
		f.mu.Lock()
		defer f.mu.Unlock()
		target, ok := f.roles[role]
		if !ok || c.form.Get("RoleSessionName") == "" || c.form.Get("ExternalId") != f.externID {
			return 0, "", &fakeFailure{403, "AccessDenied", fmt.Sprintf("User: arn:aws:iam::%s:user/assay is not authorized to perform: sts:AssumeRole on resource: %s", c.account, role)}
		}
		f.issued++
		key := fmt.Sprintf("ASIAEXAMPLESESSION%02d", f.issued)
		f.keys[key] = target
		f.tokens[key] = fmt.Sprintf("session-token-%d", f.issued)
		// The SDK judges the session's expiry by the wall clock.
		exp := time.Now().UTC().Add(time.Hour).Format(time.RFC3339)
		s, d := queryOK(c, fmt.Sprintf(`<Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>session-secret-%d</SecretAccessKey><SessionToken>session-token-%d</SessionToken><Expiration>%s</Expiration></Credentials><AssumedRoleUser><Arn>%s</Arn><AssumedRoleId>AROAEXAMPLEROLEID01:%s</AssumedRoleId></AssumedRoleUser>`,
			key, f.issued, f.issued, exp, strings.Replace(strings.Replace(role, ":iam:", ":sts:", 1), ":role/", ":assumed-role/", 1)+"/"+c.form.Get("RoleSessionName"), c.form.Get("RoleSessionName")))
		return s, d, nil
	}
	return 0, "", nil
}

func (f *fakeAWS) answerIAM(c call, a *fakeAccount) (int, string, *fakeFailure) {
	ok := func(inner string) (int, string, *fakeFailure) { s, d := queryOK(c, inner); return s, d, nil }
	switch c.action {
	case "GetAccountSummary":
		entry := func(k string, v int) string {
			return fmt.Sprintf("<entry><key>%s</key><value>%d</value></entry>", k, v)
		}
		mfa := 0
		if a.rootMFA {
			mfa = 1
		}
		return ok("<SummaryMap>" + entry("AccountMFAEnabled", mfa) + entry("AccountAccessKeysPresent", a.rootKeys) + entry("Users", len(a.users)) +
			entry("UsersQuota", 5000) + entry("Groups", 3) + entry("Policies", 12) + "</SummaryMap>")
	case "GetAccountPasswordPolicy":
		if a.policy == nil {
			return 0, "", noSuchEntity("The Password Policy with domain name " + a.id)
		}
		p := a.policy
		return ok(fmt.Sprintf(`<PasswordPolicy><AllowUsersToChangePassword>true</AllowUsersToChangePassword><RequireLowercaseCharacters>true</RequireLowercaseCharacters><RequireUppercaseCharacters>true</RequireUppercaseCharacters><MinimumPasswordLength>%d</MinimumPasswordLength><RequireNumbers>true</RequireNumbers><PasswordReusePrevention>%d</PasswordReusePrevention><HardExpiry>false</HardExpiry><RequireSymbols>true</RequireSymbols><MaxPasswordAge>%d</MaxPasswordAge><ExpirePasswords>%t</ExpirePasswords></PasswordPolicy>`,
			p.minLength, p.reuse, p.maxAge, p.maxAge > 0))
	case "ListUsers":
		size := f.pageSize
		if n, err := strconv.Atoi(c.form.Get("MaxItems")); err == nil && n < size {
			size = n
		}
		items, next := page(a.users, c.form.Get("Marker"), size)
		var b strings.Builder
		for _, u := range items {
			fmt.Fprintf(&b, `<member><Path>/</Path><UserName>%s</UserName><UserId>AIDA%s</UserId><Arn>arn:aws:iam::%s:user/%s</Arn><CreateDate>%s</CreateDate>`,
				x(u.name), strings.ToUpper(strings.ReplaceAll(u.name, "-", "")), a.id, x(u.name), u.created)
			if u.passwordUsed != "" {
				fmt.Fprintf(&b, `<PasswordLastUsed>%s</PasswordLastUsed>`, u.passwordUsed)
			}
			b.WriteString(`</member>`)
		}
		inner := fmt.Sprintf("<IsTruncated>%t</IsTruncated><Users>%s</Users>", next != "", b.String())
		if next != "" {
			inner += "<Marker>" + next + "</Marker>"
		}
		return ok(inner)
	}
	u := f.user(a, c.form.Get("UserName"))
	switch c.action {
	case "ListMFADevices", "ListAccessKeys", "GetLoginProfile":
		if u == nil {
			return 0, "", noSuchEntity("The user with name " + c.form.Get("UserName"))
		}
	}
	switch c.action {
	case "ListMFADevices":
		var b strings.Builder
		for i := range u.mfa {
			fmt.Fprintf(&b, `<member><UserName>%s</UserName><SerialNumber>arn:aws:iam::%s:mfa/%s-%d</SerialNumber><EnableDate>2024-05-01T09:00:00Z</EnableDate></member>`, x(u.name), a.id, x(u.name), i)
		}
		return ok("<IsTruncated>false</IsTruncated><MFADevices>" + b.String() + "</MFADevices>")
	case "ListAccessKeys":
		var b strings.Builder
		for _, k := range u.keys {
			fmt.Fprintf(&b, `<member><UserName>%s</UserName><AccessKeyId>%s</AccessKeyId><Status>%s</Status><CreateDate>%s</CreateDate></member>`, x(u.name), k.id, k.status, k.created)
		}
		return ok("<UserName>" + x(u.name) + "</UserName><AccessKeyMetadata>" + b.String() + "</AccessKeyMetadata><IsTruncated>false</IsTruncated>")
	case "GetLoginProfile":
		if !u.console {
			return 0, "", noSuchEntity("The user with name " + u.name + " has no login profile and")
		}
		return ok(fmt.Sprintf(`<LoginProfile><UserName>%s</UserName><CreateDate>%s</CreateDate><PasswordResetRequired>false</PasswordResetRequired></LoginProfile>`, x(u.name), u.created))
	case "GetAccessKeyLastUsed":
		for _, u := range a.users {
			for _, k := range u.keys {
				if k.id != c.form.Get("AccessKeyId") {
					continue
				}
				if k.lastUsed == "" {
					return ok(`<UserName>` + x(u.name) + `</UserName><AccessKeyLastUsed><ServiceName>N/A</ServiceName><Region>N/A</Region></AccessKeyLastUsed>`)
				}
				return ok(`<UserName>` + x(u.name) + `</UserName><AccessKeyLastUsed><LastUsedDate>` + k.lastUsed + `</LastUsedDate><ServiceName>s3</ServiceName><Region>us-east-1</Region></AccessKeyLastUsed>`)
			}
		}
		return 0, "", &fakeFailure{403, "AccessDenied", "The access key does not belong to this account."}
	}
	return 0, "", nil
}

func (f *fakeAWS) answerS3(c call, a *fakeAccount) (int, string, *fakeFailure) {
	const ns = ` xmlns="http://s3.amazonaws.com/doc/2006-03-01/"`
	q := c.r.URL.Query()
	if c.action == "ListBuckets" {
		size := f.pageSize
		if n, err := strconv.Atoi(q.Get("max-buckets")); err == nil && n < size {
			size = n
		}
		items, next := page(a.buckets, q.Get("continuation-token"), size)
		var b strings.Builder
		for _, bk := range items {
			fmt.Fprintf(&b, `<Bucket><Name>%s</Name><CreationDate>2023-02-01T10:00:00.000Z</CreationDate>`, bk.name)
			if !bk.regionNotInList {
				fmt.Fprintf(&b, `<BucketRegion>%s</BucketRegion>`, bk.region)
			}
			b.WriteString(`</Bucket>`)
		}
		doc := `<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult` + ns + `><Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID></Owner><Buckets>` + b.String() + `</Buckets>`
		if next != "" {
			doc += "<ContinuationToken>" + next + "</ContinuationToken>"
		}
		return 200, doc + "</ListAllMyBucketsResult>", nil
	}
	name := strings.Trim(c.r.URL.Path, "/")
	var bk *fakeBucket
	for i := range a.buckets {
		if a.buckets[i].name == name {
			bk = &a.buckets[i]
		}
	}
	if bk == nil {
		return 0, "", &fakeFailure{404, "NoSuchBucket", "The specified bucket does not exist"}
	}
	if c.action == "GetBucketLocation" {
		loc := bk.region
		if loc == "us-east-1" {
			loc = ""
		}
		return 200, `<?xml version="1.0" encoding="UTF-8"?><LocationConstraint` + ns + `>` + loc + `</LocationConstraint>`, nil
	}
	if c.region != bk.region {
		return 0, "", &fakeFailure{301, "PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint."}
	}
	switch c.action {
	case "GetPublicAccessBlock":
		if bk.pab == nil {
			return 0, "", &fakeFailure{404, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"}
		}
		p := bk.pab
		return 200, fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?><PublicAccessBlockConfiguration%s><BlockPublicAcls>%t</BlockPublicAcls><IgnorePublicAcls>%t</IgnorePublicAcls><BlockPublicPolicy>%t</BlockPublicPolicy><RestrictPublicBuckets>%t</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
			ns, p[0], p[1], p[2], p[3]), nil
	case "GetBucketEncryption":
		if bk.sse == "" {
			return 0, "", &fakeFailure{404, "ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found"}
		}
		key := ""
		if bk.sse == "aws:kms" {
			key = "<KMSMasterKeyID>arn:aws:kms:" + bk.region + ":" + a.id + ":key/1234abcd-12ab-34cd-56ef-1234567890ab</KMSMasterKeyID>"
		}
		return 200, `<?xml version="1.0" encoding="UTF-8"?><ServerSideEncryptionConfiguration` + ns + `><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>` + bk.sse + `</SSEAlgorithm>` + key +
			`</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`, nil
	case "GetBucketVersioning":
		status := ""
		if bk.versioning != "" {
			status = "<Status>" + bk.versioning + "</Status>"
		}
		return 200, `<?xml version="1.0" encoding="UTF-8"?><VersioningConfiguration` + ns + `>` + status + `</VersioningConfiguration>`, nil
	case "GetBucketLogging":
		inner := ""
		if bk.logTo != "" {
			inner = "<LoggingEnabled><TargetBucket>" + bk.logTo + "</TargetBucket><TargetPrefix>" + name + "/</TargetPrefix></LoggingEnabled>"
		}
		return 200, `<?xml version="1.0" encoding="UTF-8"?><BucketLoggingStatus` + ns + `>` + inner + `</BucketLoggingStatus>`, nil
	}
	return 0, "", nil
}
