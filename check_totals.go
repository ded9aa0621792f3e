package assay

// CheckTotal is how many resources of one source a check passes, fails
// and cannot judge now: the running totals each monitoring run keeps, so
// the monitoring grid, the dashboard and readiness need not read every
// resource's results to count them.
type CheckTotal struct {
	SourceID int64  `json:"source_id"`
	CheckID  string `json:"check_id"`
	Pass     int    `json:"pass"`
	Fail     int    `json:"fail"`
	Error    int    `json:"error"`
}

// ResultKey orders current results for paging: by source, then resource,
// then check.
type ResultKey struct {
	SourceID   int64
	ResourceID string
	CheckID    string
}

// NotPassingCheck is what one check fails (or cannot judge) now, over the
// enabled sources: how many distinct things, each named as readiness
// names it (the resource's name, else its id; "source NAME" for a
// source-level error), and the first few of those names in byte order.
// Readiness reads these, tens of rows, instead of every current result.
type NotPassingCheck struct {
	CheckID string      `json:"check_id"`
	Status  CheckStatus `json:"status"` // fail or error
	Count   int         `json:"count"`
	First   []string    `json:"first"`
}
