package ledger

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/assay-platform/assay"
)

// LiveReportRecord is one row of an engagement's report package: exactly
// one of its records is set.
type LiveReportRecord struct {
	OrgID   int64
	Signoff *assay.AuditSignoff
	File    *assay.AuditReportFile
	Comment *assay.AuditReportComment
}

// key names the row in the replay ("signoff:3") and what it is.
func (l LiveReportRecord) key() (objKey, string, any) {
	switch {
	case l.Signoff != nil:
		return objKey{l.OrgID, "signoff:" + strconv.FormatInt(l.Signoff.ID, 10)}, "Sign-off", l.Signoff
	case l.File != nil:
		return objKey{l.OrgID, "report_file:" + strconv.FormatInt(l.File.ID, 10)}, "Report file", l.File
	}
	return objKey{l.OrgID, "report_comment:" + strconv.FormatInt(l.Comment.ID, 10)}, "Report comment", l.Comment
}

var reportKinds = map[string]string{
	"audit.signoff": "signoff", "audit.report_file": "report_file",
	"audit.report_comment": "report_comment", "audit.report_resolve": "report_comment",
}

// observeAuditReport notes a report package entry: its after is the row.
func (r *replay) observeAuditReport(e Entry) {
	if r.report == nil {
		r.report = map[objKey]recorded{}
	}
	var v struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(e.After, &v); err != nil && r.err == nil {
		r.err = mismatch("Activity entry #%d records a report package row that cannot be read (%v).", e.Seq, err)
	}
	r.report[objKey{e.OrgID, reportKinds[e.Action] + ":" + strconv.FormatInt(v.ID, 10)}] = recorded{seq: e.Seq, raw: slices.Clone(e.After)}
}

// compareAuditReport checks each sign-off, report file and comment against
// the ledger: the digest signed or uploaded cannot change unseen.
func (r *replay) compareAuditReport(live LiveState) error {
	seen := map[objKey]bool{}
	for _, l := range live.AuditReport {
		key, kind, row := l.key()
		seen[key] = true
		what := fmt.Sprintf("%s %s of organisation %d", kind, key.id, l.OrgID)
		rec, ok := r.report[key]
		if !ok {
			return mismatch("%s is not in the ledger: the row was added behind Assay's back.", what)
		}
		led := LiveReportRecord{Signoff: &assay.AuditSignoff{}, File: &assay.AuditReportFile{}, Comment: &assay.AuditReportComment{}}
		var into any = led.Comment
		switch row.(type) {
		case *assay.AuditSignoff:
			into = led.Signoff
		case *assay.AuditReportFile:
			into = led.File
		}
		if err := decode(what, rec, into); err != nil {
			return err
		}
		if jsonText(row) != jsonText(into) {
			return differs(what, rec.seq, "record", jsonText(row), jsonText(into))
		}
	}
	keys := make([]objKey, 0, len(r.report))
	for k := range r.report {
		keys = append(keys, k)
	}
	sortObjKeys(keys)
	for _, k := range keys {
		if !seen[k] {
			return mismatch("Report package row %s of organisation %d is in the ledger (entry #%d) but not in the database: the row was deleted.", k.id, k.org, r.report[k].seq)
		}
	}
	return nil
}
