package awsaccount

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	awsmw "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"

	"github.com/assay-platform/assay/monitor/collect/apiclient"
)

// recorder sends the SDK's signed requests and keeps every answer, with
// the service, action and region, as the run's evidence. The SDK retries;
// the recorder only records.
type recorder struct {
	base http.RoundTripper
	log  *apiclient.Log
}

// maxBody bounds one answer read.
const maxBody = 32 << 20

// sessionSecrets matches what AssumeRole answers that must never be kept.
var sessionSecrets = regexp.MustCompile(`<(SecretAccessKey|SessionToken)>[^<]*</(SecretAccessKey|SessionToken)>`)

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	base := r.base
	if base == nil {
		base = http.DefaultTransport
	}
	ctx := req.Context()
	op := awsmw.GetServiceID(ctx) + " " + awsmw.GetOperationName(ctx)
	if region := awsmw.GetRegion(ctx); region != "" {
		op += " (" + region + ")"
	}
	resp, err := base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: read the answer: %w", op, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	kept := body
	if awsmw.GetOperationName(ctx) == "AssumeRole" {
		kept = sessionSecrets.ReplaceAll(body, []byte("<$1>[redacted]</$1>"))
	}
	e := apiclient.Entry{Method: req.Method, URL: req.URL.String(), Status: resp.StatusCode, Operation: op, APIVersion: apiVersions[awsmw.GetServiceID(ctx)]}
	if len(kept) > 0 && (kept[0] == '{' || kept[0] == '[') {
		e.Body = kept
	} else if len(kept) > 0 {
		e.Text = string(kept)
	}
	r.log.Add(e)
	return resp, nil
}

// apiVersions are the API versions of the services read, as their
// references name them (the Query protocol sends it as Version).
var apiVersions = map[string]string{"IAM": "2010-05-08", "STS": "2011-06-15", "S3": "2006-03-01", "EC2": "2016-11-15", "RDS": "2014-10-31",
	"KMS": "2014-11-01", "CloudTrail": "2013-11-01", "GuardDuty": "2017-11-28"}

// backoff is the SDK's exponential backoff with jitter; when a sleeper is
// set, it takes the wait (so tests see it) and the SDK waits no more.
type backoff struct {
	inner retry.BackoffDelayer
	sleep apiclient.Sleeper
}

func (b *backoff) BackoffDelay(attempt int, err error) (time.Duration, error) {
	d, e := b.inner.BackoffDelay(attempt, err)
	if e != nil || b.sleep == nil {
		return d, e
	}
	return 0, b.sleep(context.Background(), d)
}

// actionPrefixes are the IAM action prefixes of the SDK's service ids.
var actionPrefixes = map[string]string{"IAM": "iam", "STS": "sts", "S3": "s3", "EC2": "ec2", "RDS": "rds", "KMS": "kms",
	"CloudTrail": "cloudtrail", "GuardDuty": "guardduty"}

// s3Actions are the S3 operations whose IAM action has another name.
var s3Actions = map[string]string{"ListBuckets": "ListAllMyBuckets", "GetPublicAccessBlock": "GetBucketPublicAccessBlock",
	"GetBucketEncryption": "GetEncryptionConfiguration"}

// Action is the IAM action an SDK operation needs ("iam:ListUsers").
func Action(service, operation string) string {
	if service == "S3" {
		if a, ok := s3Actions[operation]; ok {
			operation = a
		}
	}
	p, ok := actionPrefixes[service]
	if !ok {
		p = strings.ToLower(service)
	}
	return p + ":" + operation
}

// denied are the error codes AWS services answer a missing permission with.
var denied = map[string]bool{"AccessDenied": true, "AccessDeniedException": true, "UnauthorizedOperation": true,
	"AuthorizationError": true, "UnauthorizedAccess": true, "Forbidden": true}

// failed turns an SDK error into the collection's error: partial, with
// the action that was refused and the IAM action it needs.
func failed(err error, account string) error {
	var oe *smithy.OperationError
	if !errors.As(err, &oe) {
		return fmt.Errorf("%w: %v", apiclient.ErrPartial, err)
	}
	// A role's session is fetched when the first call is signed: the
	// refused AssumeRole is inside that call's error.
	for {
		var inner *smithy.OperationError
		if !errors.As(oe.Err, &inner) {
			break
		}
		oe = inner
	}
	action := Action(oe.ServiceID, oe.OperationName)
	where := "AWS"
	if account != "" {
		where = "AWS account " + account
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code, msg := ae.ErrorCode(), ae.ErrorMessage()
		switch {
		case denied[code]:
			return fmt.Errorf("%w: %s refused %s %s (%s: %s); the policy of the source's user or role needs the IAM action %s (see the README's policy)",
				apiclient.ErrPartial, where, oe.ServiceID, oe.OperationName, code, msg, action)
		case retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err).Bool():
			return fmt.Errorf("%w: %s was still throttling %s (%s) after the SDK's retries", apiclient.ErrPartial, where, action, code)
		case code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch" || code == "ExpiredToken":
			return fmt.Errorf("%w: %s did not accept the credentials for %s (%s: %s); check the access key", apiclient.ErrPartial, where, action, code, msg)
		}
		return fmt.Errorf("%w: %s answered %s with %s: %s", apiclient.ErrPartial, where, action, code, msg)
	}
	return fmt.Errorf("%w: %s: %v", apiclient.ErrPartial, action, oe.Err)
}

// redact takes the secret access key and session token out of an error.
func redact(err error, s settings) error {
	msg := err.Error()
	changed := false
	for _, secret := range []string{s.secret, s.token} {
		if secret != "" && strings.Contains(msg, secret) {
			msg, changed = strings.ReplaceAll(msg, secret, "[redacted]"), true
		}
	}
	if !changed {
		return err
	}
	if errors.Is(err, apiclient.ErrPartial) {
		return fmt.Errorf("%w: %s", apiclient.ErrPartial, strings.TrimPrefix(msg, apiclient.ErrPartial.Error()+": "))
	}
	return errors.New(msg)
}
