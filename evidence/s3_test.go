package evidence_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/internal/s3test"
)

// openS3 starts a real S3-compatible server and opens a store on a fresh
// bucket, under a prefix.
func openS3(t *testing.T) (*evidence.S3, *s3test.Server, string) {
	t.Helper()
	srv := s3test.Start(t)
	srv.SetEnv(t)
	bucket := srv.CreateBucket(t, "evidence")
	st, err := evidence.OpenS3(context.Background(), evidence.S3Config{
		URL: "s3://" + bucket + "/assay/blobs?path-style=true", Spool: filepath.Join(t.TempDir(), "spool"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return st, srv, bucket
}

func TestS3StoresContentAddressedAndChecksOnRead(t *testing.T) {
	st, srv, bucket := openS3(t)
	content := []byte("vendor review: SOC 2 report received, bridge letter pending\n")
	b, err := st.Put(bytes.NewReader(content), 0)
	if err != nil {
		t.Fatal(err)
	}
	if b.SHA256 != digestOf(content) || b.Size != int64(len(content)) {
		t.Fatalf("blob = %+v", b)
	}
	// The same layout as on a file system, under the prefix.
	onDisk := filepath.Join(srv.Dir, bucket, "assay", "blobs", "sha256", b.SHA256[:2], b.SHA256)
	if got, err := os.ReadFile(onDisk); err != nil || !bytes.Equal(got, content) {
		t.Fatalf("object at %s: %q %v", onDisk, got, err)
	}
	if ok, err := st.Has(b.SHA256); !ok || err != nil {
		t.Fatalf("Has = %v, %v", ok, err)
	}
	if ok, err := st.Has(digestOf([]byte("never stored"))); ok || err != nil {
		t.Fatalf("Has(missing) = %v, %v", ok, err)
	}
	r, err := st.Open(b.SHA256, b.Size)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("read back %q, %v", got, err)
	}
	// Identical content is stored once; a second Put checks and keeps it.
	if again, err := st.Put(bytes.NewReader(content), 0); err != nil || again != b {
		t.Fatalf("second put: %+v %v", again, err)
	}
	if _, err := st.Open(digestOf([]byte("never stored")), -1); !errors.Is(err, evidence.ErrNotFound) {
		t.Fatalf("open missing: %v", err)
	}
	if _, err := st.Open(b.SHA256, b.Size+1); !errors.Is(err, evidence.ErrCorrupt) {
		t.Fatalf("open with the wrong size: %v", err)
	}

	// Change the stored object behind the store's back, keeping its size:
	// the reader withholds the last bytes and reports corruption.
	bad := bytes.Replace(content, []byte("pending"), []byte("PENDING"), 1)
	if err := os.WriteFile(onDisk, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err = st.Open(b.SHA256, b.Size)
	if err != nil {
		t.Fatal(err)
	}
	got, err = io.ReadAll(r)
	r.Close()
	if !errors.Is(err, evidence.ErrCorrupt) || len(got) == len(content) {
		t.Fatalf("read of a changed object: %d bytes, %v", len(got), err)
	}
	if _, err := st.Verify(b.SHA256); !errors.Is(err, evidence.ErrCorrupt) {
		t.Fatalf("verify changed object: %v", err)
	}
	if _, err := evidence.VerifyAll(st); !errors.Is(err, evidence.ErrCorrupt) {
		t.Fatalf("VerifyAll with a changed object: %v", err)
	}
	// A changed object is never replaced by an upload of the right content.
	if _, err := st.Put(bytes.NewReader(content), 0); !errors.Is(err, evidence.ErrCorrupt) {
		t.Fatalf("put over a changed object: %v", err)
	}
	if got, _ := os.ReadFile(onDisk); !bytes.Equal(got, bad) {
		t.Fatal("the changed object was rewritten")
	}
}

func TestS3UploadTooLargeOrAbortedLeavesNothing(t *testing.T) {
	st, _, _ := openS3(t)
	u, err := st.Create(10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.ReadFrom(strings.NewReader("more than ten bytes")); !errors.Is(err, evidence.ErrTooLarge) {
		t.Fatalf("too large: %v", err)
	}
	u.Abort()
	u, err = st.Create(0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.Write([]byte("half an upload")); err != nil {
		t.Fatal(err)
	}
	// A process killed here leaves only a spool file, removed at start-up.
	if n, err := st.CleanTemp(); n != 1 || err != nil {
		t.Fatalf("CleanTemp = %d, %v", n, err)
	}
	var n int
	if err := st.Walk(func(evidence.Blob) error { n++; return nil }); err != nil || n != 0 {
		t.Fatalf("walk: %d blobs, %v", n, err)
	}
}

func TestCopyFromFileSystemToS3VerifiesEach(t *testing.T) {
	dst, _, _ := openS3(t)
	src := open(t)
	var want []string
	for _, c := range []string{"policy v3", "", "training roster export", strings.Repeat("x", 300<<10)} {
		b, err := src.Put(strings.NewReader(c), 0)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, b.SHA256)
	}
	sort.Strings(want)
	for i, d := range want {
		copied, err := evidence.Copy(dst, src, d)
		if err != nil || !copied {
			t.Fatalf("copy %d: %v %v", i, copied, err)
		}
	}
	// A second run copies nothing and checks everything again.
	for _, d := range want {
		if copied, err := evidence.Copy(dst, src, d); err != nil || copied {
			t.Fatalf("second copy: %v %v", copied, err)
		}
	}
	have, err := evidence.VerifyAll(dst)
	if err != nil || len(have) != len(want) {
		t.Fatalf("VerifyAll: %v %v", have, err)
	}
	for _, d := range want {
		if _, ok := have[d]; !ok {
			t.Fatalf("%s missing from S3", d)
		}
	}
}
