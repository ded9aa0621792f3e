package sqlstore

import (
	"database/sql"
	"encoding/json"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

// A frozen population that no longer matches what its sample recorded is
// reported by verify.
func TestCheckFrozen(t *testing.T) {
	items := []assay.PopulationItem{{Key: "user:1", Label: "Ann", At: time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC)}, {Key: "user:2", Label: "Bo"}}
	pop := assay.Population{Kind: assay.PopulationPeople, Items: items, Digest: assay.PopulationDigest(assay.SortedKeys(items))}
	x := assay.AuditSample{ID: 1, PopulationSize: 2, PopulationDigest: pop.Digest, RowsDigest: assay.RowsDigest(items)}
	frozen := func(p assay.Population) sql.NullString {
		b, _ := json.Marshal(p)
		return sql.NullString{String: string(b), Valid: true}
	}
	if err := checkFrozen(x, frozen(pop)); err != nil {
		t.Fatalf("intact: %v", err)
	}
	if err := checkFrozen(x, sql.NullString{}); err != nil {
		t.Fatalf("a sample from before populations were frozen: %v", err)
	}
	renamed := pop
	renamed.Items = []assay.PopulationItem{items[0], {Key: "user:2", Label: "Someone else"}}
	removed := pop
	removed.Items = items[:1]
	for name, f := range map[string]sql.NullString{"a row changed": frozen(renamed), "a row removed": frozen(removed), "unreadable": {String: "{", Valid: true}} {
		if err := checkFrozen(x, f); err == nil {
			t.Errorf("%s: not noticed", name)
		}
	}
}
