package postgres_test

import (
	"testing"

	"github.com/assay-platform/assay/store/storetest"
)

// TestTrainingCompletionsAppendOnly tampers with completion evidence
// through a plain connection to the same database.
func TestTrainingCompletionsAppendOnly(t *testing.T) {
	dsn := database(t)
	s := open(t, dsn, config())
	defer s.Close()
	storetest.TrainingCompletionsAppendOnly(t, s, rawConn(t, dsn), `TRUNCATE training_completions`)
}
