package prowler

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

// FuzzProwlerParse feeds the parser anything, starting from the test files: it must not
// panic, and a refusal is always an EINVALID error with a message.
func FuzzProwlerParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
			for _, doc := range collecttest.Encodings(data) {
				f.Add(doc)
			}
		}
	}
	for _, seed := range []string{"", "[]", "[{\"metadata\":{\"event_code\":\"x\"},\"status_code\":\"FAIL\",\"severity\":\"High\",\"resources\":[{\"uid\":\"arn:x\"}]}]", "{\"metadata\": }", "[null, 1, \"x\", {}]"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse(data, &monitor.Notes{})
		if err != nil && (assay.ErrorCode(err) != assay.EINVALID || assay.ErrorMessage(err) == "") {
			t.Fatalf("refused without a clear message: %v", err)
		}
	})
}
