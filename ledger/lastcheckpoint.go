package ledger

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// LastCheckpointFile keeps, in the data folder, a copy of the last
// checkpoint this installation signed. It is a witness outside the
// database: Verify makes sure the database still holds that checkpoint, so
// removing the newest checkpoint, or cutting entries off the end of the
// ledger and its checkpoints together, does not go unnoticed.
const LastCheckpointFile = "ledger.checkpoint"

// SaveLastCheckpoint replaces the data folder's copy of the last checkpoint.
func SaveLastCheckpoint(dir, signed string) error {
	tmp, err := writeTemp(dir, ".ledger.checkpoint-*", []byte(signed))
	if err != nil {
		return fmt.Errorf("save last checkpoint: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, LastCheckpointFile)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("save last checkpoint: %w", err)
	}
	return nil
}

// ReadLastCheckpoint returns the data folder's copy of the last checkpoint
// ("" when there is none).
func ReadLastCheckpoint(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, LastCheckpointFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("read last checkpoint: %w", err)
	}
	return string(b), nil
}
