package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
)

// auditState adds the audit engagements and recorded samples to the live
// state that verify compares with the ledger.
func (s *snapshot) auditState(ctx context.Context, st *ledger.LiveState) error {
	rows, err := s.query(ctx, `SELECT org_id, `+auditColumns+` FROM audits ORDER BY id`)
	if err != nil {
		return fmt.Errorf("read audits: %w", err)
	}
	for rows.Next() {
		var la ledger.LiveAudit
		if la.Audit, err = scanAudit(prefixed{rows, []any{&la.OrgID}}); err != nil {
			rows.Close()
			return err
		}
		st.Audits = append(st.Audits, la)
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	rows, err = s.query(ctx, `SELECT org_id, id, audit_id, population, control_id, population_size, population_digest, rows_digest, population_json, cutoff_seq, seed, size, keys_json, created_by_name, created_at
		FROM audit_samples ORDER BY id`)
	if err != nil {
		return fmt.Errorf("read samples: %w", err)
	}
	for rows.Next() {
		var ls ledger.LiveSample
		x := &ls.Sample
		var seed, keys, created string
		var frozen sql.NullString
		if err := rows.Scan(&ls.OrgID, &x.ID, &x.AuditID, &x.Population, &x.ControlID, &x.PopulationSize, &x.PopulationDigest, &x.RowsDigest, &frozen, &x.CutoffSeq, &seed, &x.Size, &keys, &x.CreatedByName, &created); err != nil {
			rows.Close()
			return fmt.Errorf("scan sample: %w", err)
		}
		if err := checkFrozen(*x, frozen); err != nil {
			rows.Close()
			return err
		}
		if x.Seed, err = strconv.ParseUint(seed, 10, 64); err != nil {
			rows.Close()
			return &ledger.Mismatch{Sentence: fmt.Sprintf("Sample %d has a seed that is not a number (%q): the row was changed behind Assay's back.", x.ID, seed)}
		}
		if err := json.Unmarshal([]byte(keys), &x.Keys); err != nil {
			rows.Close()
			return &ledger.Mismatch{Sentence: fmt.Sprintf("Sample %d has keys that cannot be read: the row was changed behind Assay's back.", x.ID)}
		}
		if x.CreatedAt, err = parseTime(created); err != nil {
			rows.Close()
			return err
		}
		st.AuditSamples = append(st.AuditSamples, ls)
	}
	return closeRows(rows)
}

// checkFrozen checks a sample's frozen population against the digests the
// sample (and so the ledger) recorded.
func checkFrozen(x assay.AuditSample, frozen sql.NullString) error {
	if !frozen.Valid {
		return nil
	}
	var pop assay.Population
	if err := json.Unmarshal([]byte(frozen.String), &pop); err != nil {
		return &ledger.Mismatch{Sentence: fmt.Sprintf("Sample %d's population cannot be read: the row was changed behind Assay's back.", x.ID)}
	}
	keys := assay.SortedKeys(pop.Items)
	if len(keys) != x.PopulationSize || assay.PopulationDigest(keys) != x.PopulationDigest || assay.RowsDigest(pop.Items) != x.RowsDigest {
		return &ledger.Mismatch{Sentence: fmt.Sprintf("Sample %d's population (%d rows) no longer matches the size and digests recorded when it was drawn: the row was changed behind Assay's back.", x.ID, len(keys))}
	}
	return nil
}
