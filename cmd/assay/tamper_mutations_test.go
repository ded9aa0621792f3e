package main

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/assay-platform/assay/ledger"
)

// The tamper campaign's mutations: what an attacker with the files does.

// tamperDB is an attacker's connection to a copy of the database.
type tamperDB struct {
	db *sql.DB
	r  *rand.Rand
}

// unlock drops the table's triggers (append-only and the like).
func (x *tamperDB) unlock(table string) error {
	rows, err := x.db.Query(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?`, table)
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	for _, n := range names {
		if _, err := x.db.Exec(`DROP TRIGGER ` + n); err != nil {
			return err
		}
	}
	return nil
}

func (x *tamperDB) exec(q string, args ...any) error {
	_, err := x.db.Exec(q, args...)
	if err != nil {
		return fmt.Errorf("%s %v: %w", q, args, err)
	}
	return nil
}

// pick returns the values of one random row of a query.
func (x *tamperDB) pick(q string, args ...any) ([]any, error) {
	rows, err := x.db.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var all [][]any
	for rows.Next() {
		v := make([]any, len(cols))
		p := make([]any, len(cols))
		for i := range v {
			p[i] = &v[i]
		}
		if err := rows.Scan(p...); err != nil {
			return nil, err
		}
		all = append(all, v)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("no rows: %s", q)
	}
	return all[x.r.IntN(len(all))], rows.Err()
}

func (x *tamperDB) one(q string, args ...any) (int64, error) {
	var n int64
	err := x.db.QueryRow(q, args...).Scan(&n)
	return n, err
}

// changeText changes one character of s (or adds one to an empty string).
func (x *tamperDB) changeText(s string) string {
	if s == "" {
		return "x"
	}
	b := []byte(s)
	i := x.r.IntN(len(b))
	c := byte('a' + x.r.IntN(26))
	if b[i] == c {
		c = 'Z'
	}
	b[i] = c
	return string(b)
}

func laterTime(v any) string {
	t, err := ledger.ParseTime(fmt.Sprint(asString(v)))
	if err != nil {
		t = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return t.Add(time.Second).Format(ledger.TimeLayout)
}

func asString(v any) string {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// mutate makes one random change to the data folder dir.
func mutate(r *rand.Rand, dir string) (kind, desc string, err error) {
	if r.IntN(12) == 0 {
		return mutateBlob(r, dir)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "assay.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return "", "", err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	x := &tamperDB{db: db, r: r}
	tables := []string{"activity", "ledger_leaves", "ledger_hashes", "ledger_checkpoints", "controls", "control_criteria", "organizations", "users", "api_tokens"}
	ops := []string{"change", "delete", "insert", "swap"}
	for attempt := 0; ; attempt++ {
		table, op := tables[r.IntN(len(tables))], ops[r.IntN(len(ops))]
		kind = table + " " + op
		if err := x.unlock(table); err != nil {
			return kind, "", err
		}
		desc, err = mutateRow(x, table, op)
		if err == nil {
			return kind, desc, nil
		}
		if attempt > 20 {
			return kind, desc, err
		}
		// Some changes are impossible on this row (a constraint says no):
		// pick another.
	}
}

func mutateBlob(r *rand.Rand, dir string) (string, string, error) {
	var blobs []string
	filepath.WalkDir(filepath.Join(dir, "blobs"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			blobs = append(blobs, p)
		}
		return nil
	})
	sort.Strings(blobs)
	p := blobs[r.IntN(len(blobs))]
	b, err := os.ReadFile(p)
	if err != nil {
		return "blob change", "", err
	}
	i := r.IntN(len(b))
	b[i] ^= byte(1 + r.IntN(255))
	return "blob change", fmt.Sprintf("changed byte %d of %s", i, filepath.Base(p)), os.WriteFile(p, b, 0o600)
}

func mutateRow(x *tamperDB, table, op string) (string, error) {
	switch table {
	case "activity":
		return mutateActivity(x, op)
	case "ledger_leaves":
		return mutateLeaves(x, op)
	case "ledger_hashes":
		return mutateHashes(x, op)
	case "ledger_checkpoints":
		return mutateCheckpoints(x, op)
	case "controls":
		return mutateControls(x, op)
	case "control_criteria":
		return mutateCriteria(x, op)
	case "organizations":
		return mutateOrgs(x, op)
	case "users":
		return mutateUsers(x, op)
	case "api_tokens":
		return mutateTokens(x, op)
	}
	return "", fmt.Errorf("unknown table %s", table)
}

// changeColumn sets one column of the row to a different value.
func changeColumn(x *tamperDB, table, key string, keyVal any, col string, v any) (string, error) {
	if err := x.exec(`UPDATE `+table+` SET `+col+` = ? WHERE `+key+` = ?`, v, keyVal); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s %s=%v: set %s to %.60v", table, key, keyVal, col, asString(v)), nil
}

func mutateActivity(x *tamperDB, op string) (string, error) {
	cols := []string{"org_id", "at", "actor_user_id", "actor_name", "actor_via", "action", "object_type", "object_id", "summary", "before_json", "after_json"}
	row, err := x.pick(`SELECT seq, ` + strings.Join(cols, ", ") + ` FROM activity`)
	if err != nil {
		return "", err
	}
	seq := row[0]
	switch op {
	case "change":
		i := x.r.IntN(len(cols))
		col, cur := cols[i], row[i+1]
		var v any
		switch col {
		case "org_id":
			v = row[1].(int64)%2 + 1
		case "actor_user_id":
			if cur == nil {
				v = int64(1)
			} else if x.r.IntN(2) == 0 {
				v = nil
			} else {
				v = cur.(int64) + 1
			}
		case "before_json", "after_json":
			if cur == nil {
				v = `{}`
			} else {
				v = x.changeText(asString(cur))
			}
		default:
			v = x.changeText(asString(cur))
		}
		return changeColumn(x, "activity", "seq", seq, col, v)
	case "delete":
		return fmt.Sprintf("activity: deleted #%v", seq), x.exec(`DELETE FROM activity WHERE seq = ?`, seq)
	case "insert":
		return "activity: inserted a copy of #" + asString(seq), x.exec(`INSERT INTO activity (`+strings.Join(cols, ", ")+`) SELECT `+strings.Join(cols, ", ")+` FROM activity WHERE seq = ?`, seq)
	default:
		other, err := x.pick(`SELECT seq FROM activity WHERE seq <> ?`, seq)
		if err != nil {
			return "", err
		}
		return swapRows(x, "activity", "seq", seq, other[0], cols)
	}
}

// swapRows exchanges the columns of two rows. Unique columns among them
// are moved out of the way first.
func swapRows(x *tamperDB, table, key string, a, b any, cols []string, unique ...string) (string, error) {
	read := func(k any) ([]any, error) {
		v := make([]any, len(cols))
		p := make([]any, len(cols))
		for i := range v {
			p[i] = &v[i]
		}
		return v, x.db.QueryRow(`SELECT `+strings.Join(cols, ", ")+` FROM `+table+` WHERE `+key+` = ?`, k).Scan(p...)
	}
	va, err := read(a)
	if err != nil {
		return "", err
	}
	vb, err := read(b)
	if err != nil {
		return "", err
	}
	if fmt.Sprint(va) == fmt.Sprint(vb) {
		return "", errors.New("identical rows")
	}
	for _, u := range unique {
		if err := x.exec(`UPDATE `+table+` SET `+u+` = '-swap-' || `+u+` WHERE `+key+` = ?`, b); err != nil {
			return "", err
		}
	}
	write := func(k any, v []any) error {
		var set []string
		for _, c := range cols {
			set = append(set, c+" = ?")
		}
		return x.exec(`UPDATE `+table+` SET `+strings.Join(set, ", ")+` WHERE `+key+` = ?`, append(v, k)...)
	}
	if err := write(a, vb); err != nil {
		return "", err
	}
	if err := write(b, va); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s: swapped rows %s=%v and %v", table, key, a, b), nil
}

func mutateLeaves(x *tamperDB, op string) (string, error) {
	row, err := x.pick(`SELECT idx, seq FROM ledger_leaves`)
	if err != nil {
		return "", err
	}
	switch op {
	case "change":
		if x.r.IntN(2) == 0 {
			return changeColumn(x, "ledger_leaves", "idx", row[0], "seq", row[1].(int64)+1000000)
		}
		return changeColumn(x, "ledger_leaves", "idx", row[0], "idx", row[0].(int64)+1000000)
	case "delete":
		return fmt.Sprintf("ledger_leaves: deleted leaf %v", row[0]), x.exec(`DELETE FROM ledger_leaves WHERE idx = ?`, row[0])
	case "insert":
		return "ledger_leaves: inserted a leaf", x.exec(`INSERT INTO ledger_leaves (idx, seq) SELECT MAX(idx) + 1, MAX(seq) + 1000 FROM ledger_leaves`)
	default:
		other, err := x.pick(`SELECT idx, seq FROM ledger_leaves WHERE idx <> ?`, row[0])
		if err != nil {
			return "", err
		}
		if err := x.exec(`UPDATE ledger_leaves SET seq = -1 WHERE idx = ?`, row[0]); err != nil {
			return "", err
		}
		if err := x.exec(`UPDATE ledger_leaves SET seq = ? WHERE idx = ?`, row[1], other[0]); err != nil {
			return "", err
		}
		return fmt.Sprintf("ledger_leaves: swapped the seqs of leaves %v and %v", row[0], other[0]),
			x.exec(`UPDATE ledger_leaves SET seq = ? WHERE idx = ?`, other[1], row[0])
	}
}

func mutateHashes(x *tamperDB, op string) (string, error) {
	row, err := x.pick(`SELECT idx, hash FROM ledger_hashes`)
	if err != nil {
		return "", err
	}
	switch op {
	case "change":
		h := append([]byte(nil), row[1].([]byte)...)
		h[x.r.IntN(len(h))] ^= byte(1 + x.r.IntN(255))
		return changeColumn(x, "ledger_hashes", "idx", row[0], "hash", h)
	case "delete":
		return fmt.Sprintf("ledger_hashes: deleted %v", row[0]), x.exec(`DELETE FROM ledger_hashes WHERE idx = ?`, row[0])
	case "insert":
		return "ledger_hashes: inserted one", x.exec(`INSERT INTO ledger_hashes (idx, hash) SELECT MAX(idx) + 1, randomblob(32) FROM ledger_hashes`)
	default:
		other, err := x.pick(`SELECT idx FROM ledger_hashes WHERE idx <> ?`, row[0])
		if err != nil {
			return "", err
		}
		return swapRows(x, "ledger_hashes", "idx", row[0], other[0], []string{"hash"})
	}
}

func mutateCheckpoints(x *tamperDB, op string) (string, error) {
	row, err := x.pick(`SELECT tree_size, prev_size, root_hash, note_text, created_at FROM ledger_checkpoints`)
	if err != nil {
		return "", err
	}
	size := row[0]
	switch op {
	case "change":
		switch x.r.IntN(5) {
		case 0:
			n, err := x.one(`SELECT MAX(tree_size) FROM ledger_checkpoints`)
			if err != nil {
				return "", err
			}
			return changeColumn(x, "ledger_checkpoints", "tree_size", size, "tree_size", 1+x.r.Int64N(n+20))
		case 1:
			return changeColumn(x, "ledger_checkpoints", "tree_size", size, "prev_size", row[1].(int64)+1)
		case 2:
			h := append([]byte(nil), row[2].([]byte)...)
			h[x.r.IntN(32)] ^= 0x40
			return changeColumn(x, "ledger_checkpoints", "tree_size", size, "root_hash", h)
		case 3:
			return changeColumn(x, "ledger_checkpoints", "tree_size", size, "note_text", x.changeText(asString(row[3])))
		default:
			return changeColumn(x, "ledger_checkpoints", "tree_size", size, "created_at", laterTime(row[4]))
		}
	case "delete":
		return fmt.Sprintf("ledger_checkpoints: deleted the one at %v", size), x.exec(`DELETE FROM ledger_checkpoints WHERE tree_size = ?`, size)
	case "insert":
		n, err := x.one(`SELECT COUNT(*) FROM ledger_leaves`)
		if err != nil {
			return "", err
		}
		newSize := 1 + x.r.Int64N(n)
		return fmt.Sprintf("ledger_checkpoints: inserted a copy of %v at size %d", size, newSize),
			x.exec(`INSERT INTO ledger_checkpoints (tree_size, prev_size, root_hash, note_text, created_at)
				SELECT ?, prev_size, root_hash, note_text, created_at FROM ledger_checkpoints WHERE tree_size = ?`, newSize, size)
	default:
		other, err := x.pick(`SELECT tree_size FROM ledger_checkpoints WHERE tree_size <> ?`, size)
		if err != nil {
			return "", err
		}
		cols := [][]string{{"prev_size", "root_hash", "note_text", "created_at"}, {"note_text"}, {"root_hash"}}[x.r.IntN(3)]
		return swapRows(x, "ledger_checkpoints", "tree_size", size, other[0], cols)
	}
}
