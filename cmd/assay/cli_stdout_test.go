package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/assay-platform/assay/ledger"
)

// runCLISplit runs the assay command and returns standard output and
// standard error apart.
func runCLISplit(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := newRootCmd()
	var out, errb bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetArgs(args)
	err = cmd.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

// A result meant for $(...) goes to standard output, alone; notes go to
// standard error. An explicit empty --key is refused, not replaced by the
// bundled key.
func TestCLIResultsOnStandardOutput(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	e.root()

	out, errOut, err := runCLISplit(t, "", "--data", e.data, "token", "create", "--email", "root@example.com", "--name", "ci")
	if err != nil || !strings.HasPrefix(out, "assay_pat_") || strings.Count(out, "\n") != 1 || strings.Contains(errOut, "assay_pat_") {
		t.Fatalf("token create: %v stdout %q stderr %q", err, out, errOut)
	}
	if !strings.Contains(errOut, "only this once") {
		t.Fatalf("token create: the note belongs on standard error, got %q", errOut)
	}

	if _, _, err := ledger.LoadOrCreateKey(e.data); err != nil { // as assay serve does
		t.Fatal(err)
	}
	out, errOut, err = runCLISplit(t, "", "--data", e.data, "ledger", "key")
	key := strings.TrimSpace(out)
	if err != nil || key == "" || strings.Contains(key, "\n") || errOut != "" {
		t.Fatalf("ledger key: %v stdout %q stderr %q", err, out, errOut)
	}

	if out, _, err := runCLISplit(t, "", "--data", e.data, "verify", "--key", key); err != nil || !strings.Contains(out, "Everything matches") {
		t.Fatalf("verify --key KEY: %v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"--data", e.data, "verify", "--key", ""},
		{"--data", e.data, "verify", "--key", "  "},
		{"--data", e.data, "verify", "--key=", "bundle.zip"},
	} {
		if _, _, err := runCLISplit(t, "", args...); err == nil || !strings.Contains(err.Error(), "--key is empty") {
			t.Errorf("assay %s: want a refusal of the empty key, got %v", strings.Join(args, " "), err)
		}
	}
}

// The password policy applies wherever the shell sets a password.
func TestCLIPasswordPolicy(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	e.root()
	for _, c := range []struct{ stdin, want string }{
		{"password1234\n", "too easy to guess"},
		{"root@example.com\n", "your email address or name"},
		{"ééééééééééé\n", "at least 12 characters"},
	} {
		for _, args := range [][]string{
			{"user", "create", "--email", "new@example.com", "--password-stdin"},
			{"user", "password", "--email", "root@example.com", "--password-stdin"},
		} {
			if c.stdin == "root@example.com\n" && args[1] == "create" {
				continue // another user's email is not the new user's own
			}
			out, err := runCLI(t, c.stdin, append([]string{"--data", e.data}, args...)...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("assay %s with %q: want %q, got %v\n%s", strings.Join(args, " "), c.stdin, c.want, err, out)
			}
		}
	}
}
