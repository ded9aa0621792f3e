package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/internal/s3test"
)

// s3Blobs starts a real S3-compatible server, points the AWS variables at
// it for the rest of the test, and returns the --blobs URL of a fresh
// bucket.
func s3Blobs(t *testing.T) (*s3test.Server, string) {
	t.Helper()
	srv := s3test.Start(t)
	srv.SetEnv(t)
	t.Setenv("ASSAY_BLOBS", "")
	return srv, "s3://" + srv.CreateBucket(t, "assay-evidence") + "/prod?path-style=true"
}

// s3Objects lists the blobs in the bucket url names.
func s3Objects(t *testing.T, url string) map[string]int64 {
	t.Helper()
	st, err := evidence.OpenS3(context.Background(), evidence.S3Config{URL: url, Spool: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	have, err := evidence.VerifyAll(st)
	if err != nil {
		t.Fatal(err)
	}
	return have
}

func TestBlobsMigrateToS3ThenVerifyExportAndAddFromThere(t *testing.T) {
	srv, url := s3Blobs(t)
	data := t.TempDir()
	t.Setenv("ASSAY_DB", "")
	if _, err := runCLI(t, "a long passphrase\n", "--data", data, "user", "create", "--admin", "--email", "root@example.com", "--name", "Root", "--org-name", "Example Inc", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "q1-review.csv")
	content := []byte("user,decision\nsam,keep\nali,revoke\n")
	os.WriteFile(file, content, 0o600)
	if out, err := runCLI(t, "", "--data", data, "evidence", "add", "--control", "ACC-01", "--file", file); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}

	out, err := runCLI(t, "", "--data", data, "blobs", "migrate", "--to", url)
	if err != nil || !strings.Contains(out, "1 blobs in") || !strings.Contains(out, "1 copied") {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	if out, err := runCLI(t, "", "--data", data, "blobs", "migrate", "--to", url); err != nil || !strings.Contains(out, "0 copied") {
		t.Fatalf("migrate again: %v\n%s", err, out)
	}
	if have := s3Objects(t, url); have[sha(content)] != int64(len(content)) {
		t.Fatalf("bucket holds %v", have)
	}

	// Move the folder's blobs away: everything below reads the bucket.
	if err := os.Rename(filepath.Join(data, "blobs"), filepath.Join(data, "blobs.migrated")); err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, "", "--data", data, "--blobs", url, "verify"); err != nil || !strings.Contains(out, "1 evidence digests have their blobs") {
		t.Fatalf("verify against the bucket: %v\n%s", err, out)
	}
	if out, err := runCLI(t, "", "--data", data, "verify"); err == nil || !strings.Contains(err.Error(), "is missing") {
		t.Fatalf("verify against the emptied folder passed: %v\n%s", err, out)
	}
	dir := t.TempDir()
	bundle := filepath.Join(dir, "bundle.zip")
	if out, err := runCLI(t, "", "--data", data, "--blobs", url, "export", "bundle", "--out", bundle, "--as", "root@example.com"); err != nil {
		t.Fatalf("export from the bucket: %v\n%s", err, out)
	}
	key, err := runCLI(t, "", "--data", data, "ledger", "key")
	if err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, "", "verify", bundle, "--key", lastLine(key)); err != nil || !strings.Contains(out, "Everything matches") {
		t.Fatalf("verify the bundle: %v\n%s", err, out)
	}

	// New evidence goes straight to the bucket; the folder gets none.
	file2 := filepath.Join(t.TempDir(), "mfa.txt")
	os.WriteFile(file2, []byte("MFA enforced for every account\n"), 0o600)
	if out, err := runCLI(t, "", "--data", data, "--blobs", url, "evidence", "add", "--control", "ACC-02", "--file", file2); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if have := s3Objects(t, url); len(have) != 2 {
		t.Fatalf("bucket holds %v", have)
	}
	if blobs, _, _ := blobState(t, data); len(blobs) != 0 {
		t.Fatalf("the data folder got blobs: %v", blobs)
	}

	// An object changed in the bucket is named by verify.
	obj := filepath.Join(srv.Dir, "assay-evidence", "prod", "sha256", sha(content)[:2], sha(content))
	if err := os.WriteFile(obj, bytes.ToUpper(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, "", "--data", data, "--blobs", url, "verify"); err == nil || !strings.Contains(err.Error(), "does not match its name") {
		t.Fatalf("verify with a changed object: %v\n%s", err, out)
	}
	// And one deleted from the bucket is named as missing from it.
	if err := os.WriteFile(obj, content, 0o600); err != nil {
		t.Fatal(err)
	}
	mfa := sha([]byte("MFA enforced for every account\n"))
	if err := os.Remove(filepath.Join(srv.Dir, "assay-evidence", "prod", "sha256", mfa[:2], mfa)); err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, "", "--data", data, "--blobs", url, "verify"); err == nil || !strings.Contains(err.Error(), "is missing from s3://assay-evidence/prod/") {
		t.Fatalf("verify with a deleted object: %v\n%s", err, out)
	}
}

// Two servers on one PostgreSQL database and one bucket: evidence uploaded
// through either is served, byte for byte, by the other.
func TestTwoInstancesServeEvidenceThroughOneS3Bucket(t *testing.T) {
	db := freshPostgres(t)
	_, url := s3Blobs(t)
	start := func() *testMain {
		return startMainWith(t, false, func(c *Config) { c.DBURL, c.BlobsURL, c.NoScheduler = db, url, true })
	}
	a, b := start(), start()
	_, tok := a.orgWithAdmin(t, "Acme")

	get := func(m *testMain, id int64) []byte {
		t.Helper()
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/evidence/%d/content", m.URL(), id), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		got, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("download %d from %s: %d %v", id, m.URL(), resp.StatusCode, err)
		}
		return got
	}
	up := func(m *testMain, name string, content []byte) evidenceJSON {
		t.Helper()
		body, ct := multipartBody(t, field{"controls", "ACC-01", ""}, field{"file", string(content), name})
		var ev evidenceJSON
		if code := m.upload(t, tok, body, ct, int64(body.Len()), &ev); code != 201 {
			t.Fatalf("upload through %s: %d %+v", m.URL(), code, ev)
		}
		return ev
	}
	// Every byte value, and more than one read buffer's worth.
	big := make([]byte, 3<<20+17)
	for i := range big {
		big[i] = byte(i * 7)
	}
	evA := up(a, "export.bin", big)
	if got := get(b, evA.ID); !bytes.Equal(got, big) {
		t.Fatalf("instance B served %d bytes, not the %d uploaded through A", len(got), len(big))
	}
	small := []byte("offboarding checklist, signed\n")
	evB := up(b, "offboarding.txt", small)
	if got := get(a, evB.ID); !bytes.Equal(got, small) {
		t.Fatalf("instance A served %q", got)
	}
	// Neither data folder holds the blobs: the bucket does.
	for _, m := range []*testMain{a, b} {
		if blobs, _, _ := blobState(t, m.Config.DataDir); len(blobs) != 0 {
			t.Fatalf("%s has blobs: %v", m.Config.DataDir, blobs)
		}
	}
	if have := s3Objects(t, url); have[evA.SHA256] != int64(len(big)) || have[evB.SHA256] != int64(len(small)) {
		t.Fatalf("bucket holds %v", have)
	}
}
