// Package csvimport reads the register files people bring (rosters,
// training completions, incidents, corrective actions, risks and vendors,
// as CSV or XLSX through package tabular) into the application's inputs
// and records every row or none. A bad row is reported with its line. The
// pages, the API and the CLI all import through it.
package csvimport
