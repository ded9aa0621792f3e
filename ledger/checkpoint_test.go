package ledger_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/assay-platform/assay/ledger"
)

var signedAt = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestCheckpointText(t *testing.T) {
	tree := ledger.Tree{Size: 1234, Root: tlog.RecordHash([]byte("x"))}
	text := ledger.CheckpointText("assay.ledger/abc", tree, signedAt)
	lines := strings.Split(text, "\n")
	if len(lines) != 5 || lines[0] != "assay.ledger/abc" || lines[1] != "1234" || lines[3] != "time 2026-03-02T09:00:00.000000Z" || lines[4] != "" {
		t.Fatalf("text = %q", text)
	}
	origin, got, at, err := ledger.ParseCheckpointText(text)
	if err != nil || origin != "assay.ledger/abc" || got != tree || !at.Equal(signedAt) {
		t.Fatalf("parse = %q %+v %v %v", origin, got, at, err)
	}
	for _, bad := range []string{"", "o\n1\n", "o\n1\n" + tree.Root.String(), "\n1\n" + tree.Root.String() + "\n",
		"o\n01\n" + tree.Root.String() + "\n", "o\n-1\n" + tree.Root.String() + "\n", "o\n1\nnot base64\n", "o\n1\nAAAA\n",
		"o\n1\n" + tree.Root.String() + "\ntime yesterday\n"} {
		if _, _, _, err := ledger.ParseCheckpointText(bad); err == nil {
			t.Errorf("parsed %q", bad)
		}
	}
}

func TestKeySignsCheckpoints(t *testing.T) {
	k, skey, err := ledger.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(k.Origin(), ledger.OriginPrefix) || !strings.HasPrefix(k.VerifierKey, k.Origin()+"+") || !strings.HasPrefix(skey, "PRIVATE+KEY+"+k.Origin()+"+") {
		t.Fatalf("key %q / %q", k.Origin(), k.VerifierKey)
	}
	tree := ledger.Tree{Size: 3, Root: tlog.RecordHash([]byte("root"))}
	signed, err := k.Sign(tree, signedAt)
	if err != nil {
		t.Fatal(err)
	}
	v, err := ledger.NewVerifier(k.VerifierKey)
	if err != nil {
		t.Fatal(err)
	}
	if got, at, err := ledger.OpenCheckpoint(signed, v); err != nil || got != tree || !at.Equal(signedAt) {
		t.Fatalf("open = %+v %v %v", got, at, err)
	}
	// A changed note, or another key, does not verify.
	forged := strings.Replace(signed, "\n3\n", "\n4\n", 1)
	if _, _, err := ledger.OpenCheckpoint(forged, v); err == nil {
		t.Fatal("a changed checkpoint verified")
	}
	other, _, _ := ledger.NewKey()
	if _, _, err := ledger.OpenCheckpoint(signed, other.Verifier()); err == nil {
		t.Fatal("another key verified the checkpoint")
	}
	// A note signed by the key for another origin is refused.
	msg, err := note.Sign(&note.Note{Text: ledger.CheckpointText("somewhere/else", tree, signedAt)}, mustSigner(t, skey))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ledger.OpenCheckpoint(string(msg), v); err == nil || !strings.Contains(err.Error(), "origin") {
		t.Fatalf("note for another origin: %v", err)
	}
}

func mustSigner(t *testing.T, skey string) note.Signer {
	// A signer whose name differs from the text's origin line: same key.
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseKeyMatchesGeneratedVerifier(t *testing.T) {
	for range 20 { // base64 keys with "+" in them included
		skey, vkey, err := note.GenerateKey(nil, "assay.ledger/test")
		if err != nil {
			t.Fatal(err)
		}
		k, err := ledger.ParseKey(skey)
		if err != nil {
			t.Fatal(err)
		}
		if k.VerifierKey != vkey {
			t.Fatalf("verifier key %q, want %q", k.VerifierKey, vkey)
		}
	}
	if _, err := ledger.ParseKey("PRIVATE+KEY+nope"); err == nil {
		t.Fatal("parsed a broken key")
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if _, err := ledger.LoadKey(dir); err == nil {
		t.Fatal("loaded a key that does not exist")
	}
	k, created, err := ledger.LoadOrCreateKey(dir)
	if err != nil || !created {
		t.Fatalf("create: %v %v", created, err)
	}
	fi, err := os.Stat(filepath.Join(dir, ledger.KeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", fi.Mode(), err)
	}
	again, created, err := ledger.LoadOrCreateKey(dir)
	if err != nil || created || again.VerifierKey != k.VerifierKey {
		t.Fatalf("second start: %v %v %v", created, err, again.VerifierKey)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("data folder holds %d files, want only the key", len(entries))
	}
	// A damaged key file is an error, not a new key.
	if err := os.WriteFile(filepath.Join(dir, ledger.KeyFile), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ledger.LoadOrCreateKey(dir); err == nil {
		t.Fatal("a damaged key file was replaced")
	}
}

func TestLastCheckpointFile(t *testing.T) {
	dir := t.TempDir()
	if s, err := ledger.ReadLastCheckpoint(dir); err != nil || s != "" {
		t.Fatalf("no file: %q %v", s, err)
	}
	for _, note := range []string{"first\n", "second\n"} {
		if err := ledger.SaveLastCheckpoint(dir, note); err != nil {
			t.Fatal(err)
		}
		if s, err := ledger.ReadLastCheckpoint(dir); err != nil || s != note {
			t.Fatalf("read %q %v, want %q", s, err, note)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("%d files left, want 1", len(entries))
	}
}
