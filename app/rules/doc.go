// Package rules holds what an organisation's records say about its
// readiness and what falls due: the condition each kind of record adds to
// the readiness rule (current evidence, risk assessments and vendor
// reviews, incident reviews, accepted policies, people's checklists,
// access reviews, failing checks), the checklists and obligations people
// are held to, and a control's automated testing over an audit period.
// Each reads the records through the store interface and computes; the
// application services (package app) call them, and the store's
// conformance suite runs them on both databases.
package rules
