package pgcheck

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/assay-platform/assay"
)

// settingNames are read from pg_settings, which hides (rather than
// refuses) what the login may not see; a hidden one reads "unknown".
var settingNames = []string{
	"server_version_num", "server_version", "ssl", "password_encryption", "log_connections",
	"log_disconnections", "log_statement", "log_min_duration_statement", "archive_mode", "listen_addresses",
}

func serverAttrs(ctx context.Context, conn *pgx.Conn, now time.Time) (map[string]any, error) {
	rows, err := conn.Query(ctx, `SELECT name, setting FROM pg_settings WHERE name = ANY($1)`, settingNames)
	if err != nil {
		return nil, err
	}
	set, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]string, error) {
		var kv [2]string
		err := r.Scan(&kv[0], &kv[1])
		return kv, err
	})
	if err != nil {
		return nil, err
	}
	val := map[string]string{}
	for _, kv := range set {
		val[kv[0]] = kv[1]
	}
	get := func(k string) string {
		if v, ok := val[k]; ok {
			return v
		}
		return "unknown"
	}
	num := func(k string, def int64) int64 {
		if n, err := strconv.ParseInt(val[k], 10, 64); err == nil {
			return n
		}
		return def
	}
	versionNum := num("server_version_num", 0)
	major := majorOf(versionNum)
	supported, eol, eolDays := support(major, now)
	a := map[string]any{
		"server_version":             get("server_version"),
		"server_version_num":         versionNum,
		"major_version":              major,
		"version_supported":          supported,
		"version_eol":                eol,
		"version_days_to_eol":        eolDays,
		"ssl":                        val["ssl"] == "on",
		"password_encryption":        strings.ToLower(get("password_encryption")),
		"log_connections":            val["log_connections"] == "on",
		"log_disconnections":         val["log_disconnections"] == "on",
		"log_statement":              get("log_statement"),
		"log_min_duration_statement": num("log_min_duration_statement", -1),
		"archive_mode":               get("archive_mode"),
		"listen_addresses":           get("listen_addresses"),
	}
	var connSSL bool
	if err := conn.QueryRow(ctx, `SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)`).Scan(&connSSL); err != nil {
		return nil, err
	}
	a["connection_ssl"] = connSSL
	if err := archiverAttrs(ctx, conn, now, a); err != nil {
		return nil, err
	}
	hbaAttrs(ctx, conn, a)
	return a, nil
}

// archiverAttrs reads pg_stat_archiver: how long ago a WAL segment was
// last archived (-1: never) and whether the newest attempt failed.
func archiverAttrs(ctx context.Context, conn *pgx.Conn, now time.Time, a map[string]any) error {
	var archived, failed int64
	var lastOK, lastFail pgtype.Timestamptz
	err := conn.QueryRow(ctx, `SELECT archived_count, failed_count, last_archived_time, last_failed_time FROM pg_stat_archiver`).
		Scan(&archived, &failed, &lastOK, &lastFail)
	if err != nil {
		return err
	}
	age := int64(-1)
	if lastOK.Valid {
		age = int64(now.Sub(lastOK.Time).Hours())
	}
	a["archived_count"] = archived
	a["archive_failed_count"] = failed
	a["last_archived_age_hours"] = age
	a["archive_failing"] = lastFail.Valid && (!lastOK.Valid || lastFail.Time.After(lastOK.Time))
	return nil
}

// roleSQL reads roles with their password kind from pg_authid (superuser
// only; the hash itself never leaves the server); rolesSQL is the fallback
// from pg_roles, where the password is not visible.
const (
	roleCols = `r.rolname, r.rolsuper, r.rolcanlogin, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls,
  r.rolconnlimit, r.rolvaliduntil,
  coalesce(array(SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid ORDER BY 1), '{}')`
	authidSQL = `SELECT ` + roleCols + `,
  CASE WHEN r.rolpassword IS NULL THEN 'none' WHEN r.rolpassword LIKE 'SCRAM-SHA-256$%' THEN 'scram-sha-256'
       WHEN r.rolpassword LIKE 'md5%' THEN 'md5' ELSE 'other' END
FROM pg_authid r WHERE r.rolname NOT LIKE 'pg\_%' ORDER BY r.rolname`
	rolesSQL = `SELECT ` + roleCols + `, 'unknown' FROM pg_roles r WHERE r.rolname NOT LIKE 'pg\_%' ORDER BY r.rolname`
)

func roleResources(ctx context.Context, conn *pgx.Conn, server string, now time.Time) ([]assay.Resource, error) {
	rows, err := conn.Query(ctx, authidSQL)
	if err == nil {
		var out []assay.Resource
		out, err = scanRoles(rows, server, now)
		if err == nil {
			return out, nil
		}
	}
	rows, err2 := conn.Query(ctx, rolesSQL)
	if err2 != nil {
		return nil, fmt.Errorf("%w (pg_authid: %v)", err2, err)
	}
	return scanRoles(rows, server, now)
}

func scanRoles(rows pgx.Rows, server string, now time.Time) ([]assay.Resource, error) {
	defer rows.Close()
	var out []assay.Resource
	for rows.Next() {
		var (
			name, pwType                                     string
			super, login, createRole, createDB, repl, bypass bool
			connLimit                                        int32
			until                                            pgtype.Timestamptz
			memberOf                                         []string
		)
		if err := rows.Scan(&name, &super, &login, &createRole, &createDB, &repl, &bypass, &connLimit, &until, &memberOf, &pwType); err != nil {
			return nil, err
		}
		expires := until.Valid && until.InfinityModifier == pgtype.Finite
		validUntil, days := "", int64(0)
		if expires {
			validUntil = until.Time.UTC().Format(time.RFC3339)
			days = int64(until.Time.Sub(now).Hours() / 24)
		}
		pwSet := "unknown"
		if pwType != "unknown" {
			pwSet = map[bool]string{true: "yes", false: "no"}[pwType != "none"]
		}
		groups := make([]any, len(memberOf))
		for i, g := range memberOf {
			groups[i] = g
		}
		out = append(out, assay.Resource{Kind: KindRole, ID: server + "/" + name, Name: name + "@" + server, Attrs: map[string]any{
			"role":              name,
			"server":            server,
			"superuser":         super,
			"can_login":         login,
			"create_role":       createRole,
			"create_db":         createDB,
			"replication":       repl,
			"bypass_rls":        bypass,
			"connection_limit":  int64(connLimit),
			"valid_until":       validUntil,
			"expires":           expires,
			"expired":           expires && now.After(until.Time),
			"days_until_expiry": days,
			"password_set":      pwSet,
			"password_type":     pwType,
			"member_of":         groups,
		}})
	}
	return out, rows.Err()
}
