package evidence_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/assay-platform/assay/evidence"
)

func digestOf(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func open(t *testing.T) *evidence.FS {
	t.Helper()
	s, err := evidence.Open(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readAll(t *testing.T, s *evidence.FS, digest string, size int64) ([]byte, error) {
	t.Helper()
	r, err := s.Open(digest, size)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

func TestPutStoresContentAddressed(t *testing.T) {
	s := open(t)
	content := []byte("quarterly access review, signed off\n")
	b, err := s.Put(bytes.NewReader(content), 0)
	if err != nil {
		t.Fatal(err)
	}
	if b.SHA256 != digestOf(content) || b.Size != int64(len(content)) {
		t.Fatalf("blob = %+v", b)
	}
	want := filepath.Join(s.Root(), "sha256", b.SHA256[:2], b.SHA256)
	if s.Path(b.SHA256) != want {
		t.Fatalf("path = %s", s.Path(b.SHA256))
	}
	st, err := os.Stat(want)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("blob file: %v %v", st.Mode(), err)
	}
	for _, dir := range []string{s.Root(), filepath.Dir(want), filepath.Join(s.Root(), "sha256"), s.TempDir()} {
		if st, err := os.Stat(dir); err != nil || st.Mode().Perm() != 0o700 {
			t.Fatalf("%s: %v %v", dir, st.Mode(), err)
		}
	}
	got, err := readAll(t, s, b.SHA256, b.Size)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("read back %q, %v", got, err)
	}
	if ok, _ := s.Has(b.SHA256); !ok {
		t.Fatal("Has says no")
	}
	if tmp, _ := os.ReadDir(s.TempDir()); len(tmp) != 0 {
		t.Fatalf("temp files left: %v", tmp)
	}
	// The empty file is a blob too.
	e, err := s.Put(strings.NewReader(""), 0)
	if err != nil || e.SHA256 != digestOf(nil) || e.Size != 0 {
		t.Fatalf("empty: %+v %v", e, err)
	}
	if got, err := readAll(t, s, e.SHA256, 0); err != nil || len(got) != 0 {
		t.Fatalf("empty read: %q %v", got, err)
	}
}

func TestIdenticalContentIsStoredOnceAndNeverRewritten(t *testing.T) {
	s := open(t)
	content := bytes.Repeat([]byte("evidence "), 10000)
	first, err := s.Put(bytes.NewReader(content), 0)
	if err != nil {
		t.Fatal(err)
	}
	path := s.Path(first.SHA256)
	before, _ := os.Stat(path)
	// Many concurrent uploads of the same content: one blob, untouched.
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := s.Put(bytes.NewReader(content), 0)
			if err == nil && b != first {
				err = errors.New("different blob")
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	after, _ := os.Stat(path)
	if !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Fatal("storing identical content replaced the blob")
	}
	var n int
	if err := s.Walk(func(evidence.Blob) error { n++; return nil }); err != nil || n != 1 {
		t.Fatalf("%d blobs stored, %v", n, err)
	}
	if tmp, _ := os.ReadDir(s.TempDir()); len(tmp) != 0 {
		t.Fatalf("temp files left: %d", len(tmp))
	}

	// A stored blob that no longer matches is never overwritten, even by
	// the right content: the upload fails and the damage stays visible.
	if err := os.WriteFile(path, append([]byte("X"), content[1:]...), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(bytes.NewReader(content), 0); !errors.Is(err, evidence.ErrCorrupt) {
		t.Fatalf("put over a damaged blob: %v", err)
	}
	if got, _ := os.ReadFile(path); got[0] != 'X' {
		t.Fatal("the damaged blob was rewritten")
	}
}

func TestDigestMismatchIsDetected(t *testing.T) {
	s := open(t)
	content := bytes.Repeat([]byte("0123456789abcdef"), 100000) // 1.6 MB: several reads
	b, err := s.Put(bytes.NewReader(content), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Verify(b.SHA256); err != nil {
		t.Fatalf("verify a good blob: %v", err)
	}
	path := s.Path(b.SHA256)
	damaged := bytes.Clone(content)
	damaged[len(damaged)/2] ^= 1
	if err := os.WriteFile(path, damaged, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Verify(b.SHA256); !errors.Is(err, evidence.ErrCorrupt) {
		t.Fatalf("verify a flipped bit: %v", err)
	}
	// The reader withholds the end of a blob that does not match.
	r, err := s.Open(b.SHA256, b.Size)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if !errors.Is(err, evidence.ErrCorrupt) || len(got) >= len(content) {
		t.Fatalf("read a damaged blob: %d bytes, %v", len(got), err)
	}
	// A blob of the wrong size fails at once.
	if err := os.WriteFile(path, content[:100], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(b.SHA256, b.Size); !errors.Is(err, evidence.ErrCorrupt) {
		t.Fatalf("open a truncated blob: %v", err)
	}
	if _, err := s.Open(digestOf([]byte("never stored")), 3); !errors.Is(err, evidence.ErrNotFound) {
		t.Fatalf("open a missing blob: %v", err)
	}
	if _, err := s.Open("../../etc/passwd", 3); !errors.Is(err, evidence.ErrNotFound) {
		t.Fatalf("open a path: %v", err)
	}
}

func TestLimitAndAbortLeaveNothing(t *testing.T) {
	s := open(t)
	_, err := s.Put(bytes.NewReader(make([]byte, 1<<20+1)), 1<<20)
	if !errors.Is(err, evidence.ErrTooLarge) {
		t.Fatalf("over the limit: %v", err)
	}
	if b, err := s.Put(bytes.NewReader(make([]byte, 1<<20)), 1<<20); err != nil || b.Size != 1<<20 {
		t.Fatalf("at the limit: %+v %v", b, err)
	}
	u, err := s.Create(0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.Write([]byte("half an upload")); err != nil {
		t.Fatal(err)
	}
	u.Abort()
	if tmp, _ := os.ReadDir(s.TempDir()); len(tmp) != 0 {
		t.Fatalf("temp files left: %d", len(tmp))
	}
	var n int
	_ = s.Walk(func(evidence.Blob) error { n++; return nil })
	if n != 1 {
		t.Fatalf("%d blobs, want only the one at the limit", n)
	}
}

func TestCleanTempAndStray(t *testing.T) {
	s := open(t)
	// A killed process leaves its upload in tmp; start-up removes it.
	u, err := s.Create(0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.Write([]byte("partial")); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CleanTemp(); err != nil || n != 1 {
		t.Fatalf("clean: %d %v", n, err)
	}
	if tmp, _ := os.ReadDir(s.TempDir()); len(tmp) != 0 {
		t.Fatalf("temp files left: %d", len(tmp))
	}
	b, _ := s.Put(strings.NewReader("kept"), 0)
	// Anything under sha256/ that is not a well-formed blob is stray.
	wrongShard := filepath.Join(s.Root(), "sha256", "00", b.SHA256)
	_ = os.MkdirAll(filepath.Dir(wrongShard), 0o700)
	_ = os.WriteFile(wrongShard, []byte("kept"), 0o600)
	_ = os.WriteFile(filepath.Join(s.Root(), "sha256", b.SHA256[:2], "partial.part"), nil, 0o600)
	stray, err := s.Stray()
	if err != nil || len(stray) != 2 {
		t.Fatalf("stray = %v, %v", stray, err)
	}
	var blobs []evidence.Blob
	_ = s.Walk(func(b evidence.Blob) error { blobs = append(blobs, b); return nil })
	if len(blobs) != 1 || blobs[0] != b {
		t.Fatalf("walk = %+v", blobs)
	}
	if _, err := os.Stat(filepath.Join(s.Root(), "sha256")); errors.Is(err, fs.ErrNotExist) {
		t.Fatal("no sha256 folder")
	}
}
