package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/assay-platform/assay/store/postgres"
	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
	"github.com/assay-platform/assay/store/storetest/pgtest"
)

// knownDifferences are the schema facts found on one side only, on
// purpose. Each line is as schemaFacts writes it; the test fails when one
// is no longer found, so the list stays true.
var knownDifferences = []struct{ only, fact, reason string }{
	// SQLite's INSERT OR REPLACE deletes the row it replaces without firing
	// DELETE triggers, so append-only tables refuse reusing a key with a
	// BEFORE INSERT trigger (the *_no_replace triggers). PostgreSQL has no
	// REPLACE; ON CONFLICT DO UPDATE fires the UPDATE trigger.
	{"sqlite", "activity: trigger before insert", "refuses INSERT OR REPLACE (activity_no_replace)"},
	{"sqlite", "evidence_items: trigger before insert", "refuses INSERT OR REPLACE (evidence_items_no_replace)"},
	{"sqlite", "ledger_leaves: trigger before insert", "refuses INSERT OR REPLACE (ledger_leaves_no_replace)"},
	{"sqlite", "ledger_hashes: trigger before insert", "refuses INSERT OR REPLACE (ledger_hashes_no_replace)"},
	{"sqlite", "ledger_checkpoints: trigger before insert", "refuses INSERT OR REPLACE (ledger_checkpoints_no_replace)"},
	// PostgreSQL's TRUNCATE fires no row triggers, so append-only tables
	// refuse it with a statement trigger. SQLite has no TRUNCATE: its
	// DELETE without WHERE fires the DELETE triggers when a table has any.
	{"postgres", "activity: trigger before truncate", "refuses TRUNCATE (activity_no_truncate)"},
	{"postgres", "evidence_items: trigger before truncate", "refuses TRUNCATE (evidence_items_no_truncate)"},
	{"postgres", "ledger_leaves: trigger before truncate", "refuses TRUNCATE (ledger_leaves_no_truncate)"},
	{"postgres", "ledger_hashes: trigger before truncate", "refuses TRUNCATE (ledger_hashes_no_truncate)"},
	{"postgres", "ledger_checkpoints: trigger before truncate", "refuses TRUNCATE (ledger_checkpoints_no_truncate)"},
	{"postgres", "training_completions: trigger before truncate", "refuses TRUNCATE (training_completions_no_truncate)"},
}

// TestSchemaParity migrates a SQLite file and a PostgreSQL database and
// compares what the migrations built: tables; columns (name, type family,
// nullability, default); primary keys, unique constraints and indexes,
// foreign keys, CHECK constraints (by the columns and literals they use)
// and plain indexes; and triggers (by table, timing and event). It runs
// when ASSAY_TEST_POSTGRES is set.
func TestSchemaParity(t *testing.T) {
	pgURL := pgtest.Database(t)
	ctx := context.Background()

	path := filepath.Join(t.TempDir(), "parity.db")
	s, err := sqlite.Open(ctx, path, sqlstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	lite, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	p, err := postgres.Open(ctx, pgURL, sqlstore.Config{}) // migrated already; makes sure
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	pg, err := sql.Open("pgx", pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()

	liteFacts, err := sqliteFacts(lite)
	if err != nil {
		t.Fatalf("read the SQLite schema: %v", err)
	}
	pgFacts, err := postgresFacts(pg)
	if err != nil {
		t.Fatalf("read the PostgreSQL schema: %v", err)
	}
	if len(liteFacts) < 100 || len(pgFacts) < 100 {
		t.Fatalf("too few facts to compare: %d on SQLite, %d on PostgreSQL", len(liteFacts), len(pgFacts))
	}

	t.Logf("%d schema facts on SQLite, %d on PostgreSQL", len(liteFacts), len(pgFacts))
	onlyIn := map[string][]string{"sqlite": diff(liteFacts, pgFacts), "postgres": diff(pgFacts, liteFacts)}
	for _, k := range knownDifferences {
		i := slices.Index(onlyIn[k.only], k.fact)
		if i < 0 {
			t.Errorf("known difference no longer found only on %s (remove it from knownDifferences): %s", k.only, k.fact)
			continue
		}
		onlyIn[k.only] = slices.Delete(onlyIn[k.only], i, i+1)
	}
	for _, side := range []string{"sqlite", "postgres"} {
		for _, f := range onlyIn[side] {
			t.Errorf("only on %s: %s", side, f)
		}
	}
}

// diff lists the facts of a missing from b, counting repeats.
func diff(a, b []string) []string {
	left := map[string]int{}
	for _, f := range b {
		left[f]++
	}
	var out []string
	for _, f := range a {
		if left[f] > 0 {
			left[f]--
			continue
		}
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// ignoredTables are bookkeeping, not Assay's schema.
var ignoredTables = map[string]bool{"goose_db_version": true, "sqlite_sequence": true}

// family folds a declared type into what the store relies on.
func family(declared string) string {
	d := strings.ToLower(declared)
	switch {
	case strings.Contains(d, "int"):
		return "integer"
	case strings.Contains(d, "char"), strings.Contains(d, "text"), strings.Contains(d, "clob"):
		return "text"
	case strings.Contains(d, "blob"), d == "bytea":
		return "blob"
	case strings.Contains(d, "real"), strings.Contains(d, "floa"), strings.Contains(d, "doub"), strings.Contains(d, "numeric"):
		return "real"
	case strings.Contains(d, "bool"):
		return "boolean"
	}
	return "other:" + d
}

// normDefault folds a default expression: casts and outer parentheses go,
// so ” and ”::text, or 0 and (0), are the same.
func normDefault(d string) string {
	d = strings.TrimSpace(d)
	d = cast.ReplaceAllString(d, "")
	for strings.HasPrefix(d, "(") && strings.HasSuffix(d, ")") {
		d = strings.TrimSpace(d[1 : len(d)-1])
	}
	return strings.ToLower(d)
}

var (
	stringLit = regexp.MustCompile(`'((?:[^']|'')*)'`)
	numberLit = regexp.MustCompile(`(^|[^A-Za-z0-9_.])(-?[0-9]+(?:\.[0-9]+)?)`)
	cast      = regexp.MustCompile(`::\s*[a-z]+( [a-z]+)*(\[\])?`)
	ident     = regexp.MustCompile(`"?([A-Za-z_][A-Za-z0-9_]*)"?`)
)

// exprKey describes a CHECK or an index predicate by the table's columns it
// names and its literals, which survive PostgreSQL's rewriting (IN to =
// ANY, added casts and parentheses).
func exprKey(expr string, columns []string) string {
	expr = cast.ReplaceAllString(expr, "")
	var lits []string
	for _, m := range stringLit.FindAllStringSubmatch(expr, -1) {
		lits = append(lits, "'"+m[1]+"'")
	}
	rest := stringLit.ReplaceAllString(expr, " ")
	for _, m := range numberLit.FindAllStringSubmatch(rest, -1) {
		lits = append(lits, m[2])
	}
	used := map[string]bool{}
	for _, m := range ident.FindAllStringSubmatch(rest, -1) {
		if slices.Contains(columns, strings.ToLower(m[1])) {
			used[strings.ToLower(m[1])] = true
		}
	}
	cols := make([]string, 0, len(used))
	for c := range used {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	sort.Strings(lits)
	return "(" + strings.Join(cols, ", ") + ") [" + strings.Join(lits, " ") + "]"
}

func column(table, name, fam string, notNull, hasDefault bool, def string) string {
	f := fmt.Sprintf("%s.%s %s", table, name, fam)
	if notNull {
		f += " not null"
	}
	if hasDefault {
		f += " default " + normDefault(def)
	}
	return f
}

func foreignKey(table string, cols []string, ref string, refCols []string, onDelete string) string {
	return fmt.Sprintf("%s: foreign key (%s) references %s (%s) on delete %s", table, strings.Join(cols, ", "), ref, strings.Join(refCols, ", "), strings.ToLower(onDelete))
}

func index(table string, unique bool, cols []string, predicate string, columns []string) string {
	kind := "index"
	if unique {
		kind = "unique"
	}
	f := fmt.Sprintf("%s: %s (%s)", table, kind, strings.Join(cols, ", "))
	if predicate != "" {
		f += " where " + exprKey(predicate, columns)
	}
	return f
}

// sqliteFacts reads the schema through sqlite_master and the table pragmas.
func sqliteFacts(db *sql.DB) ([]string, error) {
	var facts []string
	type tbl struct{ name, sql string }
	var tables []tbl
	rows, err := db.Query(`SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var t tbl
		if err := rows.Scan(&t.name, &t.sql); err != nil {
			return nil, err
		}
		if !ignoredTables[t.name] {
			tables = append(tables, t)
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	for _, t := range tables {
		facts = append(facts, "table "+t.name)
		var columns, pk []string
		pkPos := map[string]int{}
		types := map[string]string{}
		rows, err := db.Query(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)`, t.name)
		if err != nil {
			return nil, err
		}
		type col struct {
			name, typ string
			notNull   bool
			def       sql.NullString
			pk        int
		}
		var cols []col
		for rows.Next() {
			var c col
			if err := rows.Scan(&c.name, &c.typ, &c.notNull, &c.def, &c.pk); err != nil {
				return nil, err
			}
			cols = append(cols, c)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		npk := 0
		for _, c := range cols {
			columns = append(columns, strings.ToLower(c.name))
			types[c.name] = c.typ
			if c.pk > 0 {
				npk++
				pkPos[c.name] = c.pk
			}
		}
		for _, c := range cols {
			// An INTEGER PRIMARY KEY is the rowid: never NULL.
			notNull := c.notNull || (c.pk > 0 && npk == 1 && strings.EqualFold(c.typ, "INTEGER"))
			facts = append(facts, column(t.name, c.name, family(c.typ), notNull, c.def.Valid, c.def.String))
		}
		if npk > 0 {
			pk = make([]string, npk)
			for name, pos := range pkPos {
				pk[pos-1] = name
			}
			facts = append(facts, fmt.Sprintf("%s: primary key (%s)", t.name, strings.Join(pk, ", ")))
		}

		// Foreign keys: one row per column, grouped by id.
		rows, err = db.Query(`SELECT id, "table", "from", "to", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, t.name)
		if err != nil {
			return nil, err
		}
		type fk struct {
			ref, onDelete string
			from, to      []string
			implicit      bool
		}
		var fks []*fk
		last := -1
		for rows.Next() {
			var id int
			var ref, from, onDelete string
			var to sql.NullString
			if err := rows.Scan(&id, &ref, &from, &to, &onDelete); err != nil {
				return nil, err
			}
			if id != last {
				fks = append(fks, &fk{ref: ref, onDelete: onDelete})
				last = id
			}
			f := fks[len(fks)-1]
			f.from = append(f.from, from)
			if to.Valid {
				f.to = append(f.to, to.String)
			} else {
				f.implicit = true
			}
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		for _, f := range fks {
			if f.implicit { // REFERENCES t: the referenced table's primary key
				f.to, err = sqlitePK(db, f.ref)
				if err != nil {
					return nil, err
				}
			}
			facts = append(facts, foreignKey(t.name, f.from, f.ref, f.to, f.onDelete))
		}

		// Indexes, with their origin: pk, u (UNIQUE in the table), c (CREATE INDEX).
		rows, err = db.Query(`SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, t.name)
		if err != nil {
			return nil, err
		}
		type idx struct {
			name, origin    string
			unique, partial bool
		}
		var idxs []idx
		for rows.Next() {
			var i idx
			if err := rows.Scan(&i.name, &i.unique, &i.origin, &i.partial); err != nil {
				return nil, err
			}
			idxs = append(idxs, i)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		for _, i := range idxs {
			if i.origin == "pk" {
				continue
			}
			var icols []string
			rows, err := db.Query(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, i.name)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var n sql.NullString
				if err := rows.Scan(&n); err != nil {
					return nil, err
				}
				icols = append(icols, n.String)
			}
			if err := rows.Close(); err != nil {
				return nil, err
			}
			pred := ""
			if i.partial {
				var def string
				if err := db.QueryRow(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, i.name).Scan(&def); err != nil {
					return nil, err
				}
				_, pred, _ = cutFold(def, " WHERE ")
			}
			facts = append(facts, index(t.name, i.unique, icols, pred, columns))
		}

		for _, c := range sqliteChecks(t.sql) {
			facts = append(facts, t.name+": check "+exprKey(c, columns))
		}
	}

	rows, err = db.Query(`SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	event := regexp.MustCompile(`(?i)\b(BEFORE|AFTER|INSTEAD\s+OF)\s+(INSERT|UPDATE|DELETE)\b`)
	for rows.Next() {
		var table, def string
		if err := rows.Scan(&table, &def); err != nil {
			return nil, err
		}
		m := event.FindStringSubmatch(def)
		if m == nil {
			return nil, fmt.Errorf("trigger on %s: no timing and event in %q", table, def)
		}
		facts = append(facts, fmt.Sprintf("%s: trigger %s %s", table, strings.ToLower(m[1]), strings.ToLower(m[2])))
	}
	return facts, rows.Err()
}

func sqlitePK(db *sql.DB, table string) ([]string, error) {
	rows, err := db.Query(`SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// cutFold is strings.Cut, ignoring case.
func cutFold(s, sep string) (before, after string, found bool) {
	i := strings.Index(strings.ToUpper(s), strings.ToUpper(sep))
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// sqliteChecks returns the expressions of the CHECK constraints in a
// CREATE TABLE statement, skipping comments and string literals.
func sqliteChecks(def string) []string {
	// Blank out comments, keeping string literals.
	var b strings.Builder
	for i := 0; i < len(def); i++ {
		switch {
		case def[i] == '\'':
			j := i + 1
			for j < len(def) {
				if def[j] == '\'' {
					if j+1 < len(def) && def[j+1] == '\'' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			b.WriteString(def[i:min(j+1, len(def))])
			i = j
		case strings.HasPrefix(def[i:], "--"):
			for i < len(def) && def[i] != '\n' {
				i++
			}
			b.WriteByte(' ')
		case strings.HasPrefix(def[i:], "/*"):
			end := strings.Index(def[i+2:], "*/")
			if end < 0 {
				i = len(def)
			} else {
				i += end + 3
			}
			b.WriteByte(' ')
		default:
			b.WriteByte(def[i])
		}
	}
	clean := b.String()
	var out []string
	kw := regexp.MustCompile(`(?i)\bCHECK\s*\(`)
	for _, loc := range kw.FindAllStringIndex(clean, -1) {
		if inString(clean, loc[0]) {
			continue
		}
		start := loc[1] // just after "("
		depth, inStr := 1, false
		for j := start; j < len(clean); j++ {
			c := clean[j]
			switch {
			case c == '\'':
				inStr = !inStr
			case inStr:
			case c == '(':
				depth++
			case c == ')':
				depth--
				if depth == 0 {
					out = append(out, clean[start:j])
					j = len(clean)
				}
			}
		}
	}
	return out
}

// inString reports whether position i of s is inside a string literal.
func inString(s string, i int) bool {
	return strings.Count(s[:i], "'")%2 == 1
}

// postgresFacts reads the schema of the connection's current schema
// through information_schema and pg_catalog.
func postgresFacts(db *sql.DB) ([]string, error) {
	var facts []string
	tableCols := map[string][]string{}
	rows, err := db.Query(`SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'NO', c.column_default IS NOT NULL, COALESCE(c.column_default, '')
		FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
		ORDER BY c.table_name, c.ordinal_position`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var table, name, typ, def string
		var notNull, hasDefault bool
		if err := rows.Scan(&table, &name, &typ, &notNull, &hasDefault, &def); err != nil {
			return nil, err
		}
		if ignoredTables[table] {
			continue
		}
		if _, ok := tableCols[table]; !ok {
			facts = append(facts, "table "+table)
		}
		tableCols[table] = append(tableCols[table], name)
		facts = append(facts, column(table, name, family(typ), notNull, hasDefault, def))
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}

	// Constraints: primary keys, foreign keys, checks (unique ones are
	// read with the indexes, which include them).
	rows, err = db.Query(`SELECT cl.relname, con.contype,
			array_to_string(ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
				JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i), ','),
			COALESCE(fcl.relname, ''),
			array_to_string(ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
				JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i), ','),
			con.confdeltype, pg_get_constraintdef(con.oid)
		FROM pg_constraint con
		JOIN pg_class cl ON cl.oid = con.conrelid
		JOIN pg_namespace n ON n.oid = cl.relnamespace
		LEFT JOIN pg_class fcl ON fcl.oid = con.confrelid
		WHERE n.nspname = current_schema() AND con.contype IN ('p', 'f', 'c')`)
	if err != nil {
		return nil, err
	}
	onDelete := map[string]string{"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}
	for rows.Next() {
		var table, typ, cols, ref, refCols, del, def string
		if err := rows.Scan(&table, &typ, &cols, &ref, &refCols, &del, &def); err != nil {
			return nil, err
		}
		if ignoredTables[table] {
			continue
		}
		switch typ {
		case "p":
			facts = append(facts, fmt.Sprintf("%s: primary key (%s)", table, strings.ReplaceAll(cols, ",", ", ")))
		case "f":
			facts = append(facts, foreignKey(table, strings.Split(cols, ","), ref, strings.Split(refCols, ","), onDelete[del]))
		case "c":
			facts = append(facts, table+": check "+exprKey(def, tableCols[table]))
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}

	rows, err = db.Query(`SELECT t.relname, ix.indisunique,
			array_to_string(ARRAY(SELECT a.attname FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, i)
				JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.n ORDER BY k.i), ','),
			COALESCE(pg_get_expr(ix.indpred, ix.indrelid), '')
		FROM pg_index ix
		JOIN pg_class t ON t.oid = ix.indrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = current_schema() AND NOT ix.indisprimary`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var table, cols, pred string
		var unique bool
		if err := rows.Scan(&table, &unique, &cols, &pred); err != nil {
			return nil, err
		}
		if ignoredTables[table] {
			continue
		}
		facts = append(facts, index(table, unique, strings.Split(cols, ","), pred, tableCols[table]))
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}

	// Triggers: tgtype bits are 2 BEFORE, 64 INSTEAD OF, 4 INSERT,
	// 8 DELETE, 16 UPDATE, 32 TRUNCATE; one fact per event.
	rows, err = db.Query(`SELECT cl.relname, tg.tgtype
		FROM pg_trigger tg JOIN pg_class cl ON cl.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
		WHERE n.nspname = current_schema() AND NOT tg.tgisinternal`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var table string
		var typ int
		if err := rows.Scan(&table, &typ); err != nil {
			return nil, err
		}
		timing := "after"
		switch {
		case typ&2 != 0:
			timing = "before"
		case typ&64 != 0:
			timing = "instead of"
		}
		for _, e := range []struct {
			bit  int
			name string
		}{{4, "insert"}, {8, "delete"}, {16, "update"}, {32, "truncate"}} {
			if typ&e.bit != 0 {
				facts = append(facts, fmt.Sprintf("%s: trigger %s %s", table, timing, e.name))
			}
		}
	}
	return facts, rows.Err()
}
