package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"sync"

	"github.com/assay-platform/assay"
)

// RiskTemplate is a starting risk a company can adopt into its register.
type RiskTemplate struct {
	ID          string   `json:"id"`
	Category    string   `json:"category"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Likelihood  int      `json:"likelihood"`
	Impact      int      `json:"impact"`
	Criteria    []string `json:"criteria"`
}

// Risk is the template as a new register entry (no owner yet).
func (t RiskTemplate) Risk() assay.Risk {
	return assay.Risk{Category: t.Category, Title: t.Title, Description: t.Description, Likelihood: t.Likelihood, Impact: t.Impact,
		Treatment: assay.TreatMitigate, Status: assay.RiskOpen, TemplateID: t.ID}
}

var (
	registersOnce sync.Once
	riskTemplates []RiskTemplate
	vendorQs      []assay.VendorQuestion
	registersErr  error
)

var (
	riskIDPattern     = regexp.MustCompile(`^RSK-[0-9]{2,3}$`)
	questionIDPattern = regexp.MustCompile(`^VQ-[0-9]{2,3}$`)
)

// MinRiskTemplates and MinVendorQuestions are the smallest sets shipped.
const (
	MinRiskTemplates   = 30
	MinVendorQuestions = 25
)

func loadRegisters() {
	var rf struct {
		Risks []RiskTemplate `json:"risks"`
	}
	var qf struct {
		Questions []assay.VendorQuestion `json:"questions"`
	}
	if registersErr = decodeFile(dataFS, "data/risks.json", &rf); registersErr != nil {
		return
	}
	if registersErr = decodeFile(dataFS, "data/vendor_questions.json", &qf); registersErr != nil {
		return
	}
	if registersErr = validateRegisters(rf.Risks, qf.Questions); registersErr == nil {
		riskTemplates, vendorQs = rf.Risks, qf.Questions
	}
}

// validateRegisters checks the templates and questions: unique well-formed
// ids, valid fields, known criteria, and the minimum counts.
func validateRegisters(risks []RiskTemplate, qs []assay.VendorQuestion) error {
	cat, err := Default()
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, t := range risks {
		if !riskIDPattern.MatchString(t.ID) || seen[t.ID] {
			return fmt.Errorf("risks.json: bad or repeated id %q", t.ID)
		}
		seen[t.ID] = true
		r := t.Risk()
		r.Normalize()
		if err := r.Validate(); err != nil {
			return fmt.Errorf("risks.json %s: %w", t.ID, err)
		}
		if t.Description == "" || len(t.Criteria) == 0 {
			return fmt.Errorf("risks.json %s: description and criteria are required", t.ID)
		}
		for _, c := range t.Criteria {
			if _, ok := cat.Criterion(c); !ok {
				return fmt.Errorf("risks.json %s: unknown criterion %q", t.ID, c)
			}
		}
	}
	for _, want := range []string{"CC3.3", "CC3.4"} {
		if !slices.ContainsFunc(risks, func(t RiskTemplate) bool { return slices.Contains(t.Criteria, want) }) {
			return fmt.Errorf("risks.json: no template prompts for %s", want)
		}
	}
	if len(risks) < MinRiskTemplates {
		return fmt.Errorf("risks.json: %d templates, want at least %d", len(risks), MinRiskTemplates)
	}
	seen = map[string]bool{}
	for _, q := range qs {
		if !questionIDPattern.MatchString(q.ID) || seen[q.ID] {
			return fmt.Errorf("vendor_questions.json: bad or repeated id %q", q.ID)
		}
		seen[q.ID] = true
		if q.Area == "" || q.Text == "" || q.Weight < 1 || q.Weight > 3 {
			return fmt.Errorf("vendor_questions.json %s: area, text and a weight of 1-3 are required", q.ID)
		}
	}
	if len(qs) < MinVendorQuestions {
		return fmt.Errorf("vendor_questions.json: %d questions, want at least %d", len(qs), MinVendorQuestions)
	}
	return nil
}

// RiskTemplates returns the shipped risk templates, validated.
func RiskTemplates() ([]RiskTemplate, error) {
	registersOnce.Do(loadRegisters)
	return riskTemplates, registersErr
}

// VendorQuestions returns the vendor security review questionnaire.
func VendorQuestions() ([]assay.VendorQuestion, error) {
	registersOnce.Do(loadRegisters)
	return vendorQs, registersErr
}
