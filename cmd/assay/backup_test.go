package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// ackedWrite is a write the server acknowledged: evidence it answered 201
// for, with the content it holds when it is a file.
type ackedWrite struct {
	id      int64
	content []byte // nil for a link
}

// writeEvidence adds one piece of evidence through the API (a file when
// content is set, else a link) and returns its id once acknowledged.
func writeEvidence(url, tok string, n int, content []byte) (int64, error) {
	var body io.Reader
	var ct string
	if content != nil {
		var b bytes.Buffer
		b.WriteString("--x\r\nContent-Disposition: form-data; name=\"controls\"\r\n\r\nACC-01\r\n")
		fmt.Fprintf(&b, "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"load-%d.txt\"\r\nContent-Type: text/plain\r\n\r\n", n)
		b.Write(content)
		b.WriteString("\r\n--x--\r\n")
		body, ct = &b, "multipart/form-data; boundary=x"
	} else {
		body = strings.NewReader(fmt.Sprintf(`{"kind":"link","title":"runbook %d","url":"https://wiki.example/runbook/%d","controls":["ACC-02"]}`, n, n))
		ct = "application/json"
	}
	req, _ := http.NewRequest("POST", url+"/api/v1/evidence", body)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", ct)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var ev evidenceJSON
	if err := json.NewDecoder(resp.Body).Decode(&ev); err != nil || resp.StatusCode != 201 {
		return 0, fmt.Errorf("add evidence %d: status %d, %v", n, resp.StatusCode, err)
	}
	return ev.ID, nil
}

// A backup taken while two clients keep writing restores into a fresh
// folder that verifies and holds every write acknowledged before the
// backup began, files byte for byte.
func TestBackupUnderWriteLoadRestoresEveryAcknowledgedWrite(t *testing.T) {
	t.Setenv("ASSAY_DB", "")
	t.Setenv("ASSAY_BLOBS", "")
	m := startMain(t, false, false)
	_, tok := m.orgWithAdmin(t, "Acme")

	var mu sync.Mutex
	var acked []ackedWrite
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for w := range 2 {
		wg.Go(func() {
			for n := w; ; n += 2 {
				select {
				case <-stop:
					return
				default:
				}
				var content []byte
				if n%3 != 2 {
					content = bytes.Repeat(fmt.Appendf(nil, "write %d of the load\n", n), 1+n%50)
				}
				id, err := writeEvidence(m.URL(), tok, n, content)
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				acked = append(acked, ackedWrite{id, content})
				mu.Unlock()
			}
		})
	}
	waitFor := func(n int) {
		for {
			mu.Lock()
			got := len(acked)
			mu.Unlock()
			if got >= n {
				return
			}
			select {
			case err := <-errs:
				t.Fatal(err)
			default:
			}
			time.Sleep(10 * time.Millisecond) // polling, not timing: nothing depends on how long it takes
		}
	}
	waitFor(20)
	mu.Lock()
	before := append([]ackedWrite(nil), acked...)
	mu.Unlock()

	dir := filepath.Join(t.TempDir(), "backup")
	out, err := runCLI(t, "", "--data", m.Config.DataDir, "backup", dir)
	mu.Lock()
	during := len(acked) - len(before)
	mu.Unlock()
	waitFor(len(before) + during + 2) // the load went on after the backup too
	close(stop)
	wg.Wait()
	if err != nil || !strings.Contains(out, "database sqlite") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	t.Logf("backup: %d writes acknowledged before it, %d while it ran", len(before), during)

	fresh := filepath.Join(t.TempDir(), "restored")
	if out, err := runCLI(t, "", "--data", fresh, "restore", dir); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	if out, err := runCLI(t, "", "--data", fresh, "verify"); err != nil || !strings.Contains(out, "Everything matches") {
		t.Fatalf("verify the restored folder: %v\n%s", err, out)
	}
	for _, name := range []string{"ledger.key", "secret.key"} {
		if st, err := os.Stat(filepath.Join(fresh, name)); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("restored %s: %v", name, err)
		}
	}

	r := startMainWith(t, false, func(c *Config) { c.DataDir = fresh })
	for _, w := range before {
		path := fmt.Sprintf("/api/v1/evidence/%d", w.id)
		if w.content != nil {
			path += "/content"
		}
		code, _, got := r.get(t, tok, path)
		if code != 200 || (w.content != nil && !bytes.Equal(got, w.content)) {
			t.Fatalf("acknowledged evidence %d after restore: %d, %d bytes", w.id, code, len(got))
		}
	}

	// A data folder is restored only into a new or empty folder, and only
	// from a backup that matches its manifest.
	if out, err := runCLI(t, "", "--data", fresh, "restore", dir); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("restore over a data folder: %v\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(dir, "ledger.key"), []byte("swapped"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, "", "--data", filepath.Join(t.TempDir(), "again"), "restore", dir); err == nil || !strings.Contains(err.Error(), "does not match the manifest") {
		t.Fatalf("restore of a changed backup: %v\n%s", err, out)
	}
}
