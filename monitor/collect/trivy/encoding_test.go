package trivy

import (
	"os"
	"reflect"
	"testing"

	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

// `trivy image -f json > report.json` in Windows PowerShell writes UTF-16
// with a byte order mark; some editors add a UTF-8 one. Both read as the
// UTF-8 file does.
func TestEncodings(t *testing.T) {
	data, err := os.ReadFile("testdata/reports.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Parse(data, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range collecttest.Encodings(data) {
		t.Run(name, func(t *testing.T) {
			got, err := Parse(doc, now, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s gives other resources than UTF-8", name)
			}
		})
	}
}
