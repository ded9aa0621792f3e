package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/assay-platform/assay/store/storetest"
)

// TestTrainingCompletionsAppendOnly tampers with completion evidence
// through a plain connection to the same file.
func TestTrainingCompletionsAppendOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "assay.db")
	s := open(t, path, config())
	defer s.Close()
	storetest.TrainingCompletionsAppendOnly(t, s, rawConn(t, path))
}
