// Package monitor is Assay's continuous control monitoring: collectors turn
// configured sources into resources (monitor/collect/...), the CEL engine
// evaluates the check library and custom checks over them, and the runner
// records each run's results as status transitions.
package monitor

import (
	"context"

	"github.com/assay-platform/assay"
)

// Config is what a collector is given for one source.
type Config struct {
	// Settings are the source's non-secret settings ("url", "host",
	// "timeout"), as entered by the user.
	Settings map[string]string
	// Secrets are the source's decrypted secrets ("password", "dsn"). They
	// are never logged and never put into a resource or an error message.
	Secrets map[string]string
	// Input is the document a file-import source was given (a Terraform
	// plan, a Trivy report, a roster CSV); nil for live sources.
	Input []byte
	// Notes takes what the collector has to say about the run besides its
	// resources (see Notes); nil when nobody listens.
	Notes *Notes
	// Previous returns the resources of the source's latest successful
	// run (none before the first), for a collector that carries state
	// from run to run, such as the date it first saw a vulnerability. It
	// is nil when there is no history to read (a check of the settings, a
	// collection outside the runner).
	Previous func(ctx context.Context) ([]assay.Resource, error)
	// Keep stores a document as evidence of the run (a live collector's raw
	// API responses) in the content-addressed blob store and returns its
	// SHA-256. It is nil when nothing keeps documents (a check of the
	// settings, a collection outside the runner).
	Keep func(ctx context.Context, doc []byte) (string, error)
	// People returns the organisation's roster (people with e-mail and
	// status), for a collector that joins what it reads to the people who
	// own it (devices to their owners). It is nil outside the runner.
	People func(ctx context.Context) ([]assay.Person, error)
}

// Collector turns one source into resources. Collect must honour ctx's
// deadline; an error (or a timeout) means the run records error results
// for the source, never passes.
type Collector interface {
	// Kind is the source kind it serves: "http", "postgres", "host",
	// "terraform", "k8s", "prowler", "trivy", "roster".
	Kind() string
	// ResourceKinds lists the resource kinds it can produce, so the runner
	// knows which checks belong to the source.
	ResourceKinds() []string
	// Validate checks a source's settings and secrets before they are
	// saved and returns an *assay.Error (EINVALID) naming the bad field.
	Validate(cfg Config) error
	Collect(ctx context.Context, cfg Config) ([]assay.Resource, error)
}

// Planner is a live collector that can say, without sending anything,
// which requests a collection makes (a dry run). Plan checks the settings
// as Validate does; the lines never hold a secret.
type Planner interface {
	Plan(cfg Config) ([]string, error)
}
