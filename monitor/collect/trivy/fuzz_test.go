package trivy

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

// FuzzTrivyParse feeds the parser anything, starting from the test files: it must not
// panic, and a refusal is always an EINVALID error with a message.
func FuzzTrivyParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
			for _, doc := range collecttest.Encodings(data) {
				f.Add(doc)
			}
		}
	}
	for _, seed := range []string{"", "{\"SchemaVersion\":2,\"ArtifactName\":\"a\",\"CreatedAt\":\"2026-01-01T00:00:00Z\",\"Results\":[{\"Target\":\"t\",\"Vulnerabilities\":[{\"VulnerabilityID\":\"CVE-1\",\"PkgName\":\"p\",\"FixedVersion\":\"2\",\"Severity\":\"CRITICAL\",\"PublishedDate\":\"2025-01-01T00:00:00Z\"}],\"Secrets\":[{}],\"Licenses\":[{\"Category\":\"forbidden\"}],\"Misconfigurations\":[{\"ID\":\"DS002\",\"Status\":\"FAIL\",\"CauseMetadata\":{\"StartLine\":3}},{\"ID\":\"DS002\",\"Status\":\"PASS\"}]}]}", "[{\"SchemaVersion\":2,\"ArtifactName\":\"a\"}]", "{\"SchemaVersion\":2,\"ArtifactName\":\"a\",\"CreatedAt\":\"yesterday\"}"} {
		f.Add([]byte(seed))
	}
	now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	prev := []assay.Resource{
		{Kind: KindVulnerability, ID: "a|CVE-1|p", Attrs: map[string]any{"first_seen": "2026-01-01T00:00:00Z"}},
		{Kind: KindVulnerability, ID: "registry.example.com/payments/api:1.42.0|CVE-2026-1000|openssl", Attrs: map[string]any{"first_seen": "2027-01-01T00:00:00Z"}},
		{Kind: KindVulnerability, ID: "a|CVE-2|p", Attrs: map[string]any{"first_seen": "yesterday"}},
		{Kind: KindArtifact, ID: "a", Attrs: map[string]any{}},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse(data, now, prev)
		if err != nil && (assay.ErrorCode(err) != assay.EINVALID || assay.ErrorMessage(err) == "") {
			t.Fatalf("refused without a clear message: %v", err)
		}
	})
}
