package server

import (
	"io"
	"net/http"

	"github.com/assay-platform/assay"
)

// GET /api/v1/corrective-actions?status=&source=&owner=&incident=&overdue=
func (s *Server) apiCorrectiveActions(w http.ResponseWriter, r *http.Request, p *principal) error {
	f, err := correctiveFilterFrom(r.URL.Query().Get, p.User.ID)
	var list []assay.CorrectiveAction
	if err == nil {
		list, err = s.app.CorrectiveActions(r.Context(), p.app(), f)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"corrective_actions": s.viewCorrective(list), "count": len(list)})
	return nil
}

type correctiveBody struct {
	assay.NewCorrectiveAction
	DueDate string `json:"due_date"`
}

func (b correctiveBody) parse() (assay.NewCorrectiveAction, error) {
	n := b.NewCorrectiveAction
	d, err := parseDate("due_date", b.DueDate)
	if d != nil {
		n.DueDate = *d
	}
	return n, err
}

// POST /api/v1/corrective-actions
func (s *Server) apiCreateCorrective(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b correctiveBody
	err := s.decodeJSON(w, r, &b)
	var n assay.NewCorrectiveAction
	if err == nil {
		n, err = b.parse()
	}
	var c assay.CorrectiveAction
	if err == nil {
		c, err = s.app.CreateCorrectiveAction(r.Context(), p.app(), n)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.viewCorrective([]assay.CorrectiveAction{c})[0])
	return nil
}

// GET /api/v1/corrective-actions/{id}
func (s *Server) apiCorrectiveAction(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "Corrective action")
	var c assay.CorrectiveAction
	if err == nil {
		c, err = s.app.CorrectiveAction(r.Context(), p.app(), id)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.viewCorrective([]assay.CorrectiveAction{c})[0])
	return nil
}

// PATCH /api/v1/corrective-actions/{id} with any of status, action,
// root_cause, owner_id, due_date, verification_notes.
func (s *Server) apiUpdateCorrective(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b struct {
		assay.CorrectivePatch
		DueDate *string `json:"due_date"`
	}
	id, err := pathID(r, "Corrective action")
	if err == nil {
		err = s.decodeJSON(w, r, &b)
	}
	patch := b.CorrectivePatch
	if err == nil && b.DueDate != nil {
		d, derr := parseDate("due_date", *b.DueDate)
		if err = derr; d != nil {
			patch.DueDate = d
		} else if err == nil {
			err = assay.Invalid("due_date", "Give a due date.")
		}
	}
	c, err := s.patchCorrective(r, p, id, patch, err)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.viewCorrective([]assay.CorrectiveAction{c})[0])
	return nil
}

// patchCorrective makes the change through the service, which checks the
// caller may make it.
func (s *Server) patchCorrective(r *http.Request, p *principal, id int64, patch assay.CorrectivePatch, err error) (assay.CorrectiveAction, error) {
	if err != nil {
		return assay.CorrectiveAction{}, err
	}
	return s.app.UpdateCorrectiveAction(r.Context(), p.app(), id, patch)
}

// POST /api/v1/corrective-actions/import with a CSV body (see
// parseCorrectiveCSV): all rows or none.
func (s *Server) apiImportCorrective(w http.ResponseWriter, r *http.Request, p *principal) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		return assay.Errorf(assay.ETOOLARGE, "The CSV is larger than %d bytes.", s.cfg.MaxBodyBytes)
	}
	list, err := s.importCorrective(r, p, string(body))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"corrective_actions": s.viewCorrective(list), "count": len(list)})
	return nil
}

// POST /api/v1/audits/{id}/corrective-actions with {"control_id", "exception", "owner_id", "due_date"}
func (s *Server) apiAuditCorrective(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b struct {
		ControlID string `json:"control_id"`
		Exception string `json:"exception"`
		OwnerID   int64  `json:"owner_id"`
		DueDate   string `json:"due_date"`
	}
	id, err := pathID(r, "Audit")
	if err == nil {
		err = s.decodeJSON(w, r, &b)
	}
	var c assay.CorrectiveAction
	if err == nil {
		c, err = s.auditCorrective(r.Context(), p, id, b.ControlID, b.Exception, b.OwnerID, b.DueDate)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.viewCorrective([]assay.CorrectiveAction{c})[0])
	return nil
}
