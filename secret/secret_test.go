package secret

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
)

func newBox(t *testing.T) *Box {
	t.Helper()
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	b, err := New(k)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	b := newBox(t)
	in := map[string]string{"password": "hunter2-very-secret", "dsn": "postgres://u:p@h/db"}
	sealed, err := b.Seal(SourceAAD(1, 7), in)
	if err != nil {
		t.Fatal(err)
	}
	if sealed[0] != version1 {
		t.Fatalf("version byte %d", sealed[0])
	}
	if bytes.Contains(sealed, []byte("hunter2")) {
		t.Fatal("plaintext visible in the sealed blob")
	}
	out, err := b.Open(SourceAAD(1, 7), sealed)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("got %v, want %v", out, in)
	}
	// A random nonce: sealing twice gives different blobs.
	again, _ := b.Seal(SourceAAD(1, 7), in)
	if bytes.Equal(again, sealed) {
		t.Fatal("two seals of the same secrets are identical")
	}
	// Empty secrets seal and open as an empty map.
	e, err := b.Seal(SourceAAD(1, 7), nil)
	if err != nil {
		t.Fatal(err)
	}
	if m, err := b.Open(SourceAAD(1, 7), e); err != nil || len(m) != 0 {
		t.Fatalf("empty: %v %v", m, err)
	}
}

func TestOpenRejects(t *testing.T) {
	b := newBox(t)
	sealed, err := b.Seal(SourceAAD(1, 7), map[string]string{"token": "abc"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range sealed {
		bad := bytes.Clone(sealed)
		bad[i] ^= 0x01
		if _, err := b.Open(SourceAAD(1, 7), bad); !errors.Is(err, ErrOpen) {
			t.Fatalf("byte %d flipped: err %v, want ErrOpen", i, err)
		}
	}
	if _, err := b.Open(SourceAAD(1, 7), sealed[:len(sealed)-1]); !errors.Is(err, ErrOpen) {
		t.Fatalf("truncated: %v", err)
	}
	if _, err := b.Open(SourceAAD(1, 7), nil); !errors.Is(err, ErrOpen) {
		t.Fatalf("empty: %v", err)
	}
	if _, err := newBox(t).Open(SourceAAD(1, 7), sealed); !errors.Is(err, ErrOpen) {
		t.Fatalf("wrong key: %v", err)
	}
	for _, aad := range [][]byte{SourceAAD(1, 8), SourceAAD(2, 7), AAD(1, "alert:7"), nil} {
		if _, err := b.Open(aad, sealed); !errors.Is(err, ErrOpen) {
			t.Fatalf("wrong owner %q: %v", aad, err)
		}
	}
	// The error never carries the secret.
	_, err = newBox(t).Open(SourceAAD(1, 7), sealed)
	if bytes.Contains([]byte(err.Error()), []byte("abc")) {
		t.Fatalf("error reveals the secret: %v", err)
	}
}

func TestNewRejectsShortKey(t *testing.T) {
	if _, err := New(make([]byte, 16)); err == nil {
		t.Fatal("a 16-byte key was accepted")
	}
	if _, err := ParseKey(base64.StdEncoding.EncodeToString(make([]byte, 31))); err == nil {
		t.Fatal("a 31-byte key was accepted")
	}
	if _, err := ParseKey("not base64 !!"); err == nil {
		t.Fatal("garbage accepted")
	}
}

func noEnv(string) string { return "" }

func TestKeyFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	b1, src, err := Load(dir, noEnv)
	if err != nil || src != FromNewFile {
		t.Fatalf("first load: %v %v", src, err)
	}
	info, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Fatalf("key file mode %o, want 600", perm)
	}
	sealed, _ := b1.Seal(SourceAAD(3, 4), map[string]string{"k": "v"})
	b2, src, err := Load(dir, noEnv)
	if err != nil || src != FromFile {
		t.Fatalf("second load: %v %v", src, err)
	}
	if m, err := b2.Open(SourceAAD(3, 4), sealed); err != nil || m["k"] != "v" {
		t.Fatalf("reloaded key does not open: %v %v", m, err)
	}
	// No temporary files left behind.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("files in data folder: %d, want 1", len(entries))
	}
	// A damaged key file is an error, never replaced.
	if err := os.WriteFile(filepath.Join(dir, KeyFile), []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load(dir, noEnv); err == nil {
		t.Fatal("a malformed key file was accepted")
	}
	if raw, _ := os.ReadFile(filepath.Join(dir, KeyFile)); string(raw) != "short" {
		t.Fatal("the malformed key file was replaced")
	}
}

func TestKeyFromEnv(t *testing.T) {
	k := make([]byte, KeySize)
	rand.Read(k)
	env := func(name string) string {
		if name == EnvKey {
			return base64.StdEncoding.EncodeToString(k)
		}
		return ""
	}
	dir := t.TempDir()
	b, src, err := Load(dir, env)
	if err != nil || src != FromEnv {
		t.Fatalf("env load: %v %v", src, err)
	}
	if _, err := os.Stat(filepath.Join(dir, KeyFile)); !os.IsNotExist(err) {
		t.Fatal("a key file was written although the key came from the environment")
	}
	direct, _ := New(k)
	sealed, _ := direct.Seal(AAD(1, "x"), map[string]string{"a": "b"})
	if _, err := b.Open(AAD(1, "x"), sealed); err != nil {
		t.Fatal(err)
	}
	bad := func(string) string { return "AAAA" }
	if _, _, err := Load(dir, bad); err == nil {
		t.Fatal("a short env key was accepted")
	}
}

// Two processes (here goroutines) creating the key at once end up with
// the same key.
func TestKeyCreateRace(t *testing.T) {
	dir := t.TempDir()
	boxes := make([]*Box, 8)
	var wg sync.WaitGroup
	for i := range boxes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, _, err := Load(dir, noEnv)
			if err != nil {
				t.Error(err)
			}
			boxes[i] = b
		}()
	}
	wg.Wait()
	sealed, _ := boxes[0].Seal(AAD(1, "x"), map[string]string{"a": "b"})
	for i, b := range boxes {
		if _, err := b.Open(AAD(1, "x"), sealed); err != nil {
			t.Fatalf("box %d has another key: %v", i, err)
		}
	}
}
