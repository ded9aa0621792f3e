-- +goose Up
-- The tamper-evident ledger over the activity trail (package ledger).
-- Leaf idx is assigned 0, 1, 2, ... under the writers' advisory lock, in the
-- same transaction as the activity row, so it has no gaps. (activity.seq
-- is an identity column, and sequences are not transactional: a rolled-back
-- write leaves a gap in seq.)
CREATE TABLE ledger_leaves (
    idx BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE REFERENCES activity (seq)
);

-- The tree's stored hashes (golang.org/x/mod/sumdb/tlog), by stored-hash index.
CREATE TABLE ledger_hashes (
    idx  BIGINT PRIMARY KEY,
    hash BYTEA NOT NULL CHECK (length(hash) = 32)
);

-- Signed checkpoints. prev_size is the size of the checkpoint before (0 for
-- the first), so a checkpoint removed from the middle is noticed.
CREATE TABLE ledger_checkpoints (
    tree_size  BIGINT PRIMARY KEY CHECK (tree_size > 0),
    prev_size  BIGINT NOT NULL,
    root_hash  BYTEA NOT NULL CHECK (length(root_hash) = 32),
    note_text  TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Entries written before the ledger existed become its first leaves; the
-- store computes their stored hashes on its next write.
INSERT INTO ledger_leaves (idx, seq) SELECT ROW_NUMBER() OVER (ORDER BY seq) - 1, seq FROM activity;

-- Append-only, like the activity table.
-- +goose StatementBegin
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER ledger_leaves_no_update BEFORE UPDATE OR DELETE ON ledger_leaves
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_leaves_no_truncate BEFORE TRUNCATE ON ledger_leaves
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_hashes_no_update BEFORE UPDATE OR DELETE ON ledger_hashes
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_hashes_no_truncate BEFORE TRUNCATE ON ledger_hashes
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_checkpoints_no_update BEFORE UPDATE OR DELETE ON ledger_checkpoints
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();

-- +goose Down
DROP TABLE ledger_checkpoints;
DROP TABLE ledger_hashes;
DROP TABLE ledger_leaves;
DROP FUNCTION ledger_append_only;
