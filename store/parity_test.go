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
