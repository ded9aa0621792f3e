package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// axe-core, the accessibility engine the browser tests run in each page.
// It comes from the npm registry at a pinned version whose tarball must
// match the registry's published integrity; it is only ever injected into
// pages under test, never served by Assay.
const (
	axeVersion   = "4.14.1"
	axeIntegrity = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)

var axeOnce struct {
	sync.Once
	src string
	err error
}

// axeScript returns axe.min.js: from ASSAY_AXE_JS when set, else from
// the user's cache, else fetched with `npm pack` into that cache. Without
// npm the test skips, except in CI, where it fails.
func axeScript(t *testing.T) string {
	t.Helper()
	axeOnce.Do(func() { axeOnce.src, axeOnce.err = loadAxe() })
	if axeOnce.err != nil {
		if errors.Is(axeOnce.err, exec.ErrNotFound) && os.Getenv("CI") == "" {
			t.Skip("npm not found; install Node.js to fetch axe-core for the accessibility pass")
		}
		t.Fatalf("axe-core: %v", axeOnce.err)
	}
	return axeOnce.src
}

func loadAxe() (string, error) {
	if p := os.Getenv("ASSAY_AXE_JS"); p != "" {
		b, err := os.ReadFile(p)
		return string(b), err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "assay-test", "axe-core-"+axeVersion)
	js := filepath.Join(dir, "axe.min.js")
	if b, err := os.ReadFile(js); err == nil {
		return string(b), nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(dir, "pack-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command(npm, "pack", "axe-core@"+axeVersion, "--pack-destination", tmp, "--silent")
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", errors.New("npm pack axe-core: " + err.Error() + ": " + string(out))
	}
	tgz := filepath.Join(tmp, "axe-core-"+axeVersion+".tgz")
	raw, err := os.ReadFile(tgz)
	if err != nil {
		return "", err
	}
	sum := sha512.Sum512(raw)
	if got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:]); got != axeIntegrity {
		return "", errors.New("axe-core tarball integrity " + got + ", want " + axeIntegrity)
	}
	src, err := untarFile(raw, "package/axe.min.js")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(js+".part", src, 0o644); err != nil {
		return "", err
	}
	return string(src), os.Rename(js+".part", js)
}

// untarFile reads one file out of a gzipped tarball.
func untarFile(tgz []byte, name string) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, errors.New(name + " is not in the axe-core package")
		}
		if err != nil {
			return nil, err
		}
		if h.Name == name {
			return io.ReadAll(io.LimitReader(tr, 10<<20))
		}
	}
}
