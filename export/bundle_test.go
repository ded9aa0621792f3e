package export_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/assay-platform/assay/export"
	"github.com/assay-platform/assay/ledger"
	"github.com/assay-platform/assay/store/sqlstore"
)

// rewrite copies a zip, passing each entry's content through edit (which
// may return nil to drop the entry).
func rewrite(t *testing.T, in []byte, edit func(name string, b []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if b = edit(f.Name, b); b == nil {
			continue
		}
		fw, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func editJSON(t *testing.T, b []byte, v any, fn func()) []byte {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
	fn()
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBundleVerifies(t *testing.T) {
	backends(t, func(t *testing.T, open func(sqlstore.Config) *sqlstore.DB) {
		w := newWorld(t, open)
		b := w.bundle()
		rep, err := export.VerifyBundle(bytes.NewReader(b), int64(len(b)), w.key.VerifierKey)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Items != 3 || rep.Files != 2 || rep.Proofs != 3 || !rep.KeyChecked || rep.Organization != "Northwind Test" {
			t.Fatalf("report %+v", rep)
		}
		var m export.Manifest
		zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		for _, f := range zr.File {
			if f.Name == export.ManifestPath {
				rc, _ := f.Open()
				json.NewDecoder(rc).Decode(&m)
				rc.Close()
			}
		}
		if len(m.Items) != 3 || m.Items[0].Path == "" || !strings.HasSuffix(m.Items[1].Path, "-access.txt") || m.Items[0].LedgerSeq == 0 {
			t.Fatalf("manifest items %+v", m.Items)
		}
	})
}

func TestBundleTamper(t *testing.T) {
	backends(t, func(t *testing.T, open func(sqlstore.Config) *sqlstore.DB) {
		w := newWorld(t, open)
		good := w.bundle()
		other, _, err := ledger.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		isFile := func(name string) bool {
			return strings.HasPrefix(name, "files/") && strings.HasSuffix(name, "-access-review_q1.csv")
		}
		cases := []struct {
			name   string
			edit   func(name string, b []byte) []byte
			key    string // expected key; "" uses the real one
			noKey  bool
			wantIn string
		}{
			{name: "a byte of a file", edit: func(n string, b []byte) []byte {
				if isFile(n) {
					b[0] ^= 1
				}
				return b
			}, wantIn: "the file was changed"},
			{name: "the manifest's digest", edit: func(n string, b []byte) []byte {
				if n != export.ManifestPath {
					return b
				}
				var m export.Manifest
				return editJSON(t, b, &m, func() { m.Items[0].SHA256 = strings.Repeat("0", 64) })
			}, wantIn: "but the ledger recorded"},
			{name: "a leaf", edit: func(n string, b []byte) []byte {
				if n != export.ProofsPath {
					return b
				}
				var ps []ledger.Inclusion
				return editJSON(t, b, &ps, func() { ps[0].Leaf = strings.Replace(ps[0].Leaf, "Test Admin", "Test Admix", 1) })
			}, wantIn: "does not hash to the leaf hash"},
			{name: "a leaf and its hash", edit: func(n string, b []byte) []byte {
				if n != export.ProofsPath {
					return b
				}
				var ps []ledger.Inclusion
				return editJSON(t, b, &ps, func() {
					ps[0].Leaf = strings.Replace(ps[0].Leaf, "Test Admin", "Test Admix", 1)
					ps[0].LeafHash = ledgerRecordHash(ps[0].Leaf)
				})
			}, wantIn: "is not in the tree"},
			{name: "a dropped proof hash", edit: func(n string, b []byte) []byte {
				if n != export.ProofsPath {
					return b
				}
				var ps []ledger.Inclusion
				return editJSON(t, b, &ps, func() { ps[1].Proof = ps[1].Proof[1:] })
			}, wantIn: "does not check against the signed checkpoint"},
			{name: "a dropped file", edit: func(n string, b []byte) []byte {
				if isFile(n) {
					return nil
				}
				return b
			}, wantIn: "is missing from the bundle"},
			{name: "the checkpoint", edit: func(n string, b []byte) []byte {
				if n == export.CheckpointPath {
					lines := strings.SplitN(string(b), "\n", 3)
					lines[1] = "999"
					return []byte(strings.Join(lines, "\n"))
				}
				return b
			}, wantIn: "signature does not verify"},
			{name: "the key", edit: func(n string, b []byte) []byte {
				if n == export.PublicKeyPath {
					return []byte(other.VerifierKey + "\n")
				}
				return b
			}, noKey: true, wantIn: "signature does not verify"},
			{name: "a key that is not the expected one", edit: func(_ string, b []byte) []byte { return b },
				key: other.VerifierKey, wantIn: "is not the expected key"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				b := rewrite(t, good, c.edit)
				key := w.key.VerifierKey
				if c.key != "" {
					key = c.key
				}
				if c.noKey {
					key = ""
				}
				_, err := export.VerifyBundle(bytes.NewReader(b), int64(len(b)), key)
				var be *export.BundleError
				if !errors.As(err, &be) {
					t.Fatalf("got %v, want a BundleError", err)
				}
				if !strings.Contains(err.Error(), c.wantIn) || strings.Count(strings.TrimSuffix(err.Error(), "."), ". ") > 0 {
					t.Fatalf("got %q, want one sentence with %q", err, c.wantIn)
				}
			})
		}
		// An untouched copy still verifies, with and without the key.
		b := rewrite(t, good, func(_ string, b []byte) []byte { return b })
		if _, err := export.VerifyBundle(bytes.NewReader(b), int64(len(b)), ""); err != nil {
			t.Fatal(err)
		}
	})
}
