package catalog

import (
	"testing"

	"github.com/assay-platform/assay"
)

func TestRegisterDataLoads(t *testing.T) {
	risks, err := RiskTemplates()
	if err != nil {
		t.Fatal(err)
	}
	qs, err := VendorQuestions()
	if err != nil {
		t.Fatal(err)
	}
	if len(risks) < MinRiskTemplates || len(qs) < MinVendorQuestions {
		t.Fatalf("%d risks, %d questions", len(risks), len(qs))
	}
}

func TestRegisterDataValidation(t *testing.T) {
	risks, _ := RiskTemplates()
	qs, _ := VendorQuestions()
	bad := append([]RiskTemplate{}, risks...)
	bad[0].Likelihood = 9
	if err := validateRegisters(bad, qs); err == nil {
		t.Error("likelihood 9 accepted")
	}
	bad = append([]RiskTemplate{}, risks...)
	bad[1].ID = bad[0].ID
	if err := validateRegisters(bad, qs); err == nil {
		t.Error("repeated id accepted")
	}
	if err := validateRegisters(risks, qs[:3]); err == nil {
		t.Error("too few questions accepted")
	}
	badQ := append([]assay.VendorQuestion{}, qs...)
	badQ[0].Weight = 0
	if err := validateRegisters(risks, badQ); err == nil {
		t.Error("weight 0 accepted")
	}
}
