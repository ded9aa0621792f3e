package assay

import (
	"fmt"
	"io"
	"strings"

	"github.com/assay-platform/assay/tabular"
)

// accessCSVColumns are the columns of an accounts file and the other
// header names each may go by.
var accessCSVColumns = []tabular.Column{
	{Name: "system", Aliases: []string{"application", "app"}},
	{Name: "account", Aliases: []string{"username", "user", "login", "role_name"}, Required: true},
	{Name: "email", Aliases: []string{"e-mail", "mail", "email_address", "primary_email"}},
	{Name: "privileges", Aliases: []string{"role", "roles", "permissions", "access"}},
}

// ParseAccessAccountsCSV reads a table of accounts (CSV, tab-separated
// text or XLSX) with a header row (system, account, email, role or
// privileges; system may be left out when defaultSystem is given). Every
// row is checked; the first bad one fails the whole file with its line
// number, so nothing is half-loaded.
func ParseAccessAccountsCSV(r io.Reader, defaultSystem string) ([]NewAccessAccount, error) {
	t, err := tabular.Read(r, tabular.Schema{Columns: accessCSVColumns, MaxRows: MaxAccessAccounts, AllowNoRows: true})
	if err != nil {
		return nil, InvalidTable("file", err)
	}
	if !t.Has("system") && strings.TrimSpace(defaultSystem) == "" {
		return nil, Invalid("file", "Line 1: the header needs a system column, or choose the system in the form.")
	}
	out := []NewAccessAccount{}
	seen := map[string]int{}
	for _, row := range t.Rows {
		a := NewAccessAccount{System: row.Get("system"), Account: row.Get("account"), Email: row.Get("email"),
			Privileges: row.Get("privileges"), Source: AccountFromCSV}
		if a.System == "" {
			a.System = defaultSystem
		}
		if err := a.Validate(); err != nil {
			return nil, InvalidTable("file", TableRowError(row, err))
		}
		key := strings.ToLower(a.System) + "\x00" + strings.ToLower(a.Account)
		if first, dup := seen[key]; dup {
			return nil, InvalidTable("file", row.Error("account", fmt.Errorf("the account %q of %s is already on line %d", a.Account, a.System, first)))
		}
		seen[key] = row.Line
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, Invalid("file", "The CSV file has a header but no accounts.")
	}
	return out, nil
}
