package web

import (
	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/mdpdf"
)

// policyPDF renders a published version as a PDF document.
func policyPDF(org string, v assay.PolicyVersion) ([]byte, error) {
	return mdpdf.Render(mdpdf.Doc{Author: org, Header: org, Title: v.PolicyTitle, Subtitle: approvalLine(v),
		Footer: org + " · " + v.PolicyTitle + " " + v.Version, Markdown: v.Body, MetaTitle: v.PolicyTitle + " " + v.Version})
}
