package assay

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// accessCSVColumns maps the header names an accounts CSV may use to fields.
var accessCSVColumns = map[string]string{
	"system": "system", "application": "system", "app": "system",
	"account": "account", "username": "account", "user": "account", "login": "account", "role_name": "account",
	"email": "email", "e-mail": "email", "mail": "email",
	"privileges": "privileges", "role": "privileges", "roles": "privileges", "permissions": "privileges", "access": "privileges",
}

// ParseAccessAccountsCSV reads a CSV of accounts with a header row
// (system, account, email, role or privileges; system may be left out when
// defaultSystem is given). Every row is checked; the first bad one fails
// the whole file with its line number, so nothing is half-loaded.
func ParseAccessAccountsCSV(r io.Reader, defaultSystem string) ([]NewAccessAccount, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, Invalid("file", "The CSV file is empty.")
	} else if err != nil {
		return nil, Invalid("file", "Line 1: %s", csvProblem(err))
	}
	col := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if f, ok := accessCSVColumns[name]; ok {
			if _, dup := col[f]; !dup {
				col[f] = i
			}
		}
	}
	if _, ok := col["account"]; !ok {
		return nil, Invalid("file", "Line 1: the header needs an account column (account, username or login).")
	}
	if _, ok := col["system"]; !ok && strings.TrimSpace(defaultSystem) == "" {
		return nil, Invalid("file", "Line 1: the header needs a system column, or choose the system in the form.")
	}
	get := func(rec []string, f string) string {
		if i, ok := col[f]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	out := []NewAccessAccount{}
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, Invalid("file", "Line %d: %s", line, csvProblem(err))
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		a := NewAccessAccount{System: get(rec, "system"), Account: get(rec, "account"), Email: get(rec, "email"),
			Privileges: get(rec, "privileges"), Source: AccountFromCSV}
		if strings.TrimSpace(a.System) == "" {
			a.System = defaultSystem
		}
		if err := a.Validate(); err != nil {
			var e *Error
			if errors.As(err, &e) {
				return nil, Invalid("file", "Line %d: %s", line, e.Message)
			}
			return nil, err
		}
		key := strings.ToLower(a.System) + "\x00" + strings.ToLower(a.Account)
		if first, dup := seen[key]; dup {
			return nil, Invalid("file", "Line %d: the account %q of %s is already on line %d.", line, a.Account, a.System, first)
		}
		seen[key] = line
		out = append(out, a)
		if len(out) > MaxAccessAccounts {
			return nil, Invalid("file", "Line %d: at most %d accounts in one file.", line, MaxAccessAccounts)
		}
	}
	if len(out) == 0 {
		return nil, Invalid("file", "The CSV file has a header but no accounts.")
	}
	return out, nil
}

func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return fmt.Sprint(err)
}
