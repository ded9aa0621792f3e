package catalog

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/assay-platform/assay"
)

var (
	trustOnce  sync.Once
	trustTiles []assay.TrustTileDef
	trustErr   error
)

var trustKinds = []string{"checks", "check_share", "access_review", "ledger", "uptime"}

var trustGroups = []string{"confidence", "transparency", "assurance", "reliability"}

// TrustTiles are the trust center's assurance tiles
// (data/trust_tiles.json): which data feeds which tile.
func TrustTiles() ([]assay.TrustTileDef, error) {
	trustOnce.Do(func() {
		var f struct {
			Tiles []assay.TrustTileDef `json:"tiles"`
		}
		b, err := dataFS.ReadFile("data/trust_tiles.json")
		if err == nil {
			err = json.Unmarshal(b, &f)
		}
		if err == nil {
			err = validateTrustTiles(f.Tiles)
		}
		trustTiles, trustErr = f.Tiles, err
	})
	return trustTiles, trustErr
}

// validateTrustTiles checks every tile against the check library.
func validateTrustTiles(tiles []assay.TrustTileDef) error {
	lib, err := LibraryCheckList()
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, c := range lib {
		known[c.ID] = true
	}
	seen := map[string]bool{}
	for _, t := range tiles {
		switch {
		case t.ID == "" || seen[t.ID]:
			return fmt.Errorf("trust tiles: empty or repeated id %q", t.ID)
		case !slices.Contains(trustKinds, t.Kind):
			return fmt.Errorf("trust tile %s: unknown kind %q", t.ID, t.Kind)
		case !slices.Contains(trustGroups, t.Group):
			return fmt.Errorf("trust tile %s: unknown group %q", t.ID, t.Group)
		case t.Title == "" || t.Explanation == "":
			return fmt.Errorf("trust tile %s: needs a title and an explanation", t.ID)
		case t.Kind == "checks" && len(t.Checks) == 0, t.Kind == "check_share" && len(t.Criteria) == 0:
			return fmt.Errorf("trust tile %s: says nothing it is computed from", t.ID)
		}
		for _, c := range t.Checks {
			if !known[c] {
				return fmt.Errorf("trust tile %s: no check %q in the library", t.ID, c)
			}
		}
		seen[t.ID] = true
	}
	return nil
}
