//go:build unix

package s3test

import (
	"os"
	"syscall"
)

// lockBuild holds an exclusive lock on path until unlock is called, so
// test binaries started together build the gateway once, not each.
func lockBuild(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
