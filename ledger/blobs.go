package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
)

// Blobs live in the data folder at blobs/sha256/<first 2 hex>/<64 hex>,
// named by the SHA-256 of their content.

func isHexDigest(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// checkBlobs hashes every blob, then makes sure every evidence digest has
// one.
func checkBlobs(ctx context.Context, snap Snapshot, opts Options, rep *Report) error {
	digests, exists, err := snap.EvidenceDigests(ctx)
	if err != nil {
		return fmt.Errorf("read evidence digests: %w", err)
	}
	check, dir := opts.Blobs, opts.BlobDir
	if check == nil {
		if dir == "" {
			return nil
		}
		check = func(ctx context.Context) (map[string]bool, error) { return CheckBlobDir(ctx, dir) }
	}
	have, err := check(ctx)
	if err != nil {
		return err
	}
	rep.Blobs = len(have)
	if !exists {
		return nil
	}
	sort.Strings(digests)
	for _, d := range digests {
		if !isHexDigest(d) {
			return mismatch("An evidence record points at %q, which is not a SHA-256 digest: the row was changed.", d)
		}
		if !have[d] && opts.Blobs != nil {
			return mismatch("Evidence blob %s is missing from %s: the object was deleted or moved.", d, opts.BlobsWhere)
		}
		if !have[d] {
			return mismatch("Evidence blob %s is missing from %s: the file was deleted or moved.", d, filepath.Join(dir, "sha256", d[:2]))
		}
	}
	rep.EvidenceDigests = len(digests)
	return nil
}

// CheckBlobDir hashes every file under dir/sha256 and returns the digests
// found. A file whose name is not the SHA-256 of its content, or that is not
// where a blob belongs, is a *Mismatch (the first in path order).
func CheckBlobDir(ctx context.Context, dir string) (map[string]bool, error) {
	root := filepath.Join(dir, "sha256")
	var paths []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == root {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		paths = append(paths, path)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read blobs: %w", err)
	}
	// Hash in parallel; report the first bad file in path order.
	bad := make([]error, len(paths))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				bad[i] = checkBlob(root, paths[i])
			}
		}()
	}
	for i := range paths {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for i, p := range paths {
		if bad[i] != nil {
			return nil, bad[i]
		}
		have[filepath.Base(p)] = true
	}
	return have, nil
}

func checkBlob(root, path string) error {
	rel, _ := filepath.Rel(root, path)
	name := filepath.Base(path)
	if !isHexDigest(name) || filepath.Dir(rel) != name[:2] {
		return mismatch("%s is not a blob: files under %s are named <2 hex>/<64 hex>.", path, root)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read blob: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("read blob %s: %w", path, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != name {
		return mismatch("Blob %s does not match its name: its content hashes to %s, so the file was changed.", path, got)
	}
	return nil
}
