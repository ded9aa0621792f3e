package runner

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/evidence"
)

// A run's snapshot is every resource the collector produced, each stored
// as canonical JSON (encoding/json: sorted map keys, no spaces) in the
// content-addressed blob store, and a manifest blob listing them:
//
//	{"version":1,"resources":[{"kind":"http.endpoint","id":"https://a","sha256":"..."}, ...]}
//
// sorted by kind then id. The run records the manifest's digest, so the
// same resources can be evaluated again later (Reevaluate), and a resource
// that did not change between runs is stored once.

// ManifestEntry names one resource of a snapshot.
type ManifestEntry struct {
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	SHA256 string `json:"sha256"`
}

// Manifest lists a snapshot's resources.
type Manifest struct {
	Version   int             `json:"version"`
	Resources []ManifestEntry `json:"resources"`
}

// maxBlob bounds one resource or manifest read back from the store.
const maxBlob = 256 << 20

// putBlob stores b unless a blob with its digest is already there (the
// common case for a resource that did not change since the last run,
// which then costs no write and no fsync).
func putBlob(blobs evidence.Store, b []byte) (string, error) {
	sum := sha256.Sum256(b)
	digest := hex.EncodeToString(sum[:])
	if ok, err := blobs.Has(digest); err == nil && ok {
		return digest, nil
	}
	blob, err := blobs.Put(bytes.NewReader(b), 0)
	if err != nil {
		return "", fmt.Errorf("store snapshot blob: %w", err)
	}
	return blob.SHA256, nil
}

// Snapshot stores the resources and their manifest and returns the
// manifest's digest.
func Snapshot(ctx context.Context, blobs evidence.Store, resources []assay.Resource) (string, error) {
	m := Manifest{Version: 1, Resources: make([]ManifestEntry, 0, len(resources))}
	for _, r := range resources {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		b, err := json.Marshal(r)
		if err != nil {
			return "", fmt.Errorf("encode resource %s %q: %w", r.Kind, r.ID, err)
		}
		sum, err := putBlob(blobs, b)
		if err != nil {
			return "", err
		}
		m.Resources = append(m.Resources, ManifestEntry{Kind: r.Kind, ID: r.ID, SHA256: sum})
	}
	sort.Slice(m.Resources, func(i, j int) bool {
		a, b := m.Resources[i], m.Resources[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.ID < b.ID
	})
	b, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("encode manifest: %w", err)
	}
	return putBlob(blobs, b)
}

// readBlob reads a whole blob, checked against its digest.
func readBlob(blobs evidence.Store, digest string) ([]byte, error) {
	r, err := blobs.Open(digest, -1)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if r.Size() > maxBlob {
		return nil, fmt.Errorf("blob %s is %d bytes, more than %d", digest, r.Size(), maxBlob)
	}
	return io.ReadAll(r)
}

// LoadSnapshot reads a snapshot's resources back, in manifest order.
func LoadSnapshot(ctx context.Context, blobs evidence.Store, digest string) ([]assay.Resource, error) {
	raw, err := readBlob(blobs, digest)
	if err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", digest, err)
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil || m.Version != 1 {
		return nil, fmt.Errorf("snapshot %s is not a version 1 manifest (%v)", digest, err)
	}
	out := make([]assay.Resource, 0, len(m.Resources))
	for _, e := range m.Resources {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := readBlob(blobs, e.SHA256)
		if err != nil {
			return nil, fmt.Errorf("snapshot %s, resource %s %q: %w", digest, e.Kind, e.ID, err)
		}
		var r assay.Resource
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&r); err != nil {
			return nil, fmt.Errorf("snapshot %s, resource %s %q: %w", digest, e.Kind, e.ID, err)
		}
		out = append(out, r)
	}
	return out, nil
}
