package assay

import "slices"

// Continuous monitoring: collectors turn a configured source into
// resources; checks (CEL expressions, package monitor) judge each resource
// of their kind; results are kept as status transitions per (check,
// resource), so the history can say what any check said about any resource
// at any time.

// Resource is one thing a collector found: an HTTP endpoint, a database
// role, an sshd configuration, a Terraform resource. It is a JSON document.
type Resource struct {
	// Kind says which checks apply, e.g. "http.endpoint", "postgres.role",
	// "host.sshd", "terraform.aws_s3_bucket", "k8s.workload", "idp.account".
	Kind string `json:"kind"`
	// ID is stable across runs within the kind and source (a URL, a role
	// name, a Terraform address); history is keyed by it.
	ID string `json:"id"`
	// Name is what people read in a failure reason ("api.example.com:443").
	Name string `json:"name"`
	// Attrs are the facts the checks test. Numbers are int64 when whole
	// (collectors produce int64; the engine normalises JSON floats that are
	// whole), strings, bools, lists and maps.
	Attrs map[string]any `json:"attrs"`
}

// CheckSeverity ranks how much a failing check matters.
type CheckSeverity string

// Check severities, most severe first.
const (
	SeverityCritical CheckSeverity = "critical"
	SeverityHigh     CheckSeverity = "high"
	SeverityMedium   CheckSeverity = "medium"
	SeverityLow      CheckSeverity = "low"
)

// CheckSeverities lists every check severity, most severe first.
var CheckSeverities = []CheckSeverity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow}

// Valid reports whether s is a known check severity.
func (s CheckSeverity) Valid() bool { return slices.Contains(CheckSeverities, s) }

// Check is one automated test: a CEL expression evaluated once per resource
// of its kind. The library's checks ship in the catalog; custom checks are
// written by users and stored per organisation.
type Check struct {
	ID    string `json:"id"`    // "http-tls-min-version"; custom checks start with "custom-"
	Title string `json:"title"` // what passing means: "Endpoints refuse TLS below 1.2"
	Kind  string `json:"kind"`  // the resource kind it evaluates
	// Expr is a CEL expression that is true when the resource passes. The
	// resource's attributes are in the variable r (a map), its id and name
	// in id and name.
	Expr     string        `json:"expr"`
	Severity CheckSeverity `json:"severity"`
	// Reason is a Go text/template rendered when the check fails, with the
	// resource as dot: {{.Name}}, {{.ID}}, {{.Kind}}, {{.Attrs.tls_min}}.
	// It names the resource and the value found: "TLS 1.0 accepted on
	// {{.Name}}".
	Reason      string   `json:"reason"`
	Remediation string   `json:"remediation"`
	Controls    []string `json:"controls"` // control ids of the library (and so the criteria)
	Custom      bool     `json:"custom,omitempty"`
}

// CheckStatus is the outcome of one check on one resource.
type CheckStatus string

// Check outcomes. An error is never a pass: a collector that fails or times
// out, or an expression that cannot be evaluated, yields StatusError with
// the reason.
const (
	CheckPass  CheckStatus = "pass"
	CheckFail  CheckStatus = "fail"
	CheckError CheckStatus = "error"
)

// CheckResult is one check's verdict on one resource in one run. A
// source-level error (the collector failed) has ResourceID "" and is
// recorded per check of the source's kinds, without touching the earlier
// per-resource results.
type CheckResult struct {
	CheckID      string      `json:"check_id"`
	ResourceKind string      `json:"resource_kind"`
	ResourceID   string      `json:"resource_id"`
	ResourceName string      `json:"resource_name"`
	Status       CheckStatus `json:"status"`
	Reason       string      `json:"reason,omitempty"` // "" on pass
}
