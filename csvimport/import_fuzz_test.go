package csvimport

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

// The import fuzz targets feed each importer's real parser anything: it
// must not panic, a refusal is always a clear EINVALID message, and an
// accepted file gives one line per row.

// importSeeds are files every import fuzz target starts from: header
// first, with a few rows of the importer's own.
func importSeeds(f *testing.F, header string, rows ...string) {
	f.Add([]byte(header + "\n" + strings.Join(rows, "\n") + "\n"))
	f.Add([]byte(header + "\n\""))
	f.Add([]byte("\ufeff" + strings.ReplaceAll(header, ",", ";") + "\r\n" + strings.ReplaceAll(rows[0], ",", ";") + "\r\n"))
	f.Add([]byte(header + "\n" + rows[0] + "\n" + rows[0] + "\n,,,\n"))
	f.Add([]byte(strings.ToUpper(header) + ",extra\n'=1+1,+2,-3,@4\n"))
	f.Add([]byte(""))
}

// checkRefusal fails unless err is nil or an EINVALID with a message.
func checkRefusal(t *testing.T, err error) {
	t.Helper()
	if err != nil && (assay.ErrorCode(err) != assay.EINVALID || assay.ErrorMessage(err) == "") {
		t.Fatalf("refused without a clear message: %v", err)
	}
}

func FuzzRisksCSV(f *testing.F) {
	importSeeds(f, "category,title,likelihood,impact,owner_email,controls,treatment,approver_email,accept_expires",
		"security,Leaked backups,4,5,dana@example.com,ACC-01,mitigate,,",
		"security,Old VPN,2,2,,,accept,dana@example.com,2026-09-01",
		"weather,Flood,x,9,nobody@example.com,NOPE,,,")
	byEmail := map[string]int64{"dana@example.com": 1}
	known := map[string]bool{"ACC-01": true}
	f.Fuzz(func(t *testing.T, data []byte) {
		risks, err := risksFromCSV(bytes.NewReader(data), byEmail, known)
		checkRefusal(t, err)
		if err == nil && len(risks) == 0 {
			t.Fatal("an accepted file with no risks")
		}
	})
}

func FuzzVendorsCSV(f *testing.F) {
	importSeeds(f, "name,classification,criticality,owner_email,subprocessor,clauses,contract_end",
		"Cloud Host,restricted,high,dana@example.com,yes,security data_processing,2027-01-31",
		"Mailer,internal,low,,no,,",
		"Existing,secret,extreme,nobody@example.com,maybe,,13/13/2026")
	byEmail := map[string]int64{"dana@example.com": 1}
	f.Fuzz(func(t *testing.T, data []byte) {
		vendors, err := vendorsFromCSV(bytes.NewReader(data), byEmail, map[string]bool{"existing": true})
		checkRefusal(t, err)
		if err == nil && len(vendors) == 0 {
			t.Fatal("an accepted file with no vendors")
		}
	})
}

func FuzzIncidentsCSV(f *testing.F) {
	importSeeds(f, strings.Join(IncidentColumns, ",")+",description,customer_notice_hours",
		"1,Phishing,closed,SEV2,false,true,false,2026-01-05T09:00:00Z,2026-01-05T10:00:00Z,2026-01-05T11:00:00Z,,,2026-01-20T00:00:00Z,,,,,Weak filter,Fast,Training,desc,72",
		",Outage,open,SEV3,no,,,2026-02-01,2026-02-01,,,,,,,,,,,,,",
		",Bad,open,SEV9,maybe,,,yesterday,,,,,,,,,,,,,,x")
	now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		list, lines, err := incidentsFromCSV(string(data), now)
		checkRefusal(t, err)
		if err == nil && (len(list) == 0 || len(list) != len(lines)) {
			t.Fatalf("%d incidents on %d lines", len(list), len(lines))
		}
	})
}

func FuzzCorrectiveCSV(f *testing.F) {
	importSeeds(f, "title,action,due_date,root_cause,owner_email,source,source_ref",
		"Patch VPN,Upgrade the VPN,2026-05-01,Old firmware,dana@example.com,incident,INC-1",
		"Rotate keys,Rotate,2026-06-01,,,,",
		"Bad,,someday,,nobody@example.com,rumour,")
	byEmail := map[string]int64{"dana@example.com": 1}
	f.Fuzz(func(t *testing.T, data []byte) {
		list, lines, err := correctiveFromCSV(string(data), byEmail)
		checkRefusal(t, err)
		if err == nil && (len(list) == 0 || len(list) != len(lines)) {
			t.Fatalf("%d actions on %d lines", len(list), len(lines))
		}
	})
}

func FuzzPeopleCSV(f *testing.F) {
	importSeeds(f, "name,email,title,department,manager,start_date,end_date,employment_type",
		"Ada Lovelace,ada@example.com,Engineer,Engineering,dana@example.com,2024-01-08,,employee",
		"Bob Stone,BOB@example.com,,Sales,,2024-05-06,2026-02-25,contractor",
		"Cy,not-an-email,,,,2026-13-01,,volunteer")
	byEmail := map[string]assay.Person{"bob@example.com": {Email: "bob@example.com", Name: "Bob", Department: "Sales"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		list, lines, err := peopleFromCSV(string(data), byEmail)
		checkRefusal(t, err)
		if err == nil && (len(list) == 0 || len(list) != len(lines)) {
			t.Fatalf("%d people on %d lines", len(list), len(lines))
		}
	})
}

func FuzzCompletionsCSV(f *testing.F) {
	importSeeds(f, "email,course,completed_at",
		"ada@example.com,Security awareness,2026-02-01",
		"bob@example.com,Secure coding,2025-01-15",
		",,never")
	f.Fuzz(func(t *testing.T, data []byte) {
		list, lines, err := completionsFromCSV(string(data))
		checkRefusal(t, err)
		if err == nil && (len(list) == 0 || len(list) != len(lines)) {
			t.Fatalf("%d completions on %d lines", len(list), len(lines))
		}
	})
}
