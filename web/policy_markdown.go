package web

import (
	"bytes"
	"fmt"
	"html/template"

	"github.com/assay-platform/assay"
	"github.com/yuin/goldmark"
)

// markdown renders policy text. The default renderer is safe: raw HTML in
// the source is left out and dangerous link targets (javascript: and the
// like) are dropped, so a policy cannot put script on a page.
var markdown = goldmark.New()

// renderMarkdown turns policy Markdown into HTML safe to put on a page.
func renderMarkdown(src string) (template.HTML, error) {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("render policy: %w", err)
	}
	return template.HTML(buf.String()), nil // #nosec: goldmark without WithUnsafe escapes everything else
}

// unpublishedEffectiveDate stands in a draft's preview for the date that
// publication fills in.
const unpublishedEffectiveDate = "the date it is published"

// renderDraftMarkdown renders a version that may not be published yet:
// {{effective_date}} reads "the date it is published", not the placeholder.
func renderDraftMarkdown(src string) (template.HTML, error) {
	return renderMarkdown(assay.FillPolicyTemplate(src, map[string]string{"effective_date": unpublishedEffectiveDate}))
}
