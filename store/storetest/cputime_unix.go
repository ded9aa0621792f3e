//go:build unix

package storetest

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used (user and system), which
// is the figure to compare when other work shares the machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
