package sqlite_test

import (
	"testing"

	"github.com/assay-platform/assay/store/storetest"
)

// TestTrainingCompletionsAppendOnly tampers with completion evidence
// through a plain connection to the same file.
func TestTrainingCompletionsAppendOnly(t *testing.T) {
	path := fresh(t)
	s := open(t, path, config())
	defer s.Close()
	storetest.TrainingCompletionsAppendOnly(t, s, rawConn(t, path))
}
