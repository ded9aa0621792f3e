package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/export"
)

// An engagement's bundle carries each sampled population as frozen when
// it was drawn, with its provenance, and the ledger range between two
// signed checkpoints; `assay verify` lists the populations again from
// that range offline and notices a row removed or added, even when the
// population's own digests were recomputed to match.
func TestPopulationCompletenessProof(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	cli := func(now string, args ...string) string {
		t.Helper()
		out, err := runCLI(t, "a long passphrase\n", append([]string{"--data", data, "--now", now}, args...)...)
		if err != nil {
			t.Fatalf("assay %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	cli("2027-12-20T09:00:00Z", "user", "create", "--admin", "--email", "root@example.com", "--name", "Root", "--org-name", "Example Inc", "--password-stdin")
	cli("2027-12-21T09:00:00Z", "ledger", "checkpoint") // signed before the period: where the range starts
	created := cli("2027-12-22T09:00:00Z", "audit", "create", "--name", "SOC 2 Type II 2028", "--firm", "Example LLP", "--start", "2028-01-01", "--end", "2028-06-30")
	auditID := regexp.MustCompile(`Created audit (\d+)`).FindStringSubmatch(created)[1]
	// The period's changes: on 29 February, at the end of a quarter, and two hires.
	cli("2028-02-29T12:00:00Z", "control", "update", "ACC-01", "--status", "in_progress")
	cli("2028-03-31T23:30:00Z", "control", "update", "ACC-01", "--status", "implemented")
	cli("2028-04-02T09:00:00Z", "control", "update", "CHG-01", "--status", "in_progress")
	cli("2028-04-03T09:00:00Z", "user", "create", "--email", "hana@example.com", "--name", "Hana", "--role", "member", "--password-stdin")
	cli("2028-05-03T09:00:00Z", "user", "create", "--email", "ivo@example.com", "--name", "Ivo", "--role", "member", "--password-stdin")
	cli("2028-07-02T09:00:00Z", "control", "update", "CHG-01", "--status", "implemented") // after the period
	for _, args := range [][]string{
		{"--population", "changes", "--size", "3"},
		{"--population", "control_changes", "--control", "ACC-01", "--size", "1"},
		{"--population", "people", "--size", "1"},
	} {
		cli("2028-07-03T09:00:00Z", append([]string{"audit", "sample", "--audit", auditID}, args...)...)
	}
	cli("2028-07-04T09:00:00Z", "control", "update", "ACC-01", "--status", "in_progress") // after the samples: not in them
	cli("2028-07-04T10:00:00Z", "evidence", "request", "create", "--control", "ACC-01", "--description", "The MFA policy export for the period.", "--due", "2028-07-04", "--assignee", "root@example.com")

	dir := t.TempDir()
	bundle := filepath.Join(dir, "bundle.zip")
	cli("2028-07-05T09:00:00Z", "export", "bundle", "--audit", auditID, "--out", bundle, "--as", "root@example.com")
	key := lastLine(cli("2028-07-05T09:00:00Z", "ledger", "key"))
	out, err := runCLI(t, "", "verify", bundle, "--key", key)
	if err != nil || !strings.Contains(out, "Everything matches") || strings.Count(out, "listed again from the ledger") != 3 {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	checkWorkpaper(t, cli("2028-07-05T09:00:00Z", "export", "workpaper", "--audit", auditID, "--out", filepath.Join(dir, "wp.xlsx"), "--as", "root@example.com"), filepath.Join(dir, "wp.xlsx"))
	recs := readPopulations(t, bundle)
	if len(recs) != 3 {
		t.Fatalf("%d populations in the bundle", len(recs))
	}
	changes, people := recs["populations/sample-1.json"], recs["populations/sample-3.json"]
	prov := changes.Population.Provenance
	if !changes.Population.Frozen || prov == nil || !strings.Contains(prov.Query, "FROM activity") || !strings.HasPrefix(prov.Producer, "assay ") ||
		prov.Count != len(changes.Population.Items) || prov.RowsDigest != assay.RowsDigest(changes.Population.Items) {
		t.Fatalf("provenance: %+v", prov)
	}
	if n := len(people.Population.Items); n != 2 {
		t.Fatalf("people population: %d hires, want 2: %+v", n, people.Population.Items)
	}

	// Tamper: a row removed, or one added, with every digest and count
	// recomputed so the population agrees with itself.
	for name, spoil := range map[string]func(*export.PopulationRecord){
		"a row removed": func(r *export.PopulationRecord) {
			r.Population.Items = r.Population.Items[1:]
		},
		"a row added": func(r *export.PopulationRecord) {
			r.Population.Items = append(r.Population.Items, assay.PopulationItem{Key: "activity:999999", Label: "invented", At: r.WindowStart})
		},
	} {
		spoiled := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".zip")
		rewriteBundle(t, bundle, spoiled, "populations/sample-1.json", func(r *export.PopulationRecord, m *export.Manifest) {
			spoil(r)
			keys := assay.SortedKeys(r.Population.Items)
			r.Population.Digest = assay.PopulationDigest(keys)
			r.Population.Provenance.RowsDigest = assay.RowsDigest(r.Population.Items)
			r.Population.Provenance.Count = len(keys)
			r.Keys = assay.DrawSample(keys, r.Seed, r.Size)
			for i := range m.Populations {
				if m.Populations[i].Path == "populations/sample-1.json" {
					m.Populations[i].Digest, m.Populations[i].RowsDigest, m.Populations[i].Count = r.Population.Digest, r.Population.Provenance.RowsDigest, len(keys)
				}
			}
		})
		out, err := runCLI(t, "", "verify", spoiled, "--key", key)
		if err == nil || !strings.Contains(out+err.Error(), "does not match the ledger") {
			t.Errorf("%s: verify: %v\n%s", name, err, out)
		}
	}
	// A row removed without fixing the digests is caught by the digests.
	spoiled := filepath.Join(dir, "raw.zip")
	rewriteBundle(t, bundle, spoiled, "populations/sample-3.json", func(r *export.PopulationRecord, _ *export.Manifest) {
		r.Population.Items = r.Population.Items[1:]
	})
	if out, err := runCLI(t, "", "verify", spoiled, "--key", key); err == nil || !strings.Contains(out+err.Error(), "a row was added, removed or changed") {
		t.Errorf("raw removal: verify: %v\n%s", err, out)
	}
}

func readPopulations(t *testing.T, path string) map[string]export.PopulationRecord {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string]export.PopulationRecord{}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "populations/") {
			continue
		}
		rc, _ := f.Open()
		var r export.PopulationRecord
		if err := json.NewDecoder(rc).Decode(&r); err != nil {
			t.Fatal(err)
		}
		rc.Close()
		out[f.Name] = r
	}
	return out
}

// rewriteBundle copies a bundle, changing one population record and the
// manifest with fn.
func rewriteBundle(t *testing.T, from, to, name string, fn func(*export.PopulationRecord, *export.Manifest)) {
	t.Helper()
	zr, err := zip.OpenReader(from)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	docs := map[string][]byte{}
	var order []string
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		docs[f.Name] = b
		order = append(order, f.Name)
	}
	var rec export.PopulationRecord
	var m export.Manifest
	if err := json.Unmarshal(docs[name], &rec); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(docs[export.ManifestPath], &m); err != nil {
		t.Fatal(err)
	}
	fn(&rec, &m)
	docs[name], _ = json.Marshal(rec)
	docs[export.ManifestPath], _ = json.Marshal(m)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range order {
		w, _ := zw.Create(n)
		w.Write(docs[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// checkWorkpaper reads the auditor's workpaper the test's engagement
// produced: ACC-01's row names its sampled population and items, its
// exceptions and the overdue request; the samples sheet lists every drawn
// item; the requests sheet the request.
func checkWorkpaper(t *testing.T, out, path string) {
	t.Helper()
	if !strings.Contains(out, "Wrote the auditor-workpaper") {
		t.Fatalf("export workpaper: %s", out)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(export.WorkpaperSheet)
	if err != nil || len(rows) < 90 || !slices.Equal(rows[0], export.WorkpaperHeader) {
		t.Fatalf("workpaper sheet: %v, %d rows", err, len(rows))
	}
	var acc []string
	for _, r := range rows {
		if r[0] == "ACC-01" {
			acc = r
		}
	}
	cell := func(name string) string {
		i := slices.Index(export.WorkpaperHeader, name)
		if i < 0 || i >= len(acc) {
			return ""
		}
		return acc[i]
	}
	if !strings.HasPrefix(cell("Population"), "control_changes (sample 2") || cell("Population size") != "2" || !strings.HasPrefix(cell("Sample items"), "activity:") ||
		!strings.HasPrefix(cell("Result"), "Exceptions noted") || !strings.Contains(cell("Requests (status)"), "overdue") {
		t.Fatalf("ACC-01's row: %q", acc)
	}
	samples, _ := f.GetRows(export.SamplesSheet)
	if len(samples) != 1+3+1+1 { // the header, then 3 changes, 1 of ACC-01's changes, 1 hire
		t.Fatalf("samples sheet: %d rows: %q", len(samples), samples)
	}
	requests, _ := f.GetRows(export.RequestsSheet)
	if len(requests) != 2 || len(requests[0]) != len(export.RequestsHeader) || requests[0][2] != "Control" || requests[1][2] != "ACC-01" || requests[1][9] != "yes" {
		t.Fatalf("requests sheet: %q", requests)
	}
}
