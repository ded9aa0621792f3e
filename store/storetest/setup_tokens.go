package storetest

import (
	"sync"
	"time"

	"github.com/assay-platform/assay"
)

var setupTokenTests = []subtest{
	{"SetupTokenConsumedOnce", testSetupTokenOnce},
	{"SetupTokenExpired", testSetupTokenExpired},
	{"SetupTokenUnknown", testSetupTokenUnknown},
	{"SetupTokenConsumedConcurrently", testSetupTokenConcurrent},
}

func testSetupTokenOnce(e *Env) {
	t := e.T
	check(t, e.Store.CreateSetupToken(e.Ctx, "setup", e.Clock.Now().Add(time.Hour)), "create setup token")
	check(t, e.Store.ConsumeSetupToken(e.Ctx, "setup"), "first use")
	wantCode(t, e.Store.ConsumeSetupToken(e.Ctx, "setup"), assay.EUNAUTHORIZED, "second use")
	e.Clock.Advance(time.Minute)
	wantCode(t, e.Store.ConsumeSetupToken(e.Ctx, "setup"), assay.EUNAUTHORIZED, "third use")
	// Another token is independent.
	check(t, e.Store.CreateSetupToken(e.Ctx, "setup-2", e.Clock.Now().Add(time.Hour)), "create second token")
	check(t, e.Store.ConsumeSetupToken(e.Ctx, "setup-2"), "use of the second token")
}

func testSetupTokenExpired(e *Env) {
	t := e.T
	check(t, e.Store.CreateSetupToken(e.Ctx, "setup", e.Clock.Now().Add(time.Hour)), "create setup token")
	e.Clock.Advance(time.Hour)
	wantCode(t, e.Store.ConsumeSetupToken(e.Ctx, "setup"), assay.EUNAUTHORIZED, "token at its expiry")
	e.Clock.Advance(-time.Second)
	check(t, e.Store.ConsumeSetupToken(e.Ctx, "setup"), "a second before expiry")
}

func testSetupTokenUnknown(e *Env) {
	t := e.T
	wantCode(t, e.Store.ConsumeSetupToken(e.Ctx, "never-made"), assay.EUNAUTHORIZED, "unknown token")
	check(t, e.Store.CreateSetupToken(e.Ctx, "made", e.Clock.Now().Add(time.Hour)), "create setup token")
	wantCode(t, e.Store.ConsumeSetupToken(e.Ctx, "MADE"), assay.EUNAUTHORIZED, "token in another case")
	wantCode(t, e.Store.ConsumeSetupToken(e.Ctx, ""), assay.EUNAUTHORIZED, "empty token")
	check(t, e.Store.ConsumeSetupToken(e.Ctx, "made"), "the real token")
}

func testSetupTokenConcurrent(e *Env) {
	check(e.T, e.Store.CreateSetupToken(e.Ctx, "setup", e.Clock.Now().Add(time.Hour)), "create setup token")
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = e.Store.ConsumeSetupToken(e.Ctx, "setup")
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch assay.ErrorCode(err) {
		case "":
			ok++
		case assay.EUNAUTHORIZED:
		default:
			e.T.Errorf("concurrent use failed with %v", err)
		}
	}
	if ok != 1 {
		e.T.Fatalf("%d of %d concurrent uses succeeded, want exactly 1", ok, n)
	}
}
