package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/ledger"
	"github.com/assay-platform/assay/secret"
	"github.com/assay-platform/assay/store/sqlite"
)

// A backup is a folder laid out as a data folder (assay.db, ledger.key,
// ledger.checkpoint, secret.key, blobs/sha256/...) plus manifest.json,
// written last, which lists every file but the blobs with its SHA-256 (a
// blob's name is its digest). A folder without a manifest is not a backup.
const backupManifest = "manifest.json"

// backupFiles are the data folder's small files, in the order they are
// copied: the last checkpoint before the database, so the copy of the
// database always holds the checkpoint the copy of the file names (the
// server writes a checkpoint to the database before the file).
var backupFiles = []string{ledger.LastCheckpointFile, ledger.KeyFile, secret.KeyFile}

// manifest describes a backup.
type manifest struct {
	AssayVersion string            `json:"assay_version"`
	CreatedAt    time.Time         `json:"created_at"`
	Database     string            `json:"database"` // "sqlite", or why it is not included
	Blobs        string            `json:"blobs"`    // "folder", or where they are instead
	BlobCount    int               `json:"blob_count"`
	Files        map[string]string `json:"files"` // name -> SHA-256
	Notes        []string          `json:"notes,omitempty"`
}

// backupSource is what to back up.
type backupSource struct {
	data, dbURL, blobsURL string
	now                   time.Time
}

// backup copies a data folder, consistently, into dir (new or empty),
// while a server may be running on it. The order keeps the copy whole:
// the last checkpoint, then the keys, then one snapshot of the database
// (SQLite's VACUUM INTO), then the blobs. Blobs are immutable and a record
// is written only after its blob, so every blob the snapshot's records
// name is already there when the blobs are copied; each is checked against
// its digest as it is copied.
func backup(ctx context.Context, src backupSource, dir string) (manifest, error) {
	man := manifest{AssayVersion: assay.Version, CreatedAt: src.now.UTC(), Files: map[string]string{}}
	if err := emptyFolder(dir); err != nil {
		return man, err
	}
	for _, name := range backupFiles {
		sum, err := copyFile(filepath.Join(src.data, name), filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return man, err
		}
		man.Files[name] = sum
	}
	if _, ok := man.Files[secret.KeyFile]; !ok && os.Getenv(secret.EnvKey) != "" {
		man.Notes = append(man.Notes, "The secret key is in "+secret.EnvKey+", not in the data folder: keep it with this backup.")
	}
	switch {
	case src.dbURL == "":
		db := filepath.Join(dir, "assay.db")
		if err := sqlite.Backup(ctx, filepath.Join(src.data, "assay.db"), db); err != nil {
			return man, err
		}
		sum, err := fileSHA256(db)
		if err != nil {
			return man, err
		}
		man.Files["assay.db"], man.Database = sum, "sqlite"
	default:
		man.Database = "not included: back up PostgreSQL with pg_dump (see the README)"
	}
	if src.blobsURL != "" {
		man.Blobs = "not included: they are in " + redactURL(src.blobsURL) + " (see the README on bucket versioning)"
	} else {
		n, err := copyBlobs(filepath.Join(src.data, "blobs"), filepath.Join(dir, "blobs"))
		if err != nil {
			return man, err
		}
		man.Blobs, man.BlobCount = "folder", n
	}
	return man, writeManifest(dir, man)
}

// restore puts the backup in dir into data, which must be new or empty.
// Every file is checked against the manifest and every blob against its
// digest before it is written.
func restore(dir, data string) (manifest, error) {
	var man manifest
	raw, err := os.ReadFile(filepath.Join(dir, backupManifest))
	if err != nil {
		return man, fmt.Errorf("%s is not a finished backup (no %s): %w", dir, backupManifest, err)
	}
	if err := json.Unmarshal(raw, &man); err != nil {
		return man, fmt.Errorf("read %s: %w", backupManifest, err)
	}
	if err := emptyFolder(data); err != nil {
		return man, err
	}
	names := make([]string, 0, len(man.Files))
	for name := range man.Files {
		if name != filepath.Base(name) || name == backupManifest {
			return man, fmt.Errorf("%s names %q, which is not a data folder file", backupManifest, name)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		sum, err := copyFile(filepath.Join(dir, name), filepath.Join(data, name))
		if err != nil {
			return man, err
		}
		if sum != man.Files[name] {
			return man, fmt.Errorf("%s in the backup does not match the manifest (SHA-256 %s, not %s): the backup was changed", name, sum, man.Files[name])
		}
	}
	if man.Blobs == "folder" {
		n, err := copyBlobs(filepath.Join(dir, "blobs"), filepath.Join(data, "blobs"))
		if err != nil {
			return man, err
		}
		if n != man.BlobCount {
			return man, fmt.Errorf("the backup has %d blobs, its manifest says %d", n, man.BlobCount)
		}
	}
	return man, nil
}

// emptyFolder makes dir, or accepts it when it exists and is empty.
func emptyFolder(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create %s: %w", dir, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("read %s: %w", dir, err)
	case len(entries) > 0:
		return fmt.Errorf("%s is not empty: give a new folder", dir)
	}
	return nil
}

// copyBlobs copies every blob from one blob folder to another, checking
// each, and returns how many there are.
func copyBlobs(from, to string) (int, error) {
	if _, err := os.Stat(from); errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	src, err := evidence.Open(from)
	if err != nil {
		return 0, err
	}
	dst, err := evidence.Open(to)
	if err != nil {
		return 0, err
	}
	var digests []string
	if err := src.Walk(func(b evidence.Blob) error { digests = append(digests, b.SHA256); return nil }); err != nil {
		return 0, fmt.Errorf("list blobs in %s: %w", from, err)
	}
	for _, d := range digests {
		if _, err := evidence.Copy(dst, src, d); err != nil {
			return 0, err
		}
	}
	return len(digests), nil
}

// copyFile copies a file (mode 0600, synced) and returns its SHA-256.
func copyFile(from, to string) (string, error) {
	in, err := os.Open(from)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("create %s: %w", to, err)
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(out, h), in); err != nil {
		out.Close()
		return "", fmt.Errorf("copy %s: %w", from, err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return "", fmt.Errorf("sync %s: %w", to, err)
	}
	if err := out.Close(); err != nil {
		return "", fmt.Errorf("close %s: %w", to, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeManifest writes the manifest last, through a temporary name, so
// that its presence means the backup is complete.
func writeManifest(dir string, man manifest) error {
	b, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, "."+backupManifest)
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, backupManifest)); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return nil
}
