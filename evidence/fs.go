// Package evidence stores evidence files as content-addressed blobs in the
// data folder:
//
//	DATA/blobs/sha256/<first 2 hex digits>/<64 hex digits>   the blobs
//	DATA/blobs/tmp/                                          uploads in progress
//
// An upload is written to a temporary file in tmp (on the same file system),
// hashed as it streams, fsynced, and then linked into place under its
// digest, after which the shard directory is fsynced. A blob therefore
// appears under its name only once it is complete and durable, so a record
// written after Commit returns never points at a partial blob, even if the
// process is killed. Linking (rather than renaming) never replaces a file
// that is already there: nothing ever rewrites a blob. Identical content is
// stored once. Files are 0600 and directories 0700.
//
// Temporary files left by a killed process are removed by CleanTemp, which
// the server runs at start-up.
package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Errors callers tell apart.
var (
	// ErrTooLarge: the content is longer than the upload's limit.
	ErrTooLarge = errors.New("evidence: content is larger than the limit")
	// ErrCorrupt: a stored blob does not match its digest or size.
	ErrCorrupt = errors.New("evidence: stored blob does not match its digest")
	// ErrNotFound: no blob has that digest.
	ErrNotFound = errors.New("evidence: no blob with that digest")
)

const (
	digestDir = "sha256"
	tmpDir    = "tmp"
	tmpPrefix = "upload-"
	tmpSuffix = ".part"
)

// Blob is stored content: its SHA-256 (lower-case hex) and size.
type Blob struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// FS is a blob store in a folder of the local file system.
type FS struct {
	root string
	mu   sync.Mutex // orders the rename fallback where hard links are not supported
}

// Open opens (creating if needed) the blob store at root, usually
// DATA/blobs.
func Open(root string) (*FS, error) {
	for _, dir := range []string{root, filepath.Join(root, digestDir), filepath.Join(root, tmpDir)} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("evidence: create %s: %w", dir, err)
		}
	}
	return &FS{root: root}, nil
}

// Root is the store's folder.
func (s *FS) Root() string { return s.root }

// TempDir is where uploads in progress are written.
func (s *FS) TempDir() string { return filepath.Join(s.root, tmpDir) }

// Path is where the blob with digest lives (whether or not it exists).
func (s *FS) Path(digest string) string {
	return filepath.Join(s.root, digestDir, digest[:2], digest)
}

// CleanTemp removes uploads left in progress by a process that stopped
// (killed, crashed). Run it at start-up, before serving.
func (s *FS) CleanTemp() (int, error) {
	entries, err := os.ReadDir(s.TempDir())
	if err != nil {
		return 0, fmt.Errorf("evidence: read temp folder: %w", err)
	}
	n := 0
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(s.TempDir(), e.Name())); err != nil {
			return n, fmt.Errorf("evidence: remove %s: %w", e.Name(), err)
		}
		n++
	}
	return n, nil
}

// Upload is content being written. Write to it (or ReadFrom), then Commit
// or Abort. It is not safe for concurrent use.
type Upload struct {
	place func(tmp string, b Blob) error // puts the finished temp file in place under b's digest
	sync  bool                           // fsync the temp file before place (it becomes the blob)
	f     *os.File
	h     hash.Hash
	n     int64
	limit int64
	done  bool
}

// Create starts an upload of at most limit bytes (no limit when limit <= 0).
func (s *FS) Create(limit int64) (*Upload, error) {
	f, err := os.CreateTemp(s.TempDir(), tmpPrefix+"*"+tmpSuffix) // mode 0600
	if err != nil {
		return nil, fmt.Errorf("evidence: create temp file: %w", err)
	}
	return newUpload(f, limit, true, s.place), nil
}

func newUpload(f *os.File, limit int64, sync bool, place func(tmp string, b Blob) error) *Upload {
	return &Upload{place: place, sync: sync, f: f, h: sha256.New(), limit: limit}
}

// Write writes p to the upload and the running hash. It fails with
// ErrTooLarge once the upload would pass its limit.
func (u *Upload) Write(p []byte) (int, error) {
	if u.done {
		return 0, errors.New("evidence: write after commit or abort")
	}
	if u.limit > 0 && u.n+int64(len(p)) > u.limit {
		return 0, ErrTooLarge
	}
	n, err := u.f.Write(p)
	u.h.Write(p[:n])
	u.n += int64(n)
	if err != nil {
		return n, fmt.Errorf("evidence: write: %w", err)
	}
	return n, nil
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// ReadFrom streams r into the upload with a fixed-size buffer, so memory
// stays the same whatever the size of the content.
func (u *Upload) ReadFrom(r io.Reader) (int64, error) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	// io.CopyBuffer would use our ReadFrom again; copy by hand.
	var total int64
	buf := *bp
	for {
		n, rerr := r.Read(buf)
		if n > 0 {
			w, werr := u.Write(buf[:n])
			total += int64(w)
			if werr != nil {
				return total, werr
			}
		}
		if rerr == io.EOF {
			return total, nil
		}
		if rerr != nil {
			return total, rerr
		}
	}
}

// Size is the number of bytes written so far.
func (u *Upload) Size() int64 { return u.n }

// Abort discards the upload.
func (u *Upload) Abort() {
	if u.done {
		return
	}
	u.done = true
	_ = u.f.Close()
	_ = os.Remove(u.f.Name())
}

// Commit makes the upload durable and puts it in place under its digest.
// When a blob with that digest is already stored, it is checked and kept
// as it is (identical content is stored once) and the upload is dropped.
// When Commit returns without error the blob is complete and on disk.
func (u *Upload) Commit() (Blob, error) {
	if u.done {
		return Blob{}, errors.New("evidence: commit after commit or abort")
	}
	tmp := u.f.Name()
	defer u.Abort() // removes the temp name; the blob keeps its own link
	if u.sync {
		if err := u.f.Sync(); err != nil {
			return Blob{}, fmt.Errorf("evidence: sync upload: %w", err)
		}
	}
	if err := u.f.Close(); err != nil {
		return Blob{}, fmt.Errorf("evidence: close upload: %w", err)
	}
	b := Blob{SHA256: hex.EncodeToString(u.h.Sum(nil)), Size: u.n}
	if err := u.place(tmp, b); err != nil {
		return Blob{}, err
	}
	return b, nil
}

// place links the finished temp file into place, never over an existing
// file, and makes the new directory entries durable.
func (s *FS) place(tmp string, b Blob) error {
	final := s.Path(b.SHA256)
	shard := filepath.Dir(final)
	switch err := os.Mkdir(shard, 0o700); {
	case err == nil:
		if err := syncDir(filepath.Dir(shard)); err != nil {
			return err
		}
	case !errors.Is(err, fs.ErrExist):
		return fmt.Errorf("evidence: create %s: %w", shard, err)
	}
	err := os.Link(tmp, final)
	if errors.Is(err, fs.ErrExist) {
		return s.checkExisting(b)
	}
	if err != nil {
		// Some file systems have no hard links: rename instead, after
		// making sure (under a lock) that nothing is there yet.
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, statErr := os.Lstat(final); statErr == nil {
			return s.checkExisting(b)
		}
		if err := os.Rename(tmp, final); err != nil {
			return fmt.Errorf("evidence: put blob %s in place: %w", b.SHA256, err)
		}
	}
	return syncDir(shard)
}

// checkExisting verifies the blob already stored under b's digest. A blob
// that does not match is left alone (nothing rewrites a blob) and reported.
func (s *FS) checkExisting(b Blob) error {
	size, err := s.Verify(b.SHA256)
	if err != nil {
		return fmt.Errorf("evidence: blob %s is already stored but does not verify; it was not replaced: %w", b.SHA256, err)
	}
	if size != b.Size {
		return fmt.Errorf("evidence: blob %s is already stored with size %d, not %d: %w", b.SHA256, size, b.Size, ErrCorrupt)
	}
	return nil
}

// Put stores everything r yields, at most limit bytes (no limit when
// limit <= 0), and returns the blob.
func (s *FS) Put(r io.Reader, limit int64) (Blob, error) {
	u, err := s.Create(limit)
	if err != nil {
		return Blob{}, err
	}
	if _, err := u.ReadFrom(r); err != nil {
		u.Abort()
		return Blob{}, err
	}
	return u.Commit()
}

// Has reports whether a blob with digest is stored.
func (s *FS) Has(digest string) (bool, error) {
	if !validDigest(digest) {
		return false, nil
	}
	_, err := os.Lstat(s.Path(digest))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Verify reads the blob with digest and checks that its content hashes to
// its name. It returns the blob's size.
func (s *FS) Verify(digest string) (int64, error) { return verifyBlob(s.Open(digest, -1)) }

// Open opens the blob with digest for reading. The reader checks the
// content as it goes: it fails with ErrCorrupt instead of returning the
// last bytes of a blob that does not match its digest, or whose size is
// not size (pass -1 to take the size from the file).
func (s *FS) Open(digest string, size int64) (*Reader, error) {
	if !validDigest(digest) {
		return nil, fmt.Errorf("evidence: %q is not a SHA-256 digest: %w", digest, ErrNotFound)
	}
	f, err := os.Open(s.Path(digest))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("evidence: blob %s: %w", digest, ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("evidence: open blob %s: %w", digest, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("evidence: stat blob %s: %w", digest, err)
	}
	if size < 0 {
		size = st.Size()
	}
	if !st.Mode().IsRegular() || st.Size() != size {
		f.Close()
		return nil, fmt.Errorf("evidence: blob %s has %d bytes, want %d: %w", digest, st.Size(), size, ErrCorrupt)
	}
	return newReader(f, digest, size)
}

// newReader checks rc's content, of size bytes, against digest as it is
// read. It closes rc when it fails.
func newReader(rc io.ReadCloser, digest string, size int64) (*Reader, error) {
	r := &Reader{rc: rc, h: sha256.New(), want: digest, size: size}
	if size == 0 {
		r.checked = true
		if hex.EncodeToString(r.h.Sum(nil)) != digest {
			rc.Close()
			return nil, fmt.Errorf("evidence: blob %s: %w", digest, ErrCorrupt)
		}
	}
	return r, nil
}

// Reader reads a blob and checks it against its digest.
type Reader struct {
	rc      io.ReadCloser
	h       hash.Hash
	want    string
	size    int64
	read    int64
	checked bool
}

// Size is the blob's size in bytes.
func (r *Reader) Size() int64 { return r.size }

// Read reads the blob. The bytes that complete it are returned only once
// the whole content has been checked against the digest.
func (r *Reader) Read(p []byte) (int, error) {
	if r.checked {
		return 0, io.EOF
	}
	if rem := r.size - r.read; int64(len(p)) > rem {
		p = p[:rem]
	}
	n, err := r.rc.Read(p)
	r.h.Write(p[:n])
	r.read += int64(n)
	if r.read == r.size {
		r.checked = true
		if hex.EncodeToString(r.h.Sum(nil)) != r.want {
			return 0, fmt.Errorf("evidence: blob %s: %w", r.want, ErrCorrupt)
		}
		return n, nil
	}
	if err == io.EOF {
		return n, fmt.Errorf("evidence: blob %s ends after %d of %d bytes: %w", r.want, r.read, r.size, ErrCorrupt)
	}
	return n, err
}

// Close closes the blob.
func (r *Reader) Close() error { return r.rc.Close() }

// Walk calls fn for every well-formed blob in the store, in no particular
// order. It does not read their content (see Verify).
func (s *FS) Walk(fn func(Blob) error) error {
	return s.scan(func(b Blob, _ string, ok bool) error {
		if ok {
			return fn(b)
		}
		return nil
	})
}

// Stray lists files under sha256/ that are not well-formed blobs (a name
// that is not a digest, a blob in the wrong shard, anything that is not a
// regular file), as paths relative to the store's root.
func (s *FS) Stray() ([]string, error) {
	var out []string
	err := s.scan(func(_ Blob, rel string, ok bool) error {
		if !ok {
			out = append(out, rel)
		}
		return nil
	})
	return out, err
}

func (s *FS) scan(fn func(b Blob, rel string, ok bool) error) error {
	base := filepath.Join(s.root, digestDir)
	return filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == base {
			return nil
		}
		rel, _ := filepath.Rel(s.root, p)
		rel = filepath.ToSlash(rel)
		parts := strings.Split(rel, "/") // sha256, shard[, name]
		if d.IsDir() {
			if len(parts) == 2 && len(parts[1]) == 2 && isHex(parts[1]) {
				return nil
			}
			if err := fn(Blob{}, rel, false); err != nil {
				return err
			}
			return fs.SkipDir
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		ok := len(parts) == 3 && validDigest(parts[2]) && parts[2][:2] == parts[1] && info.Mode().IsRegular()
		return fn(Blob{SHA256: parts[len(parts)-1], Size: info.Size()}, rel, ok)
	})
}

func validDigest(s string) bool { return len(s) == 64 && isHex(s) }

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// syncDir makes a directory's entries durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("evidence: open %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("evidence: sync %s: %w", dir, err)
	}
	return nil
}
