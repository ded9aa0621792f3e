package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

// GET /portal: the signed-in person's policies to accept, training due and
// checklist items.
func (s *Server) portalPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showPortal(w, r, p, http.StatusOK, "")
}

func (s *Server) showPortal(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string) error {
	tasks, err := s.app.PortalTasks(r.Context(), p.App())
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		if errMsg == "" {
			errMsg = assay.ErrorMessage(err)
		}
		// Not on the roster: the page, its message and the incident form.
		s.render(w, r, http.StatusOK, "portal", pageData{Title: "My tasks", Nav: "portal", Error: errMsg, Flash: peopleFlash[r.URL.Query().Get("flash")],
			Data: portalData{Linked: false, Form: r.PostForm, Now: s.clock.Now()}})
		return nil
	} else if err != nil {
		return err
	}
	s.render(w, r, status, "portal", pageData{Title: "My tasks", Nav: "portal", Error: errMsg, Flash: peopleFlash[r.URL.Query().Get("flash")],
		Data: portalData{Linked: true, Tasks: tasks, Now: s.clock.Now(), Form: r.PostForm}})
	return nil
}

// portalData is the portal page's data. Linked is false for a user not on
// the roster, who has no tasks.
type portalData struct {
	Linked bool
	Tasks  app.PortalTasks
	Now    time.Time
	Form   url.Values // the incident report as typed, when it is shown again
}

func (s *Server) portalDone(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, err error, flash string) error {
	if err == nil {
		http.Redirect(w, r, "/portal?flash="+flash, http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showPortal(w, r, p, status, msg)
	})
}
