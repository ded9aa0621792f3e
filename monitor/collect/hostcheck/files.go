package hostcheck

import (
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// maxFile bounds how much of one configuration file is read.
const maxFile = 1 << 20

// hostFS reads a machine's files relative to its root folder. Paths given
// to it are absolute as seen on that machine ("/etc/ssh/sshd_config").
type hostFS struct{ root string }

func (f hostFS) path(p string) string { return filepath.Join(f.root, filepath.FromSlash(p)) }

// read returns a file's content (at most maxFile bytes) and whether it
// could be read.
func (f hostFS) read(p string) ([]byte, bool) {
	fh, err := os.Open(f.path(p))
	if err != nil {
		return nil, false
	}
	defer fh.Close()
	if st, err := fh.Stat(); err != nil || st.IsDir() {
		return nil, false
	}
	b, err := io.ReadAll(io.LimitReader(fh, maxFile))
	if err != nil {
		return nil, false
	}
	return b, true
}

// exists reports whether p exists (a file, folder or symlink).
func (f hostFS) exists(p string) bool {
	_, err := os.Lstat(f.path(p))
	return err == nil
}

// anyExists reports whether one of the paths exists.
func (f hostFS) anyExists(paths ...string) bool {
	for _, p := range paths {
		if f.exists(p) {
			return true
		}
	}
	return false
}

// glob expands a pattern on the machine and returns its matches as paths
// on the machine, sorted.
func (f hostFS) glob(pattern string) []string {
	matches, err := filepath.Glob(f.path(pattern))
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(matches))
	for _, m := range matches {
		rel, err := filepath.Rel(f.root, m)
		if err != nil {
			continue
		}
		out = append(out, "/"+filepath.ToSlash(rel))
	}
	sort.Strings(out)
	return out
}

// unitEnabled reports whether one of the systemd units is enabled: linked
// into a *.wants folder under /etc/systemd/system and not masked.
func (f hostFS) unitEnabled(units ...string) bool {
	for _, u := range units {
		if masked(f, "/etc/systemd/system/"+u) {
			continue
		}
		for _, link := range f.glob("/etc/systemd/system/*.wants/" + u) {
			if !masked(f, link) {
				return true
			}
		}
	}
	return false
}

// masked reports whether p is a symlink to /dev/null (a masked unit).
func masked(f hostFS, p string) bool {
	target, err := os.Readlink(f.path(p))
	return err == nil && target == "/dev/null"
}

// configLines returns a file's lines without comments (# or ;) and blank
// lines, trimmed.
func configLines(b []byte) []string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l[0] == '#' || l[0] == ';' {
			continue
		}
		out = append(out, l)
	}
	return out
}

// keyValue splits "KEY=value", "KEY value" or "KEY = value" lines and
// strips quotes from the value.
func keyValue(line string) (string, string) {
	i := strings.IndexAny(line, " \t=")
	if i < 0 {
		return line, ""
	}
	key := line[:i]
	val := strings.TrimSpace(line[i:])
	val = strings.TrimSpace(strings.TrimPrefix(val, "="))
	return key, strings.Trim(val, `"'`)
}
