package main

import (
	"strings"
	"testing"
)

// cliEnv is a data folder that CLI tests run assay against.
type cliEnv struct {
	t    *testing.T
	data string
	now  string // --now for every command, when set
}

// newCLIEnv is an empty data folder on SQLite, its database migrated
// (data_template_test.go).
func newCLIEnv(t *testing.T) *cliEnv {
	t.Helper()
	return &cliEnv{t: t, data: migratedDataDir(t)} // TestMain clears ASSAY_DB

}

// at is the same folder with commands run at now.
func (e *cliEnv) at(now string) *cliEnv {
	c := *e
	c.now = now
	return &c
}

// cli runs assay with args (a passphrase on standard input).
func (e *cliEnv) cli(args ...string) (string, error) {
	e.t.Helper()
	pre := []string{"--data", e.data}
	if e.now != "" {
		pre = append(pre, "--now", e.now)
	}
	return runCLI(e.t, "a long passphrase\n", append(pre, args...)...)
}

// must runs assay and fails the test on an error.
func (e *cliEnv) must(args ...string) string {
	e.t.Helper()
	out, err := e.cli(args...)
	if err != nil {
		e.t.Fatalf("assay %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// refused runs assay and fails the test unless it errs with want.
func (e *cliEnv) refused(want string, args ...string) {
	e.t.Helper()
	if out, err := e.cli(args...); err == nil || !strings.Contains(err.Error(), want) {
		e.t.Fatalf("assay %s: want an error with %q, got %v\n%s", strings.Join(args, " "), want, err, out)
	}
}

// root creates the first admin, root@example.com (Root) of Example Inc.
func (e *cliEnv) root() {
	e.t.Helper()
	e.must("user", "create", "--admin", "--email", "root@example.com", "--name", "Root", "--org-name", "Example Inc", "--password-stdin")
}

// user creates a user of the organisation with a role.
func (e *cliEnv) user(role, email, name string) {
	e.t.Helper()
	e.must("user", "create", "--role", role, "--email", email, "--name", name, "--password-stdin")
}
