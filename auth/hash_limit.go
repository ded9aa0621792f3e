package auth

import "golang.org/x/crypto/argon2"

// MaxConcurrentHashes is how many argon2id computations run at once in the
// process. Each takes its Params.Memory (64 MiB by default) for as long as
// it runs, so ten simultaneous sign-ins would otherwise hold 640 MiB; with
// two at a time they hold 128 MiB and the others wait their turn. Two also
// keeps a small machine's cores (each hash uses two threads) free for the
// requests that are not signing in.
const MaxConcurrentHashes = 2

var hashSlots = make(chan struct{}, MaxConcurrentHashes)

// hashObserver, when set (by tests), is told when a hash starts (true)
// and ends (false), inside the limit.
var hashObserver func(running bool)

// idKey is argon2.IDKey within the process's limit of concurrent hashes.
func idKey(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	if obs := hashObserver; obs != nil {
		obs(true)
		defer obs(false)
	}
	return argon2.IDKey(password, salt, time, memory, threads, keyLen)
}
