package terraform

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

var fuzzNow = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// FuzzTerraformParse feeds the parser anything, starting from the test files: it must not
// panic, and a refusal is always an EINVALID error with a message.
func FuzzTerraformParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
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
