package assay

// ConnectionTest is what a test of a live source's connection found: a
// collection made with the source's settings and secrets and recorded
// nowhere.
type ConnectionTest struct {
	OK        bool   `json:"ok"`
	Resources int    `json:"resources"` // what a run would judge
	Message   string `json:"message"`
}
