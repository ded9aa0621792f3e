// Package assay holds Assay's domain: the types every other package speaks
// (organisations, people, controls, criteria, readiness, activity) and the
// rules that belong to them. It depends on no adapter: storage, HTTP and the
// CLI live in their own packages around it.
package assay

// Version is the program version, set at build time with
// -ldflags "-X github.com/assay-platform/assay.Version=v1.2.3".
var Version = "dev"
