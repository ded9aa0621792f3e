package api

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// alertInput is the JSON of a new channel or a change to one. Secrets are
// write-only; "clear" names secrets to remove.
type alertInput struct {
	Kind     assay.AlertKind   `json:"kind"`
	Name     *string           `json:"name"`
	Settings map[string]string `json:"settings"`
	Secrets  map[string]string `json:"secrets"`
	Clear    []string          `json:"clear"`
	Enabled  *bool             `json:"enabled"`
}

// GET /api/v1/alert-channels
func (s *Server) apiAlertChannels(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	list, err := s.app.AlertChannels(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"channels": list, "count": len(list)})
	return nil
}

// POST /api/v1/alert-channels
func (s *Server) apiCreateAlertChannel(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var in alertInput
	err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &in)
	var c assay.AlertChannel
	if err == nil {
		n := assay.NewAlertChannel{Kind: in.Kind, Settings: in.Settings, Enabled: in.Enabled == nil || *in.Enabled}
		if in.Name != nil {
			n.Name = *in.Name
		}
		c, err = s.app.CreateAlertChannel(r.Context(), p.App(), n, in.Secrets)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, c)
	return nil
}

// GET /api/v1/alert-channels/{id}: the channel and its last deliveries.
func (s *Server) apiAlertChannel(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Alert channel")
	var c assay.AlertChannel
	var ds []assay.AlertDelivery
	if err == nil {
		c, err = s.app.AlertChannel(r.Context(), p.App(), id)
	}
	if err == nil {
		ds, err = s.app.AlertDeliveries(r.Context(), p.App(), id, 50)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"channel": c, "deliveries": ds})
	return nil
}

// PATCH /api/v1/alert-channels/{id}
func (s *Server) apiUpdateAlertChannel(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Alert channel")
	var in alertInput
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &in)
	}
	var c assay.AlertChannel
	if err == nil {
		c, err = s.app.UpdateAlertChannel(r.Context(), p.App(), id,
			assay.AlertChannelPatch{Name: in.Name, Settings: in.Settings, Enabled: in.Enabled}, in.Secrets, in.Clear)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, c)
	return nil
}

// DELETE /api/v1/alert-channels/{id}
func (s *Server) apiDeleteAlertChannel(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Alert channel")
	if err == nil {
		err = s.app.DeleteAlertChannel(r.Context(), p.App(), id)
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// POST /api/v1/alert-channels/{id}/test: send a sample message now.
func (s *Server) apiTestAlertChannel(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Alert channel")
	if err != nil {
		return err
	}
	d, err := s.app.TestAlertChannel(r.Context(), p.App(), id)
	if err != nil && d.ID == 0 {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, d) // a failed test is a delivery with status failed
	return nil
}

// GET /api/v1/alert-deliveries?channel=
func (s *Server) apiAlertDeliveries(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var ch int64
	var err error
	if v := r.URL.Query().Get("channel"); v != "" {
		if ch, err = strconv.ParseInt(v, 10, 64); err != nil || ch <= 0 {
			err = assay.Invalid("channel", "channel must be a channel id.")
		}
	}
	var ds []assay.AlertDelivery
	if err == nil {
		ds, err = s.app.AlertDeliveries(r.Context(), p.App(), ch, 200)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"deliveries": ds, "count": len(ds)})
	return nil
}

// alertSpecs is the channel kinds for forms.
