package input

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// EvidenceFilterFrom reads ?control=&kind=&state= shared by the page and the API.
func EvidenceFilterFrom(q map[string][]string) assay.EvidenceFilter {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	return assay.EvidenceFilter{ControlID: get("control"), Kind: assay.EvidenceKind(get("kind")), State: get("state")}
}

// RequestFilterFrom reads ?control=&status=&assignee= (an id or "me").
func RequestFilterFrom(q map[string][]string, me int64) (assay.EvidenceRequestFilter, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	f := assay.EvidenceRequestFilter{ControlID: get("control"), Status: assay.RequestStatus(get("status"))}
	switch a := get("assignee"); a {
	case "":
	case "me":
		f.AssigneeID = me
	default:
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			return f, assay.Invalid("assignee", "assignee must be a user id or \"me\".")
		}
		f.AssigneeID = id
	}
	if a := get("audit"); a != "" {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			return f, assay.Invalid("audit", "audit must be an engagement's id.")
		}
		f.AuditID = id
	}
	return f, nil
}

func IncidentFilterFrom(get func(string) string) (assay.IncidentFilter, error) {
	f := assay.IncidentFilter{Status: assay.IncidentStatus(get("status")), Severity: assay.Severity(strings.ToUpper(get("severity")))}
	switch get("exercise") {
	case "":
	case "true", "1", "yes":
		f.Exercise = new(bool)
		*f.Exercise = true
	case "false", "0", "no":
		f.Exercise = new(bool)
	default:
		return f, assay.Invalid("exercise", "exercise must be true or false.")
	}
	return f, nil
}

func CorrectiveFilterFrom(get func(string) string, me int64) (assay.CorrectiveFilter, error) {
	f := assay.CorrectiveFilter{Status: assay.CorrectiveStatus(get("status")), Source: assay.CorrectiveSource(get("source"))}
	switch v := get("owner"); v {
	case "":
	case "me":
		f.OwnerID = me
	default:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return f, assay.Invalid("owner", "owner must be a user id or \"me\".")
		}
		f.OwnerID = n
	}
	if v := get("incident"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return f, assay.Invalid("incident", "incident must be an incident id.")
		}
		f.IncidentID = n
	}
	switch get("overdue") {
	case "", "false", "0":
	case "true", "1":
		f.Overdue = true
	default:
		return f, assay.Invalid("overdue", "overdue must be true or false.")
	}
	return f, nil
}

// ControlFilter reads a control filter from query parameters shared by the
// page and the API: category, criterion, status, owner (an id, "me" or
// "none") and q.
func ControlFilter(q url.Values, me int64) (assay.ControlFilter, error) {
	f := assay.ControlFilter{
		Category:  strings.TrimSpace(q.Get("category")),
		Criterion: strings.TrimSpace(q.Get("criterion")),
		Status:    assay.ControlStatus(strings.TrimSpace(q.Get("status"))),
		Query:     strings.TrimSpace(q.Get("q")),
	}
	switch owner := strings.TrimSpace(q.Get("owner")); owner {
	case "":
	case "me":
		f.OwnerID = me
	case "none":
		f.OwnerID = -1
	default:
		id, err := strconv.ParseInt(owner, 10, 64)
		if err != nil || id <= 0 {
			return f, assay.Invalid("owner", "Owner must be a user id, \"me\" or \"none\".")
		}
		f.OwnerID = id
	}
	return f, nil
}

// PeopleFilterFrom reads the roster's filters from a query.
func PeopleFilterFrom(q url.Values) (app.PeopleFilter, error) {
	f := app.PeopleFilter{Status: q.Get("status"), Department: strings.TrimSpace(q.Get("department")),
		Query: strings.TrimSpace(q.Get("q")), Overdue: q.Get("overdue") == "1" || q.Get("overdue") == "true"}
	return f, f.Validate()
}

func CheckFilterFrom(q url.Values) (app.CheckFilter, error) {
	f := app.CheckFilter{Control: strings.TrimSpace(q.Get("control")), Criterion: strings.TrimSpace(q.Get("criterion")),
		Severity: strings.TrimSpace(q.Get("severity")), Status: strings.TrimSpace(q.Get("status")), Query: strings.TrimSpace(q.Get("q"))}
	if v := strings.TrimSpace(q.Get("source")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return f, assay.Invalid("source", "source must be a source id.")
		}
		f.Source = id
	}
	if f.Severity != "" && !assay.CheckSeverity(f.Severity).Valid() {
		return f, assay.Invalid("severity", "Unknown severity %q; use critical, high, medium or low.", f.Severity)
	}
	switch f.Status {
	case "", "failing", "error", "passing", "no_data":
	case "fail":
		f.Status = "failing"
	case "pass":
		f.Status = "passing"
	default:
		return f, assay.Invalid("status", "Unknown status %q; use failing, error, passing or no_data.", f.Status)
	}
	return f, nil
}

// ActivityFilter reads the audit trail's filters from a query string:
// type, object, actor, action, q, from and to (dates; to is included) and
// before (an entry number, for paging back).
func ActivityFilter(q url.Values) (assay.ActivityFilter, error) {
	f := assay.ActivityFilter{ObjectType: q.Get("type"), ObjectID: q.Get("object"), Actor: strings.TrimSpace(q.Get("actor")),
		Action: strings.TrimSpace(q.Get("action")), Query: strings.TrimSpace(q.Get("q"))}
	for name, v := range map[string]string{"actor": f.Actor, "action": f.Action, "q": f.Query} {
		if len(v) > 200 {
			return f, assay.Invalid(name, "Search text is longer than 200 characters.")
		}
	}
	from, err := ParseDate("from", q.Get("from"))
	if err != nil {
		return f, err
	}
	to, err := ParseDate("to", q.Get("to"))
	if err != nil {
		return f, err
	}
	if from != nil {
		f.From = *from
	}
	if to != nil {
		f.To = to.AddDate(0, 0, 1) // through the end of that day
	}
	if from != nil && to != nil && to.Before(*from) {
		return f, assay.Invalid("to", "The end date is before the start date.")
	}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return f, assay.Invalid("before", "before must be a positive entry number.")
		}
		f.BeforeSeq = n
	}
	return f, nil
}
