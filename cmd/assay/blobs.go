package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/assay-platform/assay/evidence"
)

// openBlobs opens the evidence blob store: the data folder's blobs/ (also
// with PostgreSQL), or the S3-compatible bucket --blobs names, which
// several servers of one PostgreSQL database share.
func (m *Main) openBlobs(ctx context.Context) error {
	if m.Config.MaxUploadMB < 0 || m.Config.MaxUploadMB > 1<<20 {
		return fmt.Errorf("--max-upload-mb %d: give a size between 1 and %d", m.Config.MaxUploadMB, 1<<20)
	}
	if m.Blobs != nil {
		return nil
	}
	b, err := openBlobStore(ctx, m.Config.DataDir, m.Config.BlobsURL)
	if err != nil {
		return err
	}
	m.Blobs = b
	return nil
}

// openBlobStore opens the store url names: "" is DATA/blobs, s3://... a
// bucket, whose uploads in progress are spooled in DATA/spool.
func openBlobStore(ctx context.Context, data, url string) (evidence.Store, error) {
	switch {
	case url == "":
		return evidence.Open(filepath.Join(data, "blobs"))
	case evidence.IsS3URL(url):
		s, err := evidence.OpenS3(ctx, evidence.S3Config{URL: url, Spool: filepath.Join(data, "spool")})
		if err != nil {
			return nil, fmt.Errorf("--blobs: %w", err)
		}
		return s, nil
	}
	return nil, fmt.Errorf("--blobs %q: give s3://bucket/prefix, or nothing for blobs/ in the data folder", url)
}
