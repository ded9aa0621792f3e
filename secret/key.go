package secret

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Source says where a box's key came from.
type Source string

// Where a key came from.
const (
	FromEnv     Source = "env"     // ASSAY_SECRET_KEY
	FromFile    Source = "file"    // DATA/secret.key, already there
	FromNewFile Source = "created" // DATA/secret.key, written just now
)

// Load returns the box for an installation: the key in ASSAY_SECRET_KEY
// when set (getenv is os.Getenv in production), otherwise the key in
// dir/secret.key, created (0600) when the file does not exist. A key file
// that is there but unreadable or malformed is an error, never replaced.
func Load(dir string, getenv func(string) string) (*Box, Source, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if v := getenv(EnvKey); v != "" {
		k, err := ParseKey(v)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", EnvKey, err)
		}
		b, err := New(k)
		return b, FromEnv, err
	}
	path := filepath.Join(dir, KeyFile)
	b, err := loadFile(path)
	if err == nil {
		return b, FromFile, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, "", err
	}
	return createFile(dir, path)
}

func loadFile(path string) (*Box, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("secret key file: %w", err)
	}
	k, err := ParseKey(string(raw))
	if err != nil {
		return nil, fmt.Errorf("secret key file %s: %w", path, err)
	}
	return New(k)
}

// createFile writes a new random key to a temporary file and links it into
// place, so the file is never partial and, of two processes starting at
// once, the first one's key wins and both use it.
func createFile(dir, path string) (*Box, Source, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", fmt.Errorf("secret key: create data folder: %w", err)
	}
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, "", fmt.Errorf("secret key: %w", err)
	}
	f, err := os.CreateTemp(dir, ".secret.key-*") // 0600
	if err != nil {
		return nil, "", fmt.Errorf("secret key: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, werr := f.WriteString(base64.StdEncoding.EncodeToString(k) + "\n")
	serr := f.Sync()
	if err := errors.Join(werr, serr, f.Close()); err != nil {
		return nil, "", fmt.Errorf("secret key: write: %w", err)
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return nil, "", fmt.Errorf("secret key: %w", err)
	}
	if err := os.Link(tmp, path); errors.Is(err, fs.ErrExist) {
		b, err := loadFile(path)
		return b, FromFile, err
	} else if err != nil {
		return nil, "", fmt.Errorf("secret key: put in place: %w", err)
	}
	b, err := New(k)
	return b, FromNewFile, err
}
