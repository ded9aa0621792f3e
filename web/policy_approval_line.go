package web

import (
	"fmt"
	"strings"

	"github.com/assay-platform/assay"
)

// approvalLine is the line under a policy's title in downloads.
func approvalLine(v assay.PolicyVersion) string {
	parts := []string{"Version " + v.Version}
	if v.ApprovedAt != nil {
		parts = append(parts, fmt.Sprintf("approved by %s on %s", v.ApprovedByName, v.ApprovedAt.UTC().Format("2 January 2006")))
	}
	if v.PublishedAt != nil {
		parts = append(parts, "effective "+v.PublishedAt.UTC().Format("2 January 2006"))
	}
	if v.RetiredAt != nil {
		parts = append(parts, "retired "+v.RetiredAt.UTC().Format("2 January 2006"))
	}
	return strings.Join(parts, " · ")
}
