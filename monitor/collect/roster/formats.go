package roster

import "github.com/assay-platform/assay/tabular"

// A format is a kind of user list the roster reads: an identity
// provider's or HR system's own export, found by its header, or the
// generic roster. Its columns map the export's headers onto the roster's
// fields:
//
//	email           the account's key (required)
//	alt_email       another address of the account, matched against the departed setting too
//	user            display name; first_name and last_name make one when it is missing
//	mfa, mfa_status, mfa_configured   MFA enrolment (enrolled when any says so)
//	admin           administrator (yes/no)
//	last_login      last sign-in (a date, "never", or empty for never)
//	created         creation, activation or hire date
//	status          account or employment status (active, suspended, terminated...)
//	enabled         the account is enabled (Entra ID's accountEnabled)
//	suspended       the account is suspended (JumpCloud)
//	departed        the owner has left (yes/no or a leaving date)
//	end_date        the employment's end (termination) date
//	employment_status  an HR employment status; "Terminated" means departed
type format struct {
	id    string // the resource attribute "format"
	name  string // "Google Workspace user export", for notes
	short string // "Google Workspace", in the names of its columns
	noun  string // what a row is: "users", "people"
	// hr marks an HR system's export: rows without an email address are
	// people without an account and are skipped (with a note).
	hr bool
	// signs recognise the format by its header: every group must have
	// one of its headers in the file ("a & b" needs both).
	signs   [][]string
	columns []tabular.Column
}

// col is a column of the roster field name, read from headers.
func col(field string, headers ...string) tabular.Column {
	return tabular.Column{Name: field, Aliases: headers}
}

// required marks the column the format needs.
func required(c tabular.Column) tabular.Column { c.Required = true; return c }

// column is the name the format's schema gives a field: the field itself
// in the generic roster, whose headers are the field names; "email
// (Okta)" in an export, so that no header of the export (Okta's Email)
// is taken for a field it does not give.
func (f format) column(field string) string {
	if f.short == "" {
		return field
	}
	return field + " (" + f.short + ")"
}

// schema is the format's table schema.
func (f format) schema() tabular.Schema {
	cols := make([]tabular.Column, len(f.columns))
	for i, c := range f.columns {
		c.Name = f.column(c.Name)
		cols[i] = c
	}
	return tabular.Schema{Columns: cols, AllowNoRows: true}
}

// generic is the roster's own format, for any tool that can write a user
// list with an email and an MFA column.
var generic = format{
	id: "generic", name: "roster CSV", noun: "accounts",
	columns: []tabular.Column{
		col("user", "username", "login", "display_name", "name"),
		required(col("email", "email_address", "primary_email", "mail", "e-mail")),
		required(col("mfa", "mfa_enabled", "mfa_enrolled", "2fa", "2sv", "2sv_enrolled", "two_factor", "mfa_status")),
		col("admin", "is_admin", "administrator", "super_admin", "is_super_admin"),
		col("last_login", "last_login_at", "last_login_time", "last_sign_in", "last_signin", "last_sign_in_time"),
		col("status", "state", "account_status", "user_status"),
		col("departed", "leaver", "terminated", "offboarded", "has_left"),
	},
}

// formats are the exports recognised by their header, tried in order
// before the generic roster.
var formats = []format{
	{
		// Admin console > Directory > Users > Download users (all
		// columns): bracketed suffixes on the headers, dates as
		// 2026/12/05 09:12:44, "Never logged in".
		id: "google_workspace", name: "Google Workspace user export", short: "Google Workspace", noun: "users",
		signs: [][]string{{"Email Address [Required]", "2sv Enrolled [READ ONLY]", "Last Sign In [READ ONLY]"}},
		columns: []tabular.Column{
			required(col("email", "Email Address [Required]", "Email Address")),
			col("first_name", "First Name [Required]", "First Name"),
			col("last_name", "Last Name [Required]", "Last Name"),
			col("status", "Status [READ ONLY]", "Status"),
			col("last_login", "Last Sign In [READ ONLY]", "Last Sign In"),
			col("mfa", "2sv Enrolled [READ ONLY]", "2sv Enrolled"),
			col("mfa_status", "2sv Enrollment Status [READ ONLY]", "2sv Enrollment Status"),
			col("admin", "Admin [READ ONLY]", "Is Super Admin [READ ONLY]", "Is Admin [READ ONLY]"),
		},
	},
	{
		// Reports > Okta Password Health (User, Login, Status,
		// Activation date, Authentication Source, Last Login, Last
		// Password Change), and user lists with Okta's column names.
		id: "okta", name: "Okta user report", short: "Okta", noun: "users",
		signs: [][]string{{"Login"}, {"Status"}, {"User", "Okta username"},
			{"Last Login", "Activation date", "Authentication Source", "Last Password Change"}},
		columns: []tabular.Column{
			required(col("email", "Login", "Okta username", "Username")),
			col("alt_email", "Primary email", "Email"),
			col("user", "User", "Display name", "User fullname"),
			col("first_name", "First name"),
			col("last_name", "Last name"),
			col("status", "Status", "Okta user status"),
			col("last_login", "Last Login"),
			col("created", "Activation date", "Created"),
			col("mfa", "MFA enrolled", "MFA Enrolled"),
			col("admin", "User isAdmin", "Is admin"),
		},
	},
	{
		// Entra admin center > Users > All users > Download users.
		id: "entra_id", name: "Microsoft Entra ID user download", short: "Entra ID", noun: "users",
		signs: [][]string{{"userPrincipalName"}},
		columns: []tabular.Column{
			required(col("email", "userPrincipalName", "User principal name")),
			col("alt_email", "mail"),
			col("user", "displayName", "Display name"),
			col("first_name", "givenName"),
			col("last_name", "surname"),
			col("enabled", "accountEnabled", "Account enabled"),
			col("created", "createdDateTime", "Creation time"),
			col("last_login", "lastSignInDateTime", "signInActivity.lastSignInDateTime"),
		},
	},
	{
		// Users export of the JumpCloud admin portal or PowerShell module
		// (Get-JCUser | Export-Csv): API field names, nested objects as
		// PowerShell writes them.
		id: "jumpcloud", name: "JumpCloud user export", short: "JumpCloud", noun: "users",
		signs: [][]string{{"username"}, {"email"}, {"totp_enabled", "account_locked", "enable_user_portal_multifactor",
			"mfaEnrollment", "mfaEnrollment.overallStatus", "mfa.configured", "activated & suspended"}},
		columns: []tabular.Column{
			col("user", "username"),
			required(col("email", "email")),
			col("first_name", "firstname"),
			col("last_name", "lastname"),
			col("status", "state"),
			col("suspended", "suspended"),
			col("mfa", "totp_enabled"),
			col("mfa_status", "mfaEnrollment.overallStatus", "mfaEnrollment"),
			col("mfa_configured", "mfa.configured", "mfa"),
			col("created", "created"),
			col("last_login", "lastLogin", "last_login"),
		},
	},
	{
		// A Rippling report of employees (Employee name, Work email,
		// Employment status: Active, Terminated, Hired, Accepted...).
		id: "rippling", name: "Rippling people export", short: "Rippling", noun: "people", hr: true,
		signs: [][]string{{"Work email"}, {"Employee name", "Legal first name", "Legal last name", "Role state",
			"Manager - Work email", "Preferred first name"}},
		columns: []tabular.Column{
			required(col("email", "Work email")),
			col("user", "Employee name", "Full name"),
			col("first_name", "Legal first name", "Preferred first name"),
			col("last_name", "Legal last name", "Preferred last name"),
			col("status", "Employment status", "Role state"),
			col("created", "Start date"),
			col("end_date", "End date", "Termination date"),
		},
	},
	{
		// A BambooHR employee report or directory export: display names
		// (Employee #, Work Email, Status, Employment Status, Hire Date,
		// Termination Date) or API field names (workEmail, status,
		// employmentHistoryStatus, hireDate, terminationDate), empty dates
		// as 0000-00-00.
		id: "bamboohr", name: "BambooHR employee export", short: "BambooHR", noun: "people", hr: true,
		signs: [][]string{{"Work Email", "workEmail"}, {"Employee #", "employeeNumber", "Hire Date", "Termination Date",
			"employmentHistoryStatus", "Employment Status"}},
		columns: []tabular.Column{
			required(col("email", "Work Email", "workEmail")),
			col("user", "Display name", "displayName", "Full name"),
			col("first_name", "First Name", "firstName"),
			col("last_name", "Last Name", "lastName"),
			col("status", "Status", "status"),
			col("employment_status", "Employment Status", "employmentHistoryStatus"),
			col("created", "Hire Date", "hireDate"),
			col("end_date", "Termination Date", "terminationDate"),
		},
	},
}
