package evidence

import (
	"fmt"
	"io"
	"runtime"
	"sort"
	"sync"
)

// Store is where evidence blobs live: a folder of the local file system
// (FS) or an S3-compatible bucket (S3). Both name a blob by the SHA-256 of
// its content, check that digest on every read, and make a blob visible
// under its name only once it is complete, so a record written after an
// upload's Commit returns never points at a partial blob.
type Store interface {
	// Create starts an upload of at most limit bytes (no limit when
	// limit <= 0). Write to it, then Commit or Abort.
	Create(limit int64) (*Upload, error)
	// Put stores everything r yields, at most limit bytes.
	Put(r io.Reader, limit int64) (Blob, error)
	// Has reports whether a blob with digest is stored.
	Has(digest string) (bool, error)
	// Open opens a blob for reading, checked against its digest as it is
	// read, and against size (-1: the stored size).
	Open(digest string, size int64) (*Reader, error)
	// Verify reads a whole blob, checks it and returns its size.
	Verify(digest string) (int64, error)
	// Walk calls fn for every well-formed blob, without reading content.
	Walk(fn func(Blob) error) error
	// CleanTemp removes uploads a stopped process left unfinished.
	CleanTemp() (int, error)
	// String says where the blobs are, for messages (never a secret).
	String() string
}

var (
	_ Store = (*FS)(nil)
	_ Store = (*S3)(nil)
)

func (s *FS) String() string { return s.root }

// VerifyAll reads every blob in st, checks each against its digest, and
// returns the digests found with their sizes. The first blob that does
// not verify, in digest order, is the error (wrapping ErrCorrupt).
func VerifyAll(st Store) (map[string]int64, error) {
	var blobs []Blob
	if err := st.Walk(func(b Blob) error { blobs = append(blobs, b); return nil }); err != nil {
		return nil, fmt.Errorf("evidence: list blobs in %s: %w", st, err)
	}
	sort.Slice(blobs, func(i, j int) bool { return blobs[i].SHA256 < blobs[j].SHA256 })
	errs := make([]error, len(blobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(2, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range next {
				size, err := st.Verify(blobs[i].SHA256)
				if err == nil && size != blobs[i].Size {
					err = fmt.Errorf("evidence: blob %s has %d bytes, listed as %d: %w", blobs[i].SHA256, size, blobs[i].Size, ErrCorrupt)
				}
				errs[i] = err
			}
		})
	}
	for i := range blobs {
		next <- i
	}
	close(next)
	wg.Wait()
	have := make(map[string]int64, len(blobs))
	for i, b := range blobs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		have[b.SHA256] = b.Size
	}
	return have, nil
}

// Copy copies the blob with digest from src to dst unless dst already has
// it, then reads it back from dst and checks it. It reports whether it
// copied.
func Copy(dst, src Store, digest string) (bool, error) {
	ok, err := dst.Has(digest)
	if err != nil {
		return false, fmt.Errorf("evidence: look for %s in %s: %w", digest, dst, err)
	}
	copied := false
	if !ok {
		r, err := src.Open(digest, -1)
		if err != nil {
			return false, err
		}
		b, err := dst.Put(r, 0)
		r.Close()
		if err != nil {
			return false, fmt.Errorf("evidence: copy %s to %s: %w", digest, dst, err)
		}
		if b.SHA256 != digest {
			return false, fmt.Errorf("evidence: copy of %s arrived as %s: %w", digest, b.SHA256, ErrCorrupt)
		}
		copied = true
	}
	want, err := src.Verify(digest)
	if err != nil {
		return copied, err
	}
	got, err := dst.Verify(digest)
	if err != nil {
		return copied, fmt.Errorf("evidence: check the copy of %s in %s: %w", digest, dst, err)
	}
	if got != want {
		return copied, fmt.Errorf("evidence: copy of %s in %s has %d bytes, not %d: %w", digest, dst, got, want, ErrCorrupt)
	}
	return copied, nil
}

// verifyBlob reads an opened blob to its end, which checks it against its
// digest, and returns its size.
func verifyBlob(r *Reader, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	defer r.Close()
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	if _, err := io.CopyBuffer(io.Discard, r, *bp); err != nil {
		return 0, err
	}
	return r.size, nil
}
