package web

import (
	"net/http"
)

// forgotData is the "forgot password" page's data.
type forgotData struct {
	Sent  bool
	Email string
}

func (s *Server) forgotPage(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "password_forgot", pageData{Title: "Forgot your password?", Data: forgotData{}})
	return nil
}

// forgotPassword sends a reset link if the account exists. The answer is
// the same either way, so the page tells nobody which emails have accounts.
func (s *Server) forgotPassword(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	email := r.PostFormValue("email")
	s.app.RequestPasswordReset(r.Context(), email, s.linkOrigin(r))
	s.render(w, r, http.StatusOK, "password_forgot", pageData{Title: "Forgot your password?", Data: forgotData{Sent: true, Email: email}})
	return nil
}

// linkOrigin is the public address e-mailed links point at: the base URL
// alerts link to (set it, so a forged Host header cannot aim a reset link
// elsewhere), else the address this request came to.
func (s *Server) linkOrigin(r *http.Request) string {
	if s.cfg.Alerts != nil && s.cfg.Alerts.BaseURL != "" {
		return s.cfg.Alerts.BaseURL
	}
	return s.requestOrigin(r)
}
