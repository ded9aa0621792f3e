package export_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/assay-platform/assay/export"
	"github.com/assay-platform/assay/store/sqlstore"
)

// oscalSchema is NIST's complete OSCAL 1.1.3 JSON schema (draft-07).
const oscalSchema = "/work/shared/oscal/oscal_complete_schema-1.1.3.json"

func compileOSCAL(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(oscalSchema)
	if err != nil {
		t.Skipf("the OSCAL schema is not here: %v", err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("oscal_complete_schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("oscal_complete_schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func TestOSCALValidates(t *testing.T) {
	sch := compileOSCAL(t)
	backends(t, func(t *testing.T, open func(sqlstore.Config) *sqlstore.DB) {
		w := newWorld(t, open)
		d, _ := w.data()
		var buf bytes.Buffer
		if err := export.WriteOSCAL(&buf, d); err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Fatalf("not valid OSCAL: %v\n%s", err, buf.String())
		}
		var doc struct {
			AR struct {
				Metadata struct {
					OSCALVersion string `json:"oscal-version"`
				} `json:"metadata"`
				Results []struct {
					Start, End string
					Findings   []struct {
						Target struct {
							Type     string `json:"type"`
							TargetID string `json:"target-id"`
							Status   struct{ State string }
						}
					}
					Observations []json.RawMessage
				}
				BackMatter struct {
					Resources []struct {
						Rlinks []struct {
							Hashes []struct{ Algorithm, Value string }
						}
					}
				} `json:"back-matter"`
			} `json:"assessment-results"`
		}
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		r := doc.AR.Results[0]
		if doc.AR.Metadata.OSCALVersion != "1.1.3" || !strings.HasPrefix(r.Start, "2026-02-01T00:00:00") || !strings.HasPrefix(r.End, "2026-04-30T23:59:59") {
			t.Errorf("metadata %+v, result %s..%s", doc.AR.Metadata, r.Start, r.End)
		}
		states := map[string]string{}
		for _, f := range r.Findings {
			if f.Target.Type != "objective-id" {
				t.Errorf("target type %q", f.Target.Type)
			}
			states[f.Target.TargetID] = f.Target.Status.State
		}
		if len(states) != 3 || states["CC6.2"] != "satisfied" || states["CC6.1"] != "not-satisfied" {
			t.Errorf("findings %v", states)
		}
		hashes := 0
		for _, res := range doc.AR.BackMatter.Resources {
			for _, l := range res.Rlinks {
				for _, h := range l.Hashes {
					if h.Algorithm == "SHA-256" && len(h.Value) == 64 {
						hashes++
					}
				}
			}
		}
		if hashes != 2 || len(r.Observations) != 3 {
			t.Errorf("%d hashes, %d observations", hashes, len(r.Observations))
		}
	})
}

// TestOSCALSchemaCatchesMistakes makes sure the validation is real.
func TestOSCALSchemaCatchesMistakes(t *testing.T) {
	sch := compileOSCAL(t)
	bad := `{"assessment-results":{"uuid":"not-a-uuid","metadata":{"title":"x"},"results":[]}}`
	inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(bad))
	if err := sch.Validate(inst); err == nil {
		t.Fatal("an invalid document validated")
	}
}
