package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/internal/clocktest"
)

var servingRE = regexp.MustCompile(`serving on (http://\S+)`)

// assayProcess is the real assay binary running `serve` as a child process.
type assayProcess struct {
	cmd *exec.Cmd
	url string
}

// buildAssay builds the program into a temporary folder.
func buildAssay(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "assay")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// assayEnv keeps the test's own environment from choosing the database,
// and starts the process at the test clock's time (ASSAY_TEST_NOW).
func assayEnv() []string {
	env := append(os.Environ(), "ASSAY_DB=", "ASSAY_DATA=", "ASSAY_ADDR=", "ASSAY_MAX_UPLOAD_MB=", "ASSAY_NOW=")
	if now := clocktest.Env(); now != "" {
		env = append(env, now)
	}
	return env
}

func runAssay(t *testing.T, bin, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = assayEnv()
	cmd.Stdin = strings.NewReader(stdin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output() // standard output alone, as $(...) takes it
	if err != nil {
		t.Fatalf("assay %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// startAssay runs `assay serve` on a free port and waits until it says
// where it is serving.
func startAssay(t *testing.T, bin, data string) *assayProcess {
	t.Helper()
	cmd := exec.Command(bin, "--data", data, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = assayEnv()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &assayProcess{cmd: cmd}
	t.Cleanup(func() { p.kill() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case p.url = <-found:
		return p
	case <-time.After(30 * time.Second):
		t.Fatalf("assay serve did not start:\n%s", stderr.String())
	}
	return nil
}

func (p *assayProcess) kill() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		_ = p.cmd.Wait()
	}
}

// streamUpload sends a multipart upload of size bytes, produced as it is
// sent (never held whole), and returns the status, or an error when the
// server went away.
func streamUpload(base, token string, size int64) (int, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		mw.WriteField("controls", "ACC-01")
		mw.WriteField("title", "Large export")
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; filename="export.bin"`)
		h.Set("Content-Type", "application/octet-stream")
		w, err := mw.CreatePart(h)
		if err == nil {
			_, err = io.Copy(w, io.LimitReader(newPattern(), size))
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest("POST", base+"/api/v1/evidence", pr)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		pr.CloseWithError(err)
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// pattern is an endless, cheap, not-quite-repeating byte stream.
type pattern struct{ n uint64 }

func newPattern() *pattern { return &pattern{n: 0x9e3779b97f4a7c15} }

func (p *pattern) Read(b []byte) (int, error) {
	for i := range b {
		p.n ^= p.n << 13
		p.n ^= p.n >> 7
		p.n ^= p.n << 17
		b[i] = byte(p.n)
	}
	return len(b), nil
}

// biggestTemp is the size of the largest upload in progress.
func biggestTemp(dir string) int64 {
	entries, _ := os.ReadDir(dir)
	var max int64
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.Size() > max {
			max = info.Size()
		}
	}
	return max
}

// checkNoPartialBlob is the invariant: every file under blobs/sha256 is a
// complete blob whose content hashes to its name, and every file evidence
// record points at such a blob of its size.
func checkNoPartialBlob(t *testing.T, base, token, data string) int {
	t.Helper()
	fs, err := evidence.Open(filepath.Join(data, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	if stray, err := fs.Stray(); err != nil || len(stray) != 0 {
		t.Fatalf("files under blobs/sha256 that are not blobs: %v %v", stray, err)
	}
	err = fs.Walk(func(b evidence.Blob) error {
		if _, err := fs.Verify(b.SHA256); err != nil {
			t.Errorf("blob %s does not verify: %v", b.SHA256, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", base+"/api/v1/evidence?state=all", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct{ Evidence []evidenceJSON }
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	for _, e := range list.Evidence {
		if e.Kind != "file" {
			continue
		}
		r, err := fs.Open(e.SHA256, e.Size)
		if err != nil {
			t.Fatalf("evidence %d points at a missing or partial blob: %v", e.ID, err)
		}
		_, err = io.Copy(io.Discard, r)
		r.Close()
		if err != nil {
			t.Fatalf("evidence %d's blob does not verify: %v", e.ID, err)
		}
	}
	return len(list.Evidence)
}

// TestKillDuringUploadLeavesNoPartialBlob starts the real binary, kills it
// with SIGKILL in the middle of a large streamed upload (early, half-way,
// and once every byte has arrived, around the moment the blob is put in
// place and the record written), restarts it, and checks that no record
// points at a partial blob, that no partial file is under blobs/sha256,
// and that start-up cleared the unfinished uploads.
func TestKillDuringUploadLeavesNoPartialBlob(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildAssay(t)
	data := t.TempDir()
	runAssay(t, bin, "a long passphrase\n", "--data", data, "user", "create", "--admin", "--email", "kill@example.com", "--org-name", "Kill Test", "--password-stdin")
	token := strings.TrimSpace(runAssay(t, bin, "", "--data", data, "token", "create", "--email", "kill@example.com"))
	tmpDir := filepath.Join(data, "blobs", "tmp")

	p := startAssay(t, bin, data)
	if code, err := streamUpload(p.url, token, 1<<20); err != nil || code != 201 {
		t.Fatalf("a first, complete upload: %d %v", code, err)
	}
	const size = 48 << 20
	records := 1
	for _, killAt := range []int64{1 << 20, size / 2, size} {
		done := make(chan error, 1)
		go func() { _, err := streamUpload(p.url, token, size); done <- err }()
		deadline := time.Now().Add(60 * time.Second)
		for biggestTemp(tmpDir) < killAt {
			if time.Now().After(deadline) {
				t.Fatalf("the upload did not reach %d bytes", killAt)
			}
			select {
			case err := <-done:
				t.Fatalf("the upload finished before the kill at %d bytes: %v", killAt, err)
			default:
			}
			time.Sleep(time.Millisecond)
		}
		p.kill() // SIGKILL: no chance to clean up
		<-done
		if killAt < size {
			if n := biggestTemp(tmpDir); n == 0 {
				t.Fatalf("kill at %d: no unfinished upload left in %s", killAt, tmpDir)
			}
		}
		p = startAssay(t, bin, data)
		if entries, _ := os.ReadDir(tmpDir); len(entries) != 0 {
			t.Fatalf("kill at %d: start-up left %d unfinished uploads", killAt, len(entries))
		}
		n := checkNoPartialBlob(t, p.url, token, data)
		switch {
		case killAt < size && n != records:
			t.Fatalf("kill at %d bytes: %d records, want %d", killAt, n, records)
		case n < records || n > records+1:
			t.Fatalf("kill after the last byte: %d records, want %d or %d", n, records, records+1)
		}
		t.Logf("killed at %d of %d bytes: %d records, every blob complete", killAt, size, n)
		records = n
	}
	// The restarted server takes uploads again.
	if code, err := streamUpload(p.url, token, 3<<20); err != nil || code != 201 {
		t.Fatalf("upload after the restarts: %d %v", code, err)
	}
	if n := checkNoPartialBlob(t, p.url, token, data); n != records+1 {
		t.Fatalf("%d records after the last upload, want %d", n, records+1)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
}
