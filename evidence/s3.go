package evidence

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// S3 is a blob store in an S3-compatible bucket, laid out as the file
// system store is: <prefix>/sha256/<first 2 hex digits>/<64 hex digits>.
//
// An upload is first written to a local temporary file (in the spool
// folder) and hashed as it streams. Only once its digest is known is it
// sent, with one PutObject to its final key carrying that SHA-256 as the
// object's checksum, so the server refuses a body that does not match. An
// S3 object appears whole or not at all, so no key ever names a partial
// blob, and the record is written only after PutObject succeeded. A key
// that already exists is checked, never replaced.
type S3 struct {
	client *s3.Client
	bucket string
	prefix string // "" or ending in "/"
	spool  string
}

// S3Config says which bucket to use and how to reach it.
type S3Config struct {
	// URL is s3://bucket[/prefix][?path-style=true].
	URL string
	// Spool is the local folder for uploads in progress (created if needed).
	Spool string
	// PathStyle addresses the bucket as endpoint/bucket rather than
	// bucket.endpoint, as most self-hosted S3-compatible servers need. The
	// URL's ?path-style=true sets it too.
	PathStyle bool
}

// IsS3URL reports whether u names an S3 bucket (s3://...).
func IsS3URL(u string) bool { return strings.HasPrefix(u, "s3://") }

// parseS3URL splits s3://bucket/prefix?path-style=true.
func parseS3URL(raw string) (bucket, prefix string, pathStyle bool, err error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return "", "", false, fmt.Errorf("evidence: %q is not s3://bucket/prefix", raw)
	}
	if u.User != nil {
		return "", "", false, errors.New("evidence: put S3 credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, not in the URL")
	}
	for k := range u.Query() {
		if k != "path-style" {
			return "", "", false, fmt.Errorf("evidence: unknown S3 URL option %q (known: path-style)", k)
		}
	}
	if v := u.Query().Get("path-style"); v != "" {
		if pathStyle, err = strconv.ParseBool(v); err != nil {
			return "", "", false, fmt.Errorf("evidence: path-style=%q: give true or false", v)
		}
	}
	prefix = strings.Trim(u.Path, "/")
	if prefix != "" {
		prefix += "/"
	}
	return u.Host, prefix, pathStyle, nil
}

// OpenS3 connects to the bucket cfg names and checks that it can be
// reached. The endpoint, region and credentials come from the usual AWS
// settings: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, AWS_REGION (default
// us-east-1), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile.
func OpenS3(ctx context.Context, cfg S3Config) (*S3, error) {
	bucket, prefix, pathStyle, err := parseS3URL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.Spool == "" {
		return nil, errors.New("evidence: the S3 store needs a local spool folder")
	}
	if err := os.MkdirAll(cfg.Spool, 0o700); err != nil {
		return nil, fmt.Errorf("evidence: create %s: %w", cfg.Spool, err)
	}
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("evidence: AWS configuration: %w", err)
	}
	if awsCfg.Region == "" {
		awsCfg.Region = "us-east-1"
	}
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		o.UsePathStyle = pathStyle || cfg.PathStyle
	})
	st := &S3{client: client, bucket: bucket, prefix: prefix, spool: cfg.Spool}
	hctx, cancel := context.WithTimeout(ctx, shortCall)
	defer cancel()
	if _, err := client.HeadBucket(hctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}); err != nil {
		return nil, fmt.Errorf("evidence: reach bucket %s: %w", bucket, err)
	}
	return st, nil
}

const (
	shortCall = time.Minute // a HEAD or one page of a listing
	longCall  = time.Hour   // an upload or download, which may be large
)

func (s *S3) String() string { return "s3://" + s.bucket + "/" + s.prefix }

func (s *S3) key(digest string) string {
	return s.prefix + digestDir + "/" + digest[:2] + "/" + digest
}

// CleanTemp removes uploads left in the spool folder by a process that
// stopped before sending them.
func (s *S3) CleanTemp() (int, error) {
	entries, err := os.ReadDir(s.spool)
	if err != nil {
		return 0, fmt.Errorf("evidence: read spool folder: %w", err)
	}
	n := 0
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), tmpPrefix) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(s.spool, e.Name())); err != nil {
			return n, fmt.Errorf("evidence: remove %s: %w", e.Name(), err)
		}
		n++
	}
	return n, nil
}

// Create starts an upload, spooled to a local file until its digest is
// known.
func (s *S3) Create(limit int64) (*Upload, error) {
	f, err := os.CreateTemp(s.spool, tmpPrefix+"*"+tmpSuffix)
	if err != nil {
		return nil, fmt.Errorf("evidence: create spool file: %w", err)
	}
	// The spool file is only read back to send it: no need to make it
	// durable; the bucket's copy is the blob.
	return newUpload(f, limit, false, s.place), nil
}

// Put stores everything r yields, at most limit bytes.
func (s *S3) Put(r io.Reader, limit int64) (Blob, error) {
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

// place sends the finished spool file to the blob's key, unless a blob is
// already there (which is then checked and kept).
func (s *S3) place(tmp string, b Blob) error {
	size, found, err := s.head(b.SHA256)
	if err != nil {
		return err
	}
	if found {
		return s.checkExisting(b, size)
	}
	f, err := os.Open(tmp)
	if err != nil {
		return fmt.Errorf("evidence: reopen upload: %w", err)
	}
	defer f.Close()
	raw, _ := hex.DecodeString(b.SHA256)
	ctx, cancel := context.WithTimeout(context.Background(), longCall)
	defer cancel()
	_, err = s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:         aws.String(s.bucket),
		Key:            aws.String(s.key(b.SHA256)),
		Body:           f,
		ContentLength:  aws.Int64(b.Size),
		ContentType:    aws.String("application/octet-stream"),
		ChecksumSHA256: aws.String(base64.StdEncoding.EncodeToString(raw)),
	})
	if err != nil {
		return fmt.Errorf("evidence: put blob %s in %s: %w", b.SHA256, s, err)
	}
	return nil
}

func (s *S3) checkExisting(b Blob, size int64) error {
	if size != b.Size {
		return fmt.Errorf("evidence: blob %s is already stored with size %d, not %d; it was not replaced: %w", b.SHA256, size, b.Size, ErrCorrupt)
	}
	if _, err := s.Verify(b.SHA256); err != nil {
		return fmt.Errorf("evidence: blob %s is already stored but does not verify; it was not replaced: %w", b.SHA256, err)
	}
	return nil
}

// head returns the stored size of a blob, and whether it is there.
func (s *S3) head(digest string) (int64, bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), shortCall)
	defer cancel()
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(s.key(digest))})
	if isNotFound(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("evidence: look for blob %s in %s: %w", digest, s, err)
	}
	return aws.ToInt64(out.ContentLength), true, nil
}

// isNotFound tells a missing key (404, whatever the error's name) from a
// failure to ask.
func isNotFound(err error) bool {
	var re *awshttp.ResponseError
	return errors.As(err, &re) && re.HTTPStatusCode() == 404
}

// Has reports whether a blob with digest is stored.
func (s *S3) Has(digest string) (bool, error) {
	if !validDigest(digest) {
		return false, nil
	}
	_, found, err := s.head(digest)
	return found, err
}

// Open opens the blob for reading; the reader checks the content against
// the digest as it goes, exactly as the file system store's does.
func (s *S3) Open(digest string, size int64) (*Reader, error) {
	if !validDigest(digest) {
		return nil, fmt.Errorf("evidence: %q is not a SHA-256 digest: %w", digest, ErrNotFound)
	}
	ctx, cancel := context.WithTimeout(context.Background(), longCall)
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(s.key(digest))})
	if isNotFound(err) {
		cancel()
		return nil, fmt.Errorf("evidence: blob %s: %w", digest, ErrNotFound)
	}
	if err != nil {
		cancel()
		return nil, fmt.Errorf("evidence: get blob %s from %s: %w", digest, s, err)
	}
	body := &cancelCloser{ReadCloser: out.Body, cancel: cancel}
	got := aws.ToInt64(out.ContentLength)
	if size < 0 {
		size = got
	}
	if got != size {
		body.Close()
		return nil, fmt.Errorf("evidence: blob %s has %d bytes, want %d: %w", digest, got, size, ErrCorrupt)
	}
	return newReader(body, digest, size)
}

// cancelCloser ends a download's context when its body is closed.
type cancelCloser struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelCloser) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// Verify reads the blob and checks it against its digest.
func (s *S3) Verify(digest string) (int64, error) { return verifyBlob(s.Open(digest, -1)) }

// Walk calls fn for every key under the store's prefix that is a
// well-formed blob name; other keys are skipped.
func (s *S3) Walk(fn func(Blob) error) error {
	base := s.prefix + digestDir + "/"
	p := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: aws.String(s.bucket), Prefix: aws.String(base)})
	for p.HasMorePages() {
		ctx, cancel := context.WithTimeout(context.Background(), shortCall)
		page, err := p.NextPage(ctx)
		cancel()
		if err != nil {
			return fmt.Errorf("evidence: list %s: %w", s, err)
		}
		for _, o := range page.Contents {
			shard, name, ok := strings.Cut(strings.TrimPrefix(aws.ToString(o.Key), base), "/")
			if !ok || !validDigest(name) || name[:2] != shard {
				continue
			}
			if err := fn(Blob{SHA256: name, Size: aws.ToInt64(o.Size)}); err != nil {
				return err
			}
		}
	}
	return nil
}
