package prowler

import (
	"os"
	"reflect"
	"testing"

	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

// A report saved from PowerShell (UTF-16 with a byte order mark) or an
// editor that adds a UTF-8 one reads as the UTF-8 file does.
func TestEncodings(t *testing.T) {
	data, err := os.ReadFile("testdata/ocsf.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Parse(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range collecttest.Encodings(data) {
		t.Run(name, func(t *testing.T) {
			got, err := Parse(doc, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s gives other resources than UTF-8", name)
			}
		})
	}
}
