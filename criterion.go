package assay

// Criterion is one Trust Services criterion, as the catalog describes it.
type Criterion struct {
	ID          string `json:"id"`
	Category    string `json:"category"`
	Series      string `json:"series"`
	SeriesTitle string `json:"series_title"`
	Title       string `json:"title"`
	Explanation string `json:"explanation"`
}

// CategoryName returns the display name of a category id.
func CategoryName(id string) string {
	switch id {
	case CategorySecurity:
		return "Security"
	case CategoryAvailability:
		return "Availability"
	case CategoryConfidentiality:
		return "Confidentiality"
	case CategoryProcessingIntegrity:
		return "Processing Integrity"
	case CategoryPrivacy:
		return "Privacy"
	}
	return id
}
