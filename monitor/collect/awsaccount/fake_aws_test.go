package awsaccount

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// fakeAWS speaks the AWS APIs the collector calls as their public
// documentation describes them: the Query protocol (form-encoded POST
// with Action and Version, XML answers, <ErrorResponse> errors) for STS,
// IAM and RDS, EC2's own Query dialect (<Response><Errors>), S3's REST
// XML, the JSON 1.1 protocol (X-Amz-Target) for KMS and CloudTrail and
// GuardDuty's REST-JSON. Every request must carry a Signature Version 4
// Authorization header whose access key is one the server issued; the
// credential scope names the service and region. The answers are test
// data written here from the API references, not recorded from AWS.
type fakeAWS struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	keys     map[string]string // access key id → account id
	tokens   map[string]string // a role session's access key id → its session token
	accounts map[string]*fakeAccount
	roles    map[string]string // role ARN → account id
	externID string            // the external ID the roles' trust wants ("" none)
	pageSize int
	fails    map[string][]fakeFailure // "iam:ListUsers" → failures answered first, in order
	requests []string                 // "account service Action region"
	badAuth  int
	issued   int // AssumeRole sessions handed out
}

type fakeFailure struct {
	status        int
	code, message string
}

// sigv4 is the credential part of a SigV4 Authorization header.
var sigv4 = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)/(\d{8})/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request, ?SignedHeaders=[a-z0-9;-]+, ?Signature=[0-9a-f]{64}$`)

// call is one request as the server understood it.
type call struct {
	account, key, region, service, action string
	form                                  url.Values // Query protocol parameters
	json                                  map[string]any
	r                                     *http.Request
}

func newFake(t testing.TB) *fakeAWS {
	f := &fakeAWS{t: t, keys: map[string]string{}, tokens: map[string]string{}, accounts: map[string]*fakeAccount{}, roles: map[string]string{},
		pageSize: 2, fails: map[string][]fakeFailure{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// then queues failures for an action ("iam:ListUsers"), answered before
// the real answer.
func (f *fakeAWS) then(action string, fails ...fakeFailure) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fails[action] = append(f.fails[action], fails...)
}

func (f *fakeAWS) count(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if strings.HasPrefix(r, prefix) {
			n++
		}
	}
	return n
}

// queryVersions are the API versions of the Query protocol services.
var queryVersions = map[string]string{"sts": "2011-06-15", "iam": "2010-05-08", "rds": "2014-10-31", "ec2": "2016-11-15"}

func (f *fakeAWS) serve(w http.ResponseWriter, r *http.Request) {
	m := sigv4.FindStringSubmatch(r.Header.Get("Authorization"))
	f.mu.Lock()
	account, known := "", false
	if m != nil {
		account, known = f.keys[m[1]]
		if tok, session := f.tokens[m[1]]; session && r.Header.Get("X-Amz-Security-Token") != tok {
			known = false // a role session's requests carry its token
		}
	}
	if !known || r.Header.Get("X-Amz-Date") == "" {
		f.badAuth++
		f.mu.Unlock()
		service := "sts"
		if m != nil {
			service = m[4]
		}
		f.fail(w, service, fakeFailure{403, "InvalidClientTokenId", "The security token included in the request is invalid."})
		return
	}
	f.mu.Unlock()
	c := call{account: account, key: m[1], region: m[3], service: m[4], r: r}
	body, _ := io.ReadAll(r.Body)
	switch c.service {
	case "sts", "iam", "rds", "ec2":
		form, err := url.ParseQuery(string(body))
		if err != nil || r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") ||
			form.Get("Version") != queryVersions[c.service] {
			f.fail(w, c.service, fakeFailure{400, "InvalidAction", "not a " + c.service + " Query request: " + string(body)})
			return
		}
		c.form, c.action = form, form.Get("Action")
	case "kms", "cloudtrail":
		target := r.Header.Get("X-Amz-Target")
		prefix := map[string]string{"kms": "TrentService.", "cloudtrail": "CloudTrail_20131101."}[c.service]
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-amz-json-1.1" || !strings.HasPrefix(target, prefix) ||
			json.Unmarshal(body, &c.json) != nil {
			f.fail(w, c.service, fakeFailure{400, "UnknownOperationException", "not a JSON 1.1 request for " + target})
			return
		}
		c.action = strings.TrimPrefix(target, prefix)
	case "guardduty":
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/detector":
			c.action = "ListDetectors"
		case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/detector/"):
			c.action = "GetDetector"
		}
	case "s3":
		c.action = s3Action(r)
	}
	f.mu.Lock()
	f.requests = append(f.requests, strings.Join([]string{account, c.service, c.action, c.region}, " "))
	key := c.service + ":" + c.action
	if q := f.fails[key]; len(q) > 0 {
		f.fails[key] = q[1:]
		f.mu.Unlock()
		f.fail(w, c.service, q[0])
		return
	}
	acct := f.accounts[account]
	f.mu.Unlock()
	status, doc, e := f.answer(c, acct)
	if e != nil {
		f.fail(w, c.service, *e)
		return
	}
	if status == 0 {
		f.fail(w, c.service, fakeFailure{400, "InvalidAction", "the fake does not know " + key})
		return
	}
	if strings.HasPrefix(doc, "{") {
		if c.service == "guardduty" {
			w.Header().Set("Content-Type", "application/json")
		} else {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		}
	} else {
		w.Header().Set("Content-Type", "text/xml")
	}
	w.Header().Set("X-Amzn-RequestId", "c0ffee00-0000-4000-8000-000000000001")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, doc)
}

// s3Action names the S3 REST call: GET / lists buckets, GET /BUCKET?sub
// reads one configuration (path-style addressing).
func s3Action(r *http.Request) string {
	if r.Method != http.MethodGet {
		return ""
	}
	if r.URL.Path == "/" {
		return "ListBuckets"
	}
	q := r.URL.Query()
	for sub, action := range map[string]string{"publicAccessBlock": "GetPublicAccessBlock", "encryption": "GetBucketEncryption",
		"versioning": "GetBucketVersioning", "logging": "GetBucketLogging", "location": "GetBucketLocation"} {
		if _, ok := q[sub]; ok {
			return action
		}
	}
	return ""
}

// fail answers an error the way the service's protocol does.
func (f *fakeAWS) fail(w http.ResponseWriter, service string, e fakeFailure) {
	const id = "c0ffee00-0000-4000-8000-0000000000ee"
	var b bytes.Buffer
	switch service {
	case "kms", "cloudtrail", "guardduty":
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if service == "guardduty" {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Amzn-ErrorType", e.code)
		}
		w.Header().Set("X-Amzn-RequestId", id)
		w.WriteHeader(e.status)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.code, "message": e.message})
		return
	case "ec2":
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>%s</RequestID></Response>`, x(e.code), x(e.message), id)
	case "s3":
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message><RequestId>%s</RequestId><HostId>aG9zdA==</HostId></Error>`, x(e.code), x(e.message), id)
	default:
		kind := "Sender"
		if e.status >= 500 {
			kind = "Receiver"
		}
		fmt.Fprintf(&b, `<ErrorResponse xmlns="https://%s.amazonaws.com/doc/%s/"><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`,
			service, queryVersions[service], kind, x(e.code), x(e.message), id)
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(e.status)
	_, _ = w.Write(b.Bytes())
}

// x escapes text for XML.
func x(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// queryOK wraps a Query protocol result in its response element.
func queryOK(c call, inner string) (int, string) {
	return 200, fmt.Sprintf(`<%[1]sResponse xmlns="https://%[2]s.amazonaws.com/doc/%[3]s/"><%[1]sResult>%[4]s</%[1]sResult><ResponseMetadata><RequestId>c0ffee00-0000-4000-8000-000000000001</RequestId></ResponseMetadata></%[1]sResponse>`,
		c.action, c.service, queryVersions[c.service], inner)
}

// page cuts items at the position a marker names ("" the first page) and
// returns the next marker ("" when this is the last page).
func page[T any](items []T, marker string, size int) ([]T, string) {
	start := 0
	if marker != "" {
		fmt.Sscanf(marker, "page-%d", &start)
	}
	start = min(start, len(items))
	end := min(start+size, len(items))
	next := ""
	if end < len(items) {
		next = fmt.Sprintf("page-%d", end)
	}
	return items[start:end], next
}
