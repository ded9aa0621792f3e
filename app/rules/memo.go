package rules

import (
	"context"
	"slices"
	"sync"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// Memo returns os with the whole-table reads the readiness rules share
// (controls, people, policies, their figures, acceptances, training, checklists, evidence
// per control) read once and kept for the life of the returned store:
// one request. Each caller gets its own copy of a list, so one rule may
// fill in its items without another seeing it. Everything else, writes
// included, goes to os.
func Memo(os store.OrgStore) store.OrgStore {
	if m, ok := os.(*memo); ok {
		return m
	}
	return &memo{OrgStore: os, tables: &tables{}}
}

// memo is an organisation's store whose shared whole-table reads come
// from tables: its own for one request (Memo), or a snapshot shared by the
// requests that see the same organisation at the same change (Cache).
type memo struct {
	store.OrgStore
	*tables
}

// tables are the whole-table reads the readiness rules share, each read
// the first time it is asked for.
type tables struct {
	mu          sync.Mutex
	controls    []assay.Control
	people      []assay.Person
	policies    []assay.Policy
	accepted    assay.AcceptedMajors
	assignments []assay.TrainingAssignment
	items       []assay.ChecklistItem
	brief       []assay.ChecklistItem
	evidence    []assay.ControlEvidence
	figures     []assay.PolicyFigure
	evidenceAll []assay.Evidence
	vendors     []assay.Vendor
	risks       []assay.Risk
	corrective  []assay.CorrectiveAction
	requests    []assay.EvidenceRequest
	loaded      map[string]bool
	derived     map[string]*derived // Derived's values, under mu
	groups      map[string]int      // DerivedUpTo's keys per group, under mu
}

// once reads into *dst the first time key is asked for.
func once[T any](m *tables, key string, dst *[]T, read func() ([]T, error)) ([]T, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.loaded[key] {
		got, err := read()
		if err != nil {
			return nil, err
		}
		if m.loaded == nil {
			m.loaded = map[string]bool{}
		}
		*dst, m.loaded[key] = got, true
	}
	return slices.Clone(*dst), nil
}

func (m *memo) Controls(ctx context.Context, f assay.ControlFilter) ([]assay.Control, error) {
	if f != (assay.ControlFilter{}) {
		return m.OrgStore.Controls(ctx, f)
	}
	return once(m.tables, "controls", &m.controls, func() ([]assay.Control, error) { return m.OrgStore.Controls(ctx, f) })
}

func (m *memo) EvidenceByControl(ctx context.Context) ([]assay.ControlEvidence, error) {
	return once(m.tables, "evidence", &m.evidence, func() ([]assay.ControlEvidence, error) { return m.OrgStore.EvidenceByControl(ctx) })
}

func (m *memo) People(ctx context.Context) ([]assay.Person, error) {
	return once(m.tables, "people", &m.people, func() ([]assay.Person, error) { return m.OrgStore.People(ctx) })
}

func (m *memo) Policies(ctx context.Context) ([]assay.Policy, error) {
	return once(m.tables, "policies", &m.policies, func() ([]assay.Policy, error) { return m.OrgStore.Policies(ctx) })
}

// AcceptedMajors is shared, not copied: nobody changes it.
func (m *memo) AcceptedMajors(ctx context.Context) (assay.AcceptedMajors, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.accepted == nil {
		a, err := m.OrgStore.AcceptedMajors(ctx)
		if err != nil {
			return nil, err
		}
		m.accepted = a
	}
	return m.accepted, nil
}

func (m *memo) TrainingAssignments(ctx context.Context, f assay.TrainingFilter) ([]assay.TrainingAssignment, error) {
	if f != (assay.TrainingFilter{}) {
		return m.OrgStore.TrainingAssignments(ctx, f)
	}
	return once(m.tables, "assignments", &m.assignments, func() ([]assay.TrainingAssignment, error) { return m.OrgStore.TrainingAssignments(ctx, f) })
}

func (m *memo) ChecklistItems(ctx context.Context, f assay.ChecklistFilter) ([]assay.ChecklistItem, error) {
	if f == (assay.ChecklistFilter{Brief: true}) {
		return once(m.tables, "checklists-brief", &m.brief, func() ([]assay.ChecklistItem, error) { return m.OrgStore.ChecklistItems(ctx, f) })
	}
	if f != (assay.ChecklistFilter{}) {
		return m.OrgStore.ChecklistItems(ctx, f)
	}
	return once(m.tables, "checklists", &m.items, func() ([]assay.ChecklistItem, error) { return m.OrgStore.ChecklistItems(ctx, f) })
}

func (m *memo) PolicyFigures(ctx context.Context) ([]assay.PolicyFigure, error) {
	return once(m.tables, "policy-figures", &m.figures, func() ([]assay.PolicyFigure, error) { return m.OrgStore.PolicyFigures(ctx) })
}

// The registers' whole lists (unfiltered), which their pages and API lists
// read and then page.

func (m *memo) EvidenceList(ctx context.Context, f assay.EvidenceFilter) ([]assay.Evidence, error) {
	if f != (assay.EvidenceFilter{}) {
		return m.OrgStore.EvidenceList(ctx, f)
	}
	return once(m.tables, "evidence-list", &m.evidenceAll, func() ([]assay.Evidence, error) { return m.OrgStore.EvidenceList(ctx, f) })
}

func (m *memo) Vendors(ctx context.Context) ([]assay.Vendor, error) {
	return once(m.tables, "vendors", &m.vendors, func() ([]assay.Vendor, error) { return m.OrgStore.Vendors(ctx) })
}

func (m *memo) Risks(ctx context.Context) ([]assay.Risk, error) {
	return once(m.tables, "risks", &m.risks, func() ([]assay.Risk, error) { return m.OrgStore.Risks(ctx) })
}

func (m *memo) CorrectiveActions(ctx context.Context, f assay.CorrectiveFilter) ([]assay.CorrectiveAction, error) {
	if f != (assay.CorrectiveFilter{}) {
		return m.OrgStore.CorrectiveActions(ctx, f)
	}
	return once(m.tables, "corrective", &m.corrective, func() ([]assay.CorrectiveAction, error) { return m.OrgStore.CorrectiveActions(ctx, f) })
}

func (m *memo) EvidenceRequests(ctx context.Context, f assay.EvidenceRequestFilter) ([]assay.EvidenceRequest, error) {
	if f != (assay.EvidenceRequestFilter{}) {
		return m.OrgStore.EvidenceRequests(ctx, f)
	}
	return once(m.tables, "requests", &m.requests, func() ([]assay.EvidenceRequest, error) { return m.OrgStore.EvidenceRequests(ctx, f) })
}
