package terraform

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

var fuzzNow = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// FuzzTerraformParse feeds the parser anything, starting from the test files: it must not
// panic, and a refusal is always an EINVALID error with a message.
func FuzzTerraformParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
			for _, doc := range collecttest.Encodings(data) {
				f.Add(doc)
			}
		}
	}
	for _, seed := range []string{"", "{}", "{\"format_version\":\"1.0\",\"values\":{\"root_module\":{\"resources\":[{\"address\":\"aws_s3_bucket.a\",\"type\":\"aws_s3_bucket\",\"name\":\"a\",\"values\":{\"bucket\":\"a\"}}],\"child_modules\":[{\"resources\":null}]}}}", "{\"format_version\":\"1.0\",\"planned_values\":{\"root_module\":{}},\"resource_changes\":[{}]}"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse(data, fuzzNow)
		if err != nil && (assay.ErrorCode(err) != assay.EINVALID || assay.ErrorMessage(err) == "") {
			t.Fatalf("refused without a clear message: %v", err)
		}
	})
}

// FuzzAdminDocument feeds the IAM policy reader any text: it must not
// panic, never call an unreadable document administrator access, and give
// the same answer for the document and for its JSON text encoded again.
func FuzzAdminDocument(f *testing.F) {
	for _, seed := range []string{
		`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
		`{"Statement":{"Effect":"Allow","NotAction":["iam:*"],"Resource":"*"}}`,
		`{"Statement":[{"Effect":"Allow","Action":["IAM:*","s3:*"],"NotResource":"arn:aws:s3:::x"}]}`,
		`{"Statement":[{"Effect":"Allow","Action":"i?m:**","Resource":["*"]}]}`,
		`{"statement":[{"effect":"allow","action":"*:*","resource":"**"}]}`,
		`"{\"Statement\":[]}"`, `[]`, `{}`, ``, `{"Statement":`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		admin, readable := adminDocument(doc)
		if admin && !readable {
			t.Fatal("administrator access from an unreadable document")
		}
		var obj map[string]any
		if json.Unmarshal([]byte(doc), &obj) != nil {
			return // only a document's own text is encoded again below
		}
		again, _ := json.Marshal(doc)
		if a2, r2 := adminDocument(string(again)); a2 != admin || r2 != readable {
			t.Fatalf("encoded again: %v %v, first %v %v", a2, r2, admin, readable)
		}
		if a3, r3 := adminDocument(obj); a3 != admin || r3 != readable {
			t.Fatalf("as an object: %v %v, first %v %v", a3, r3, admin, readable)
		}
	})
}
