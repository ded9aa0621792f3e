package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
)

// Sign-in throttling (store.SignInThrottle). Its rows are operational
// state, not the compliance record: they are written outside the ledger's
// lock, so a flood of failed sign-ins does not queue behind (or ahead of)
// the changes users make, and they are pruned as they age.

// signinKeep is how long a pair's row outlives its last event, so that a
// pair stays known (assay.SignInPolicy.KnownFor) for as long as it needs.
const signinKeep = 180 * 24 * time.Hour

// SignInState reads a pair's state and the current minute's failures.
func (db *DB) SignInState(ctx context.Context, pairHash string) (assay.SignInState, error) {
	now := db.clock.Now().UTC().Truncate(time.Microsecond)
	return signinState(func(q string, args ...any) *sql.Row { return db.queryRow(ctx, q, args...) }, pairHash, now)
}

// RecordSignInFailure counts a failure of the pair and of the minute.
func (db *DB) RecordSignInFailure(ctx context.Context, pairHash string, forget time.Duration) (assay.SignInState, error) {
	var st assay.SignInState
	err := db.updateUnlogged(ctx, func(tx *Tx) error {
		now := formatTime(tx.now)
		if _, err := tx.exec(`INSERT INTO signin_pairs (pair_hash, failures, failed_at, updated_at) VALUES (?, 1, ?, ?)
			ON CONFLICT (pair_hash) DO UPDATE SET
				failures = CASE WHEN signin_pairs.failed_at IS NULL OR signin_pairs.failed_at <= ? THEN 1 ELSE signin_pairs.failures + 1 END,
				failed_at = excluded.failed_at, updated_at = excluded.updated_at`,
			pairHash, now, now, formatTime(tx.now.Add(-forget))); err != nil {
			return fmt.Errorf("record sign-in failure: %w", err)
		}
		if _, err := tx.exec(`INSERT INTO signin_minutes (minute, failures) VALUES (?, 1)
			ON CONFLICT (minute) DO UPDATE SET failures = signin_minutes.failures + 1`, minuteOf(tx.now)); err != nil {
			return fmt.Errorf("record sign-in failure: %w", err)
		}
		// Prune what no decision reads any more.
		if _, err := tx.exec(`DELETE FROM signin_minutes WHERE minute < ?`, minuteOf(tx.now)-60); err != nil {
			return fmt.Errorf("prune sign-in minutes: %w", err)
		}
		// A pair that never signed in is of no use once its failures are
		// forgotten; one that did is kept while it counts as known.
		if _, err := tx.exec(`DELETE FROM signin_pairs WHERE updated_at < ? AND (succeeded_at IS NULL OR updated_at < ?)`,
			formatTime(tx.now.Add(-forget)), formatTime(tx.now.Add(-signinKeep))); err != nil {
			return fmt.Errorf("prune sign-in pairs: %w", err)
		}
		var err error
		st, err = signinState(tx.queryRow, pairHash, tx.now)
		return err
	})
	return st, err
}

// RecordSignInSuccess clears the pair's failures and marks it known.
func (db *DB) RecordSignInSuccess(ctx context.Context, pairHash string) error {
	return db.updateUnlogged(ctx, func(tx *Tx) error {
		now := formatTime(tx.now)
		_, err := tx.exec(`INSERT INTO signin_pairs (pair_hash, failures, succeeded_at, updated_at) VALUES (?, 0, ?, ?)
			ON CONFLICT (pair_hash) DO UPDATE SET failures = 0, failed_at = NULL, noted_at = NULL,
				succeeded_at = excluded.succeeded_at, updated_at = excluded.updated_at`, pairHash, now, now)
		if err != nil {
			return fmt.Errorf("record sign-in success: %w", err)
		}
		return nil
	})
}

// NoteSignInThrottled marks the pair's throttling as recorded, once after
// each of its failures.
func (db *DB) NoteSignInThrottled(ctx context.Context, pairHash string) (bool, error) {
	var first bool
	err := db.updateUnlogged(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE signin_pairs SET noted_at = ?
			WHERE pair_hash = ? AND failed_at IS NOT NULL AND (noted_at IS NULL OR noted_at < failed_at)`, formatTime(tx.now), pairHash)
		if err != nil {
			return fmt.Errorf("note sign-in throttled: %w", err)
		}
		n, _ := res.RowsAffected()
		first = n == 1
		return nil
	})
	return first, err
}

func signinState(queryRow func(string, ...any) *sql.Row, pairHash string, now time.Time) (assay.SignInState, error) {
	var st assay.SignInState
	var failedAt, succeededAt sql.NullString
	err := queryRow(`SELECT failures, failed_at, succeeded_at FROM signin_pairs WHERE pair_hash = ?`, pairHash).
		Scan(&st.Failures, &failedAt, &succeededAt)
	if err != nil && err != sql.ErrNoRows {
		return st, fmt.Errorf("sign-in state: %w", err)
	}
	for _, c := range []struct {
		s  sql.NullString
		to *time.Time
	}{{failedAt, &st.FailedAt}, {succeededAt, &st.SucceededAt}} {
		if c.s.Valid {
			if *c.to, err = parseTime(c.s.String); err != nil {
				return st, err
			}
		}
	}
	err = queryRow(`SELECT failures FROM signin_minutes WHERE minute = ?`, minuteOf(now)).Scan(&st.MinuteFailures)
	if err != nil && err != sql.ErrNoRows {
		return st, fmt.Errorf("sign-in failures this minute: %w", err)
	}
	return st, nil
}

// minuteOf numbers the minute t falls in.
func minuteOf(t time.Time) int64 { return t.Unix() / 60 }

// updateUnlogged runs fn in a write transaction that does not take the
// ledger's lock: for operational state that records no activity.
func (db *DB) updateUnlogged(ctx context.Context, fn func(tx *Tx) error) error {
	sqltx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", db.dialect.MapError(err))
	}
	tx := &Tx{Tx: sqltx, db: db, ctx: ctx, now: db.clock.Now().UTC().Truncate(time.Microsecond)}
	if err := fn(tx); err != nil {
		_ = sqltx.Rollback()
		return db.dialect.MapError(err)
	}
	if err := sqltx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", db.dialect.MapError(err))
	}
	return nil
}
