package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/assay-platform/assay"
)

var controlCols = []string{"family", "name", "description", "evidence", "owner_role", "frequency", "kind", "automation", "automation_note",
	"custom", "status", "justification", "owner_id", "notes", "created_at", "updated_at"}

func mutateControls(x *tamperDB, op string) (string, error) {
	row, err := x.pick(`SELECT rowid, org_id, id, ` + strings.Join(controlCols, ", ") + ` FROM controls`)
	if err != nil {
		return "", err
	}
	rowid, org := row[0], row[1]
	val := func(col string) any {
		for i, c := range controlCols {
			if c == col {
				return row[3+i]
			}
		}
		return nil
	}
	switch op {
	case "change":
		col := controlCols[x.r.IntN(len(controlCols))]
		var v any
		switch col {
		case "status":
			st := []string{"not_started", "in_progress", "implemented", "not_applicable"}
			v = st[x.r.IntN(len(st))]
			if v == asString(val(col)) {
				v = "in_progress"
				if asString(val(col)) == "in_progress" {
					v = "implemented"
				}
			}
		case "custom":
			v = 1 - val(col).(int64)
		case "owner_id":
			u, err := x.pick(`SELECT id FROM users WHERE org_id = ? AND id IS NOT ?`, org, val(col))
			if err != nil {
				return "", err
			}
			v = u[0]
			if val(col) != nil && x.r.IntN(3) == 0 {
				v = nil
			}
		case "created_at", "updated_at":
			v = laterTime(val(col))
		default:
			v = x.changeText(asString(val(col)))
		}
		return changeColumn(x, "controls", "rowid", rowid, col, v)
	case "delete":
		return fmt.Sprintf("controls: deleted %v of organisation %v", row[2], org), x.exec(`DELETE FROM controls WHERE rowid = ?`, rowid)
	case "insert":
		cols := "org_id, " + strings.Join(controlCols, ", ") + ", search_text"
		return fmt.Sprintf("controls: inserted a copy of %v", row[2]),
			x.exec(`INSERT INTO controls (id, `+cols+`) SELECT 'ZZ-'||id, `+cols+` FROM controls WHERE rowid = ?`, rowid)
	default:
		other, err := x.pick(`SELECT rowid FROM controls WHERE org_id = ? AND rowid <> ?`, org, rowid)
		if err != nil {
			return "", err
		}
		return swapRows(x, "controls", "rowid", rowid, other[0], controlCols)
	}
}

func mutateCriteria(x *tamperDB, op string) (string, error) {
	row, err := x.pick(`SELECT rowid, org_id, control_id, criterion_id FROM control_criteria`)
	if err != nil {
		return "", err
	}
	rowid, org, ctl, crit := row[0], row[1], row[2], row[3]
	known := []string{"CC1.1", "CC2.1", "CC3.1", "CC5.2", "CC6.1", "CC6.2", "CC6.3", "CC7.2", "CC8.1", "A1.2"}
	unmapped := func(control any) (string, error) {
		for range 50 {
			c := known[x.r.IntN(len(known))]
			if n, err := x.one(`SELECT COUNT(*) FROM control_criteria WHERE org_id = ? AND control_id = ? AND criterion_id = ?`, org, control, c); err != nil || n == 0 {
				return c, err
			}
		}
		return "", errors.New("every criterion mapped")
	}
	switch op {
	case "change":
		c, err := unmapped(ctl)
		if err != nil {
			return "", err
		}
		return changeColumn(x, "control_criteria", "rowid", rowid, "criterion_id", c)
	case "delete":
		return fmt.Sprintf("control_criteria: deleted %v→%v", ctl, crit), x.exec(`DELETE FROM control_criteria WHERE rowid = ?`, rowid)
	case "insert":
		c, err := unmapped(ctl)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("control_criteria: mapped %v to %s", ctl, c), x.exec(`INSERT INTO control_criteria (org_id, control_id, criterion_id) VALUES (?, ?, ?)`, org, ctl, c)
	default:
		// Move the mapping to another control that lacks it.
		other, err := x.pick(`SELECT id FROM controls WHERE org_id = ? AND id <> ? AND id NOT IN (SELECT control_id FROM control_criteria WHERE org_id = ? AND criterion_id = ?)`, org, ctl, org, crit)
		if err != nil {
			return "", err
		}
		return changeColumn(x, "control_criteria", "rowid", rowid, "control_id", other[0])
	}
}

func mutateOrgs(x *tamperDB, op string) (string, error) {
	cols := []string{"slug", "name", "scope_json", "system_json", "created_at"}
	row, err := x.pick(`SELECT id, ` + strings.Join(cols, ", ") + ` FROM organizations`)
	if err != nil {
		return "", err
	}
	id := row[0]
	switch op {
	case "change":
		switch col := cols[x.r.IntN(len(cols))]; col {
		case "scope_json":
			var sc assay.Scope
			json.Unmarshal([]byte(asString(row[3])), &sc)
			if len(sc.Categories) > 1 {
				sc.Categories = sc.Categories[:1]
			} else {
				sc.Categories = append(sc.Categories, "privacy")
			}
			b, _ := json.Marshal(sc)
			return changeColumn(x, "organizations", "id", id, col, string(b))
		case "system_json":
			var sd assay.SystemDescription
			json.Unmarshal([]byte(asString(row[4])), &sd)
			sd.Services = x.changeText(sd.Services)
			b, _ := json.Marshal(sd)
			return changeColumn(x, "organizations", "id", id, col, string(b))
		case "created_at":
			return changeColumn(x, "organizations", "id", id, col, laterTime(row[5]))
		default:
			return changeColumn(x, "organizations", "id", id, col, x.changeText(asString(row[1+slicesIndex(cols, col)])))
		}
	case "delete":
		return fmt.Sprintf("organizations: deleted %v", id), x.exec(`DELETE FROM organizations WHERE id = ?`, id)
	case "insert":
		return "organizations: inserted a copy of " + asString(row[1]),
			x.exec(`INSERT INTO organizations (slug, name, scope_json, system_json, created_at, updated_at)
				SELECT slug || '-copy', name, scope_json, system_json, created_at, updated_at FROM organizations WHERE id = ?`, id)
	default:
		other, err := x.pick(`SELECT id FROM organizations WHERE id <> ?`, id)
		if err != nil {
			return "", err
		}
		return swapRows(x, "organizations", "id", id, other[0], cols, "slug")
	}
}

func slicesIndex(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

func mutateUsers(x *tamperDB, op string) (string, error) {
	cols := []string{"org_id", "email", "name", "role", "disabled", "created_at"}
	row, err := x.pick(`SELECT id, ` + strings.Join(cols, ", ") + ` FROM users`)
	if err != nil {
		return "", err
	}
	id := row[0]
	switch op {
	case "change":
		switch col := cols[x.r.IntN(len(cols))]; col {
		case "org_id":
			return changeColumn(x, "users", "id", id, col, row[1].(int64)%2+1)
		case "role":
			roles := []string{"admin", "member", "auditor", "viewer"}
			v := roles[x.r.IntN(4)]
			if v == asString(row[4]) {
				v = roles[(slicesIndex(roles, v)+1)%4]
			}
			return changeColumn(x, "users", "id", id, col, v)
		case "disabled":
			return changeColumn(x, "users", "id", id, col, 1-row[5].(int64))
		case "created_at":
			return changeColumn(x, "users", "id", id, col, laterTime(row[6]))
		default:
			return changeColumn(x, "users", "id", id, col, x.changeText(asString(row[1+slicesIndex(cols, col)])))
		}
	case "delete":
		return fmt.Sprintf("users: deleted %v", id), x.exec(`DELETE FROM users WHERE id = ?`, id)
	case "insert":
		return "users: inserted a copy of " + asString(row[2]),
			x.exec(`INSERT INTO users (org_id, email, name, role, password_hash, disabled, created_at)
				SELECT org_id, 'copy-' || email, name, role, password_hash, disabled, created_at FROM users WHERE id = ?`, id)
	default:
		other, err := x.pick(`SELECT id FROM users WHERE id <> ?`, id)
		if err != nil {
			return "", err
		}
		return swapRows(x, "users", "id", id, other[0], cols, "email")
	}
}

func mutateTokens(x *tamperDB, op string) (string, error) {
	cols := []string{"org_id", "user_id", "name", "prefix", "created_at", "expires_at", "revoked_at"}
	row, err := x.pick(`SELECT id, ` + strings.Join(cols, ", ") + ` FROM api_tokens`)
	if err != nil {
		return "", err
	}
	id := row[0]
	switch op {
	case "change":
		switch col := cols[x.r.IntN(len(cols))]; col {
		case "org_id":
			return changeColumn(x, "api_tokens", "id", id, col, row[1].(int64)%2+1)
		case "user_id":
			u, err := x.pick(`SELECT id FROM users WHERE org_id = ? AND id <> ?`, row[1], row[2])
			if err != nil {
				return "", err
			}
			return changeColumn(x, "api_tokens", "id", id, col, u[0])
		case "created_at", "expires_at", "revoked_at":
			cur := row[1+slicesIndex(cols, col)]
			if cur != nil && col != "created_at" && x.r.IntN(2) == 0 {
				return changeColumn(x, "api_tokens", "id", id, col, nil)
			}
			return changeColumn(x, "api_tokens", "id", id, col, laterTime(cur))
		default:
			return changeColumn(x, "api_tokens", "id", id, col, x.changeText(asString(row[1+slicesIndex(cols, col)])))
		}
	case "delete":
		return fmt.Sprintf("api_tokens: deleted %v", id), x.exec(`DELETE FROM api_tokens WHERE id = ?`, id)
	case "insert":
		return "api_tokens: inserted a copy of " + asString(id),
			x.exec(`INSERT INTO api_tokens (org_id, user_id, name, prefix, token_hash, created_at, last_used_at, expires_at, revoked_at)
				SELECT org_id, user_id, name, prefix, token_hash || '-copy', created_at, last_used_at, expires_at, revoked_at FROM api_tokens WHERE id = ?`, id)
	default:
		other, err := x.pick(`SELECT id FROM api_tokens WHERE id <> ?`, id)
		if err != nil {
			return "", err
		}
		return swapRows(x, "api_tokens", "id", id, other[0], cols)
	}
}
