package app_test

import (
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// Every role that reads the program lists and reads evidence requests; an
// employee does not; the view says which are overdue.
func TestEvidenceRequestsAuthorisation(t *testing.T) {
	e := newEnv(t)
	admin := e.principal(t, assay.RoleAdmin)
	viewer := e.principal(t, assay.RoleViewer)
	employee := e.principal(t, assay.RoleEmployee)
	req, err := e.app.CreateEvidenceRequest(e.ctx, admin, assay.NewEvidenceRequest{ControlID: "ACC-02", AssigneeID: admin.User.ID,
		DueDate: e.clock.Now().AddDate(0, 0, 3), Description: "The last access review"})
	if err != nil {
		t.Fatal(err)
	}
	list, err := e.app.EvidenceRequests(e.ctx, viewer, assay.EvidenceRequestFilter{ControlID: "ACC-02"})
	if err != nil || len(list) != 1 || list[0].ID != req.ID {
		t.Fatalf("a viewer lists the requests: %+v %v", list, err)
	}
	if got, err := e.app.EvidenceRequest(e.ctx, viewer, req.ID); err != nil || got.Description != "The last access review" {
		t.Fatalf("a viewer reads a request: %+v %v", got, err)
	}
	if _, err := e.app.EvidenceRequests(e.ctx, employee, assay.EvidenceRequestFilter{}); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Fatalf("an employee listed the requests: %v", err)
	}
	if _, err := e.app.EvidenceRequest(e.ctx, employee, req.ID); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Fatalf("an employee read a request: %v", err)
	}
	if _, err := e.app.EvidenceRequest(e.ctx, viewer, req.ID+100); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("a missing request: %v", err)
	}
	views := app.ViewEvidenceRequests(list, e.clock.Now().Add(5*24*time.Hour))
	if !views[0].Overdue || app.ViewEvidenceRequests(list, e.clock.Now())[0].Overdue {
		t.Fatalf("overdue: %+v", views)
	}
}
