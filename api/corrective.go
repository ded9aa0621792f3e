package api

import (
	"io"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// GET /api/v1/corrective-actions?status=&source=&owner=&incident=&overdue=
func (s *Server) apiCorrectiveActions(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f, err := input.CorrectiveFilterFrom(r.URL.Query().Get, p.User.ID)
	var list []assay.CorrectiveAction
	if err == nil {
		list, err = s.app.CorrectiveActions(r.Context(), p.App(), f)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"corrective_actions": app.ViewCorrectives(list, s.clock.Now()), "count": len(list)})
	return nil
}

// POST /api/v1/corrective-actions
func (s *Server) apiCreateCorrective(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b input.CorrectiveBody
	err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b)
	var n assay.NewCorrectiveAction
	if err == nil {
		n, err = b.Parse()
	}
	var c assay.CorrectiveAction
	if err == nil {
		c, err = s.app.CreateCorrectiveAction(r.Context(), p.App(), n)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, app.ViewCorrectives([]assay.CorrectiveAction{c}, s.clock.Now())[0])
	return nil
}

// GET /api/v1/corrective-actions/{id}
func (s *Server) apiCorrectiveAction(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Corrective action")
	var c assay.CorrectiveAction
	if err == nil {
		c, err = s.app.CorrectiveAction(r.Context(), p.App(), id)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, app.ViewCorrectives([]assay.CorrectiveAction{c}, s.clock.Now())[0])
	return nil
}

// PATCH /api/v1/corrective-actions/{id} with any of status, action,
// root_cause, owner_id, due_date, verification_notes.
func (s *Server) apiUpdateCorrective(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b struct {
		assay.CorrectivePatch
		DueDate *string `json:"due_date"`
	}
	id, err := input.PathID(r, "Corrective action")
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b)
	}
	patch := b.CorrectivePatch
	if err == nil && b.DueDate != nil {
		d, derr := input.ParseDate("due_date", *b.DueDate)
		if err = derr; d != nil {
			patch.DueDate = d
		} else if err == nil {
			err = assay.Invalid("due_date", "Give a due date.")
		}
	}
	var c assay.CorrectiveAction
	if err == nil {
		c, err = s.app.UpdateCorrectiveAction(r.Context(), p.App(), id, patch)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, app.ViewCorrectives([]assay.CorrectiveAction{c}, s.clock.Now())[0])
	return nil
}

// POST /api/v1/corrective-actions/import with a CSV body (see
// parseCorrectiveCSV): all rows or none.
func (s *Server) apiImportCorrective(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		return assay.Errorf(assay.ETOOLARGE, "The CSV is larger than %d bytes.", s.cfg.MaxBodyBytes)
	}
	list, err := csvimport.Corrective(r.Context(), s.app, p.App(), string(body))
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, map[string]any{"corrective_actions": app.ViewCorrectives(list, s.clock.Now()), "count": len(list)})
	return nil
}

// POST /api/v1/audits/{id}/corrective-actions with {"control_id", "exception", "owner_id", "due_date"}
func (s *Server) apiAuditCorrective(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b struct {
		ControlID string `json:"control_id"`
		Exception string `json:"exception"`
		OwnerID   int64  `json:"owner_id"`
		DueDate   string `json:"due_date"`
	}
	id, err := input.PathID(r, "Audit")
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b)
	}
	var c assay.CorrectiveAction
	if err == nil {
		var ex app.AuditException
		if ex, err = input.AuditException(b.ControlID, b.Exception, b.OwnerID, b.DueDate); err == nil {
			c, err = s.app.CorrectAuditException(r.Context(), p.App(), id, ex)
		}
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, app.ViewCorrectives([]assay.CorrectiveAction{c}, s.clock.Now())[0])
	return nil
}
