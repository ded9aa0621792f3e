package awsaccount

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/assay-platform/assay"
)

// accountOut is what one account gave.
type accountOut struct {
	account   string
	resources []assay.Resource
}

// days counts whole days from t to now; a time after now counts as today.
func days(now, t time.Time) int64 { return max(int64(now.Sub(t)/(24*time.Hour)), 0) }

// collectAccount reads one account: who it is, IAM, S3 and each region.
func collectAccount(ctx context.Context, cfg aws.Config, regions []string, now time.Time) (accountOut, error) {
	var out accountOut
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return out, failed(err, "")
	}
	out.account = aws.ToString(who.Account)
	acct, users, err := readIAM(ctx, iam.NewFromConfig(cfg), out.account, now)
	if err != nil {
		return out, failed(err, out.account)
	}
	buckets, err := readBuckets(ctx, cfg, out.account)
	if err != nil {
		return out, failed(err, out.account)
	}
	out.resources = append(append(users, acct), buckets...)
	multiRegion := false
	for _, region := range regions {
		rc := cfg.Copy()
		rc.Region = region
		res, err := readRegion(ctx, rc, out.account, &multiRegion)
		if err != nil {
			return out, failed(err, out.account)
		}
		out.resources = append(out.resources, res...)
	}
	acct.Attrs["multi_region_trail"] = multiRegion
	return out, nil
}

// readIAM reads the account summary (the root user), the password policy
// and every user with MFA devices, access keys and console password.
func readIAM(ctx context.Context, c *iam.Client, account string, now time.Time) (assay.Resource, []assay.Resource, error) {
	acct := assay.Resource{Kind: KindAccount, ID: account, Name: account}
	sum, err := c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	if err != nil {
		return acct, nil, err
	}
	attrs := map[string]any{
		"account_id":                account,
		"root_mfa":                  sum.SummaryMap["AccountMFAEnabled"] == 1,
		"root_access_keys":          sum.SummaryMap["AccountAccessKeysPresent"] > 0,
		"password_policy":           false,
		"password_min_length":       int64(0),
		"password_reuse_prevention": int64(0),
		"password_max_age_days":     int64(0),
		"users":                     int64(0),
		"multi_region_trail":        false,
	}
	acct.Attrs = attrs
	pol, err := c.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	var none *iamtypes.NoSuchEntityException
	switch {
	case errors.As(err, &none): // no policy: AWS's default, 8 characters
	case err != nil:
		return acct, nil, err
	default:
		p := pol.PasswordPolicy
		attrs["password_policy"] = true
		attrs["password_min_length"] = int64(aws.ToInt32(p.MinimumPasswordLength))
		attrs["password_reuse_prevention"] = int64(aws.ToInt32(p.PasswordReusePrevention))
		attrs["password_max_age_days"] = int64(aws.ToInt32(p.MaxPasswordAge))
	}
	var users []assay.Resource
	pages := iam.NewListUsersPaginator(c, &iam.ListUsersInput{MaxItems: aws.Int32(1000)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return acct, nil, err
		}
		for _, u := range page.Users {
			r, err := readUser(ctx, c, account, u, now)
			if err != nil {
				return acct, nil, err
			}
			users = append(users, r)
		}
	}
	attrs["users"] = int64(len(users))
	return acct, users, nil
}

// readUser reads one user's MFA devices, access keys (and when each was
// last used) and console password.
func readUser(ctx context.Context, c *iam.Client, account string, u iamtypes.User, now time.Time) (assay.Resource, error) {
	name := aws.ToString(u.UserName)
	created := aws.ToTime(u.CreateDate)
	mfa := int64(0)
	devices := iam.NewListMFADevicesPaginator(c, &iam.ListMFADevicesInput{UserName: u.UserName})
	for devices.HasMorePages() {
		page, err := devices.NextPage(ctx)
		if err != nil {
			return assay.Resource{}, err
		}
		mfa += int64(len(page.MFADevices))
	}
	// The most recent use of any credential; none: the user's creation.
	var last time.Time
	used := func(t *time.Time) {
		if t != nil && t.After(last) {
			last = *t
		}
	}
	used(u.PasswordLastUsed)
	active, oldest := int64(0), int64(0)
	keys := iam.NewListAccessKeysPaginator(c, &iam.ListAccessKeysInput{UserName: u.UserName})
	for keys.HasMorePages() {
		page, err := keys.NextPage(ctx)
		if err != nil {
			return assay.Resource{}, err
		}
		for _, k := range page.AccessKeyMetadata {
			if k.Status != iamtypes.StatusTypeActive {
				continue
			}
			active++
			oldest = max(oldest, days(now, aws.ToTime(k.CreateDate)))
			lu, err := c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId})
			if err != nil {
				return assay.Resource{}, err
			}
			if lu.AccessKeyLastUsed != nil {
				used(lu.AccessKeyLastUsed.LastUsedDate)
			}
		}
	}
	console := true
	if _, err := c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: u.UserName}); err != nil {
		var none *iamtypes.NoSuchEntityException
		if !errors.As(err, &none) {
			return assay.Resource{}, err
		}
		console = false
	}
	lastDays, never := days(now, created), true
	if !last.IsZero() {
		lastDays, never = days(now, last), false
	}
	passwordDays := int64(-1)
	if u.PasswordLastUsed != nil {
		passwordDays = days(now, *u.PasswordLastUsed)
	}
	return assay.Resource{Kind: KindUser, ID: aws.ToString(u.Arn), Name: name, Attrs: map[string]any{
		"account_id":              account,
		"login":                   name,
		"arn":                     aws.ToString(u.Arn),
		"console_access":          console,
		"mfa":                     mfa > 0,
		"mfa_devices":             mfa,
		"active_keys":             active,
		"oldest_active_key_days":  oldest,
		"password_last_used_days": passwordDays,
		"last_activity_days":      lastDays,
		"never_used":              never,
		"created_days":            days(now, created),
	}}, nil
}
