// Package s3test runs a real S3-compatible server for tests: Versity's
// gateway (versitygw) with its POSIX backend, built once from the Go module
// proxy into the user's cache folder and started per test on a free
// loopback port.
//
// When the gateway cannot be built (no module proxy, no Go toolchain), the
// test is skipped with the reason, except under CI, where it fails.
package s3test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Version is the versitygw release the tests run.
const Version = "v1.8.0"

const (
	accessKey = "assay-test-access"
	secretKey = "assay-test-secret-key-0123456789"
	region    = "us-east-1"
)

// Server is a running gateway.
type Server struct {
	Endpoint string // http://127.0.0.1:PORT
	Dir      string // the POSIX backend's folder: one sub-folder per bucket
}

// Env is the environment an Assay process needs to reach the server: the
// usual AWS variables.
func (s *Server) Env() []string {
	return []string{
		"AWS_ENDPOINT_URL_S3=" + s.Endpoint,
		"AWS_ACCESS_KEY_ID=" + accessKey,
		"AWS_SECRET_ACCESS_KEY=" + secretKey,
		"AWS_REGION=" + region,
	}
}

// SetEnv sets Env in this process for the rest of the test.
func (s *Server) SetEnv(t testing.TB) {
	t.Helper()
	for _, kv := range s.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	// Keep a shared AWS profile of the machine's user out of the tests.
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
}

// Client is an S3 client for the server.
func (s *Server) Client() *s3.Client {
	return s3.New(s3.Options{
		Region:       region,
		BaseEndpoint: aws.String(s.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(accessKey, secretKey, ""),
	})
}

// CreateBucket makes a bucket and returns its name.
func (s *Server) CreateBucket(t testing.TB, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := s.Client().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
	return name
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds the gateway once per test binary, into a cache folder
// shared by test binaries and runs (building takes minutes on a small
// machine; later runs reuse it).
func binary() (string, error) {
	buildOnce.Do(func() {
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		dir := filepath.Join(cache, "assay-test", "versitygw-"+Version+"-"+runtime.GOOS+"-"+runtime.GOARCH)
		binPath = filepath.Join(dir, "versitygw")
		if _, err := os.Stat(binPath); err == nil {
			return
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			buildErr = err
			return
		}
		unlock, err := lockBuild(filepath.Join(dir, "build.lock"))
		if err != nil {
			buildErr = err
			return
		}
		defer unlock()
		if _, err := os.Stat(binPath); err == nil {
			return // another test binary built it while this one waited
		}
		// Build into a folder of our own, then rename into place, so two
		// test binaries building at once never run a half-written file.
		tmp, err := os.MkdirTemp(dir, "build-")
		if err != nil {
			buildErr = err
			return
		}
		defer os.RemoveAll(tmp)
		cmd := exec.Command("go", "install", "github.com/versity/versitygw/cmd/versitygw@"+Version)
		cmd.Env = append(os.Environ(), "GOBIN="+tmp, "GOFLAGS=-mod=mod", "GOWORK=off")
		cmd.Dir = tmp // outside Assay's module, so its go.mod is not consulted
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go install versitygw@%s: %w\n%s", Version, err, out)
			return
		}
		buildErr = os.Rename(filepath.Join(tmp, "versitygw"), binPath)
	})
	return binPath, buildErr
}

// Start builds (once) and starts a gateway for the test, stopped when the
// test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := binary()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("s3test: cannot build the S3 test server: %v", err)
		}
		t.Skipf("s3test: skipped, the S3 test server (versitygw %s) cannot be built here: %v", Version, err)
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	meta := filepath.Join(dir, "meta")
	for _, d := range []string{data, meta} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	addr := freeAddr(t)
	cmd := exec.Command(bin, "--access", accessKey, "--secret", secretKey, "--region", region, "--port", addr, "--quiet",
		"posix", "--sidecar", meta, data)
	logf, err := os.Create(filepath.Join(dir, "versitygw.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("start versitygw: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		logf.Close()
	})
	s := &Server{Endpoint: "http://" + addr, Dir: data}
	deadline := time.Now().Add(30 * time.Second) // wall time: a real process starting, not the domain clock
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return s
		}
		select {
		case werr := <-exited:
			log, _ := os.ReadFile(logf.Name())
			t.Fatalf("versitygw exited at start: %v\n%s", werr, log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("versitygw did not listen on %s within 30s: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// freeAddr finds a free loopback port (the gateway takes an address, not a
// listener).
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
