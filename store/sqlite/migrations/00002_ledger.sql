-- +goose Up
-- The tamper-evident ledger over the activity trail (package ledger).
-- Leaf idx is assigned 0, 1, 2, ... under the writers' lock, in the same
-- transaction as the activity row, so it has no gaps (activity.seq may).
CREATE TABLE ledger_leaves (
    idx INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE REFERENCES activity (seq)
);

-- The tree's stored hashes (golang.org/x/mod/sumdb/tlog), by stored-hash index.
CREATE TABLE ledger_hashes (
    idx  INTEGER PRIMARY KEY,
    hash BLOB NOT NULL CHECK (length(hash) = 32)
);

-- Signed checkpoints. prev_size is the size of the checkpoint before (0 for
-- the first), so a checkpoint removed from the middle is noticed.
CREATE TABLE ledger_checkpoints (
    tree_size  INTEGER PRIMARY KEY CHECK (tree_size > 0),
    prev_size  INTEGER NOT NULL,
    root_hash  BLOB NOT NULL CHECK (length(root_hash) = 32),
    note_text  TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Entries written before the ledger existed become its first leaves; the
-- store computes their stored hashes on its next write.
INSERT INTO ledger_leaves (idx, seq) SELECT ROW_NUMBER() OVER (ORDER BY seq) - 1, seq FROM activity;

-- Append-only, like the activity table: no update, no delete, and no
-- INSERT OR REPLACE over an existing row.
-- +goose StatementBegin
CREATE TRIGGER ledger_leaves_no_update BEFORE UPDATE ON ledger_leaves
BEGIN
    SELECT RAISE(ABORT, 'ledger_leaves is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_leaves_no_delete BEFORE DELETE ON ledger_leaves
BEGIN
    SELECT RAISE(ABORT, 'ledger_leaves is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_leaves_no_replace BEFORE INSERT ON ledger_leaves
WHEN EXISTS (SELECT 1 FROM ledger_leaves WHERE idx = NEW.idx OR seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'ledger_leaves is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_hashes_no_update BEFORE UPDATE ON ledger_hashes
BEGIN
    SELECT RAISE(ABORT, 'ledger_hashes is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_hashes_no_delete BEFORE DELETE ON ledger_hashes
BEGIN
    SELECT RAISE(ABORT, 'ledger_hashes is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_hashes_no_replace BEFORE INSERT ON ledger_hashes
WHEN EXISTS (SELECT 1 FROM ledger_hashes WHERE idx = NEW.idx)
BEGIN
    SELECT RAISE(ABORT, 'ledger_hashes is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_checkpoints_no_update BEFORE UPDATE ON ledger_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'ledger_checkpoints is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_checkpoints_no_delete BEFORE DELETE ON ledger_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'ledger_checkpoints is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_checkpoints_no_replace BEFORE INSERT ON ledger_checkpoints
WHEN EXISTS (SELECT 1 FROM ledger_checkpoints WHERE tree_size = NEW.tree_size)
BEGIN
    SELECT RAISE(ABORT, 'ledger_checkpoints is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE ledger_checkpoints;
DROP TABLE ledger_hashes;
DROP TABLE ledger_leaves;
