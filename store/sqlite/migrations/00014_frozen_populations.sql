-- +goose Up
-- A sample keeps the population it was drawn from, with its provenance
-- (assay.Population as JSON), so later changes cannot alter what was
-- sampled; rows_digest is the SHA-256 of its rows (assay.RowsDigest).
-- Samples drawn before this keep NULL and are listed again at their cutoff.
ALTER TABLE audit_samples ADD COLUMN population_json TEXT;
ALTER TABLE audit_samples ADD COLUMN rows_digest TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE audit_samples DROP COLUMN rows_digest;
ALTER TABLE audit_samples DROP COLUMN population_json;
