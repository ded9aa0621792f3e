package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// AuditException is an exception found in an audit's period view that a
// corrective action is to correct: no due date is ReviewDays from today.
type AuditException struct {
	ControlID string
	Exception string
	OwnerID   int64
	DueDate   *time.Time
}

// CorrectAuditException opens a corrective action for an exception in an
// audit's period.
func (a *App) CorrectAuditException(ctx context.Context, p Principal, auditID int64, x AuditException) (assay.CorrectiveAction, error) {
	if err := mayManageIncidents(p); err != nil {
		return assay.CorrectiveAction{}, err
	}
	controlID, exception := strings.ToUpper(strings.TrimSpace(x.ControlID)), strings.TrimSpace(x.Exception)
	audit, err := p.Org.Audit(ctx, auditID)
	if err != nil {
		return assay.CorrectiveAction{}, err
	}
	if controlID == "" {
		return assay.CorrectiveAction{}, assay.Invalid("control_id", "Name the control the exception is about.")
	}
	if _, err := p.Org.Control(ctx, controlID); assay.ErrorCode(err) == assay.ENOTFOUND {
		return assay.CorrectiveAction{}, assay.Invalid("control_id", "No control %s in this organisation.", controlID)
	} else if err != nil {
		return assay.CorrectiveAction{}, err
	}
	n := assay.NewCorrectiveAction{Source: assay.SourceAuditException, SourceRef: fmt.Sprintf("Audit %d (%s) / %s", audit.ID, audit.Name, controlID),
		Title: exception, Action: "Correct the exception: " + exception, OwnerID: x.OwnerID, DueDate: a.DefaultCorrectiveDue()}
	if len(n.SourceRef) > assay.MaxIncidentTitle {
		n.SourceRef = fmt.Sprintf("Audit %d / %s", audit.ID, controlID)
	}
	if x.DueDate != nil {
		n.DueDate = *x.DueDate
	}
	if err := checkOwner(ctx, p.Org, "owner_id", n.OwnerID); err != nil {
		return assay.CorrectiveAction{}, err
	}
	return p.Org.CreateCorrectiveAction(ctx, p.Actor(), n)
}
