package terraform

import (
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

// `terraform show -json > plan.json` in Windows PowerShell writes UTF-16
// with a byte order mark; Notepad adds a UTF-8 one. Both read as UTF-8.
func TestEncodings(t *testing.T) {
	for _, file := range []string{"testdata/plan.json", "testdata/state.json"} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Parse(data, time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		for name, doc := range collecttest.Encodings(data) {
			t.Run(file+" "+name, func(t *testing.T) {
				got, err := Parse(doc, time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s gives other resources than UTF-8", name)
				}
			})
		}
	}
}
