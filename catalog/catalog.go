// Package catalog loads the framework data Assay ships with: the Trust
// Services Criteria and the default control library. The data lives in
// embedded JSON files and is validated when it is loaded, so a broken
// catalog stops the program at start-up instead of producing wrong figures.
package catalog

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"sync"
)

//go:embed data/*.json
var dataFS embed.FS

// Category is one of the five Trust Services categories.
type Category struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Required categories (Security) are always in scope.
	Required bool `json:"required"`
}

// Series groups criteria, for example CC6 (logical and physical access).
type Series struct {
	ID       string `json:"id"`
	Category string `json:"category"`
	Title    string `json:"title"`
}

// Criterion is one Trust Services criterion, described in Assay's own words.
type Criterion struct {
	ID          string `json:"id"`
	Series      string `json:"series"`
	Category    string `json:"category"`
	Title       string `json:"title"`
	Explanation string `json:"explanation"`
}

// Control is a control in the default library.
type Control struct {
	ID          string   `json:"id"`
	Family      string   `json:"family"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Evidence    string   `json:"evidence"`
	OwnerRole   string   `json:"owner_role"`
	Frequency   string   `json:"frequency"`
	Kind        string   `json:"kind"`
	Criteria    []string `json:"criteria"`
	// Automation names the Assay feature that will test this control
	// automatically ("" when the control is attested by people).
	Automation     string `json:"automation,omitempty"`
	AutomationNote string `json:"automation_note,omitempty"`
}

// Catalog is the validated framework data.
type Catalog struct {
	Framework  string      `json:"framework"`
	Version    string      `json:"version"`
	Categories []Category  `json:"categories"`
	Series     []Series    `json:"series"`
	Criteria   []Criterion `json:"criteria"`
	Controls   []Control   `json:"controls"`

	criterionIdx map[string]int
	controlIdx   map[string]int
	categoryIdx  map[string]int
	seriesIdx    map[string]int
}

// Frequencies, kinds and automation values a control may declare.
var (
	Frequencies = []string{"continuous", "daily", "weekly", "monthly", "quarterly", "annual", "on_event"}
	Kinds       = []string{"preventive", "detective", "corrective"}
	Automations = []string{"", "monitoring", "evidence", "policies", "people", "training", "access_reviews", "risks", "vendors", "incidents"}
)

// ExpectedCriteria is the complete list of TSC 2017 criterion ids. The
// catalog must contain exactly these.
var ExpectedCriteria = expandIDs(
	"CC1.", 5, "CC2.", 3, "CC3.", 4, "CC4.", 2, "CC5.", 3, "CC6.", 8, "CC7.", 5, "CC8.", 1, "CC9.", 2,
	"A1.", 3, "C1.", 2, "PI1.", 5, "P1.", 1, "P2.", 1, "P3.", 2, "P4.", 3, "P5.", 2, "P6.", 7, "P7.", 1, "P8.", 1,
)

func expandIDs(spec ...any) []string {
	var ids []string
	for i := 0; i < len(spec); i += 2 {
		prefix, n := spec[i].(string), spec[i+1].(int)
		for j := 1; j <= n; j++ {
			ids = append(ids, fmt.Sprintf("%s%d", prefix, j))
		}
	}
	return ids
}

var (
	defaultOnce sync.Once
	defaultCat  *Catalog
	defaultErr  error
)

// Default returns the embedded catalog, loaded and validated once.
func Default() (*Catalog, error) {
	defaultOnce.Do(func() { defaultCat, defaultErr = Load(dataFS) })
	return defaultCat, defaultErr
}

// MustDefault is Default for callers that cannot go on without a catalog.
func MustDefault() *Catalog {
	c, err := Default()
	if err != nil {
		panic(err)
	}
	return c
}

// Load reads criteria.json and controls.json from fsys and validates them.
func Load(fsys fs.FS) (*Catalog, error) {
	var c Catalog
	if err := decodeFile(fsys, "data/criteria.json", &c); err != nil {
		return nil, err
	}
	var lib struct {
		Controls []Control `json:"controls"`
	}
	if err := decodeFile(fsys, "data/controls.json", &lib); err != nil {
		return nil, err
	}
	c.Controls = lib.Controls
	if err := c.index(); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

func decodeFile(fsys fs.FS, name string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("catalog: read %s: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("catalog: parse %s: %w", name, err)
	}
	return nil
}

func (c *Catalog) index() error {
	c.categoryIdx = map[string]int{}
	for i, x := range c.Categories {
		if _, dup := c.categoryIdx[x.ID]; dup {
			return fmt.Errorf("catalog: duplicate category %q", x.ID)
		}
		c.categoryIdx[x.ID] = i
	}
	c.seriesIdx = map[string]int{}
	for i, x := range c.Series {
		if _, dup := c.seriesIdx[x.ID]; dup {
			return fmt.Errorf("catalog: duplicate series %q", x.ID)
		}
		c.seriesIdx[x.ID] = i
	}
	c.criterionIdx = map[string]int{}
	for i, x := range c.Criteria {
		if _, dup := c.criterionIdx[x.ID]; dup {
			return fmt.Errorf("catalog: duplicate criterion %q", x.ID)
		}
		c.criterionIdx[x.ID] = i
		// The category of a criterion is the category of its series.
		if s, ok := c.seriesIdx[x.Series]; ok {
			c.Criteria[i].Category = c.Series[s].Category
		}
	}
	c.controlIdx = map[string]int{}
	for i, x := range c.Controls {
		if _, dup := c.controlIdx[x.ID]; dup {
			return fmt.Errorf("catalog: duplicate control %q", x.ID)
		}
		c.controlIdx[x.ID] = i
	}
	return nil
}

// Criterion returns the criterion with the given id.
func (c *Catalog) Criterion(id string) (Criterion, bool) {
	i, ok := c.criterionIdx[id]
	if !ok {
		return Criterion{}, false
	}
	return c.Criteria[i], true
}

// CategoryByID returns the category with the given id.
func (c *Catalog) CategoryByID(id string) (Category, bool) {
	i, ok := c.categoryIdx[id]
	if !ok {
		return Category{}, false
	}
	return c.Categories[i], true
}

// SeriesByID returns the series with the given id.
func (c *Catalog) SeriesByID(id string) (Series, bool) {
	i, ok := c.seriesIdx[id]
	if !ok {
		return Series{}, false
	}
	return c.Series[i], true
}

// Control returns the library control with the given id.
func (c *Catalog) Control(id string) (Control, bool) {
	i, ok := c.controlIdx[id]
	if !ok {
		return Control{}, false
	}
	return c.Controls[i], true
}

// ControlsFor lists the library controls mapped to a criterion.
func (c *Catalog) ControlsFor(criterionID string) []Control {
	var out []Control
	for _, ctl := range c.Controls {
		for _, id := range ctl.Criteria {
			if id == criterionID {
				out = append(out, ctl)
				break
			}
		}
	}
	return out
}

// CriterionIDs returns every criterion id in catalog order.
func (c *Catalog) CriterionIDs() []string {
	ids := make([]string, len(c.Criteria))
	for i, x := range c.Criteria {
		ids[i] = x.ID
	}
	return ids
}

// SortCriterionIDs orders criterion ids the way the framework lists them
// (CC1.1 before CC1.2 before CC10.1), falling back to string order for ids
// the catalog does not know.
func (c *Catalog) SortCriterionIDs(ids []string) {
	sort.SliceStable(ids, func(i, j int) bool {
		a, aok := c.criterionIdx[ids[i]]
		b, bok := c.criterionIdx[ids[j]]
		switch {
		case aok && bok:
			return a < b
		case aok != bok:
			return aok
		default:
			return ids[i] < ids[j]
		}
	})
}
