package ledger

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Tree is the ledger at one size: how many leaves, and the root hash.
type Tree struct {
	Size int64     `json:"tree_size"`
	Root tlog.Hash `json:"root_hash"`
}

// Checkpoint is a signed statement of the tree at one size. Each names the
// size of the checkpoint before it, so a checkpoint removed from the middle
// of the list is noticed.
type Checkpoint struct {
	Size      int64     `json:"tree_size"`
	Root      tlog.Hash `json:"root_hash"`
	PrevSize  int64     `json:"previous_size"` // 0 for the first checkpoint
	Note      string    `json:"note"`          // the signed note: CheckpointText and its signature line
	CreatedAt time.Time `json:"created_at"`
}

// Tree is the tree the checkpoint commits to.
func (c Checkpoint) Tree() Tree { return Tree{Size: c.Size, Root: c.Root} }

// CheckpointText is the body of a checkpoint in the usual transparency-log
// form: the log's origin line, the tree size in decimal, and the root hash
// in standard base64, each ending in a newline. One extension line follows
// (the form allows them): "time " and when it was signed, in TimeLayout, so
// the signature covers the time too.
func CheckpointText(origin string, t Tree, at time.Time) string {
	return origin + "\n" + strconv.FormatInt(t.Size, 10) + "\n" + base64.StdEncoding.EncodeToString(t.Root[:]) + "\n" +
		"time " + at.UTC().Format(TimeLayout) + "\n"
}

// ParseCheckpointText reads a checkpoint body. at is zero when there is no
// time line; other extension lines are ignored.
func ParseCheckpointText(text string) (origin string, t Tree, at time.Time, err error) {
	lines := strings.Split(text, "\n")
	if len(lines) < 4 || lines[len(lines)-1] != "" {
		return "", Tree{}, at, errors.New("a checkpoint has an origin line, a size line and a root hash line, each ending in a newline")
	}
	origin, size, root := lines[0], lines[1], lines[2]
	if origin == "" {
		return "", Tree{}, at, errors.New("the checkpoint's origin line is empty")
	}
	t.Size, err = strconv.ParseInt(size, 10, 64)
	if err != nil || t.Size < 0 || strconv.FormatInt(t.Size, 10) != size {
		return "", Tree{}, at, fmt.Errorf("the checkpoint's size %q is not a decimal number", size)
	}
	h, err := base64.StdEncoding.DecodeString(root)
	if err != nil || len(h) != tlog.HashSize {
		return "", Tree{}, at, fmt.Errorf("the checkpoint's root hash %q is not a base64 SHA-256 hash", root)
	}
	copy(t.Root[:], h)
	for _, ext := range lines[3 : len(lines)-1] {
		if v, ok := strings.CutPrefix(ext, "time "); ok {
			if at, err = ParseTime(v); err != nil {
				return "", Tree{}, at, fmt.Errorf("the checkpoint's time %q is not a time", v)
			}
		}
	}
	return origin, t, at, nil
}

// OpenCheckpoint checks a signed checkpoint note against the verifier key
// and returns the tree it commits to and when it was signed. The origin
// line must be the key's name.
func OpenCheckpoint(signed string, v note.Verifier) (Tree, time.Time, error) {
	n, err := note.Open([]byte(signed), note.VerifierList(v))
	if err != nil {
		return Tree{}, time.Time{}, err
	}
	origin, t, at, err := ParseCheckpointText(n.Text)
	if err != nil {
		return Tree{}, time.Time{}, err
	}
	if origin != v.Name() {
		return Tree{}, time.Time{}, fmt.Errorf("the checkpoint's origin %q is not the key's name %q", origin, v.Name())
	}
	return t, at, nil
}
