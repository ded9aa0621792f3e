package evidence_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"io"
	"path/filepath"
	"testing"

	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/internal/s3test"
)

// BenchmarkStore uploads and downloads evidence through each store: the
// data folder, and a bucket on a versitygw on the same machine.
func BenchmarkStore(b *testing.B) {
	stores := map[string]func(b *testing.B) evidence.Store{
		"fs": func(b *testing.B) evidence.Store {
			s, err := evidence.Open(filepath.Join(b.TempDir(), "blobs"))
			if err != nil {
				b.Fatal(err)
			}
			return s
		},
		"s3": func(b *testing.B) evidence.Store {
			srv := s3test.Start(b)
			srv.SetEnv(b)
			s, err := evidence.OpenS3(context.Background(), evidence.S3Config{
				URL: "s3://" + srv.CreateBucket(b, "bench") + "?path-style=true", Spool: b.TempDir(),
			})
			if err != nil {
				b.Fatal(err)
			}
			return s
		},
	}
	for _, name := range []string{"fs", "s3"} {
		for _, size := range []int{1 << 20, 16 << 20} {
			content := make([]byte, size)
			rand.Read(content)
			b.Run(name+"/"+sizeName(size), func(b *testing.B) {
				st := stores[name](b)
				b.Run("upload", func(b *testing.B) {
					b.SetBytes(int64(size))
					for i := range b.N {
						binary.LittleEndian.PutUint64(content, uint64(i)) // new content each time, never deduplicated
						if _, err := st.Put(bytes.NewReader(content), 0); err != nil {
							b.Fatal(err)
						}
					}
				})
				blob, err := st.Put(bytes.NewReader(content), 0)
				if err != nil {
					b.Fatal(err)
				}
				b.Run("download", func(b *testing.B) {
					b.SetBytes(int64(size))
					for range b.N {
						r, err := st.Open(blob.SHA256, blob.Size)
						if err != nil {
							b.Fatal(err)
						}
						if _, err := io.Copy(io.Discard, r); err != nil {
							b.Fatal(err)
						}
						r.Close()
					}
				})
			})
		}
	}
}

func sizeName(n int) string {
	return map[int]string{1 << 20: "1MiB", 16 << 20: "16MiB"}[n]
}
