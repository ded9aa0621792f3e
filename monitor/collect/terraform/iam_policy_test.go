package terraform

import "testing"

// What counts as administrator access in an IAM policy document, in the
// shapes documents take in plans and states.
func TestAdminDocument(t *testing.T) {
	for _, tc := range []struct {
		name            string
		doc             any
		admin, readable bool
	}{
		{"star string", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, true, true},
		{"star in a list", `{"Statement":[{"Effect":"Allow","Action":["s3:GetObject","*"],"Resource":["arn:aws:s3:::a","*"]}]}`, true, true},
		{"star colon star", `{"Statement":[{"Effect":"Allow","Action":"*:*","Resource":"*"}]}`, true, true},
		{"iam wildcard", `{"Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`, true, true},
		{"iam wildcard, upper case", `{"Statement":[{"Effect":"allow","Action":["IAM:*"],"Resource":"*"}]}`, true, true},
		{"i star", `{"Statement":[{"Effect":"Allow","Action":"i*","Resource":"*"}]}`, true, true},
		{"single statement object", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, true, true},
		{"heredoc whitespace", "{\n  \"Statement\": [\n    {\n      \"Effect\" : \"Allow\",\n      \"Action\" : \"*\",\n      \"Resource\" : \"*\"\n    }\n  ]\n}\n", true, true},
		{"JSON text of JSON text", `"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"`, true, true},
		{"an object, not text", map[string]any{"Statement": []any{map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}}}, true, true},
		{"element names in another case", `{"statement":[{"effect":"Allow","action":"*","resource":"*"}]}`, true, true},
		{"with a condition", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`, true, true},
		{"NotAction leaving IAM", `{"Statement":[{"Effect":"Allow","NotAction":["s3:DeleteBucket"],"Resource":"*"}]}`, true, true},
		{"NotAction leaving most of IAM", `{"Statement":[{"Effect":"Allow","NotAction":"iam:DeleteUser","Resource":"*"}]}`, true, true},
		{"NotResource", `{"Statement":[{"Effect":"Allow","Action":"*","NotResource":"arn:aws:s3:::vault/*"}]}`, true, true},

		{"power user", `{"Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"}]}`, false, true},
		{"NotAction star", `{"Statement":[{"Effect":"Allow","NotAction":"*","Resource":"*"}]}`, false, true},
		{"some IAM actions", `{"Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]}`, false, true},
		{"service wildcard", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, false, true},
		{"one resource", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::bucket/*"}]}`, false, true},
		{"deny", `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`, false, true},
		{"no effect", `{"Statement":[{"Action":"*","Resource":"*"}]}`, false, true},
		{"question mark", `{"Statement":[{"Effect":"Allow","Action":"ia?:*","Resource":"*"}]}`, true, true},
		{"no statements", `{"Version":"2012-10-17","Statement":[]}`, false, true},

		{"absent (known after apply)", nil, false, false},
		{"empty text", "", false, false},
		{"broken", `{"Statement":[`, false, false},
		{"no Statement", `{"Version":"2012-10-17"}`, false, false},
		{"Statement of the wrong type", `{"Statement":"*"}`, false, false},
		{"a list", `[{"Effect":"Allow","Action":"*","Resource":"*"}]`, false, false},
	} {
		admin, readable := adminDocument(tc.doc)
		if admin != tc.admin || readable != tc.readable {
			t.Errorf("%s: admin %v readable %v, want %v %v", tc.name, admin, readable, tc.admin, tc.readable)
		}
	}
}

func TestCoversPrefix(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		want    bool
	}{
		{"*", true}, {"**", true}, {"iam:*", true}, {"IAM:*", true}, {"i*", true}, {"*:*", true}, {"*a*", true}, {"iam*", true},
		{"iam:", false}, {"iam:Get*", false}, {"s3:*", false}, {"", false}, {"*:Get*", false}, {"iam:?*", false}, {"ia", false},
	} {
		if got := coversPrefix(tc.pattern, "iam:"); got != tc.want {
			t.Errorf("coversPrefix(%q) = %v, want %v", tc.pattern, got, tc.want)
		}
	}
}
