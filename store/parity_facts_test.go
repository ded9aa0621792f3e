package store_test

import (
	"database/sql"
	"fmt"
	"regexp"
	"strings"
)

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
