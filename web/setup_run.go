package web

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/httpkit"
)

// The first run: `assay serve` prints /setup?token=..., valid once. The
// form creates the organisation (adopting the default control library)
// and its first admin, then signs them in.

// setupData is the set-up page's data: the form as typed.
type setupData struct {
	Token   string
	OrgName string
	Name    string
	Email   string
}

func (s *Server) setupPage(w http.ResponseWriter, r *http.Request) error {
	n, err := s.store.CountUsers(r.Context())
	if err != nil {
		return err
	}
	if n > 0 {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, "setup", pageData{Title: "Set up Assay", Data: setupData{Token: r.URL.Query().Get("token")}})
	return nil
}

func (s *Server) setup(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	form := setupData{
		Token: r.PostFormValue("token"), OrgName: strings.TrimSpace(r.PostFormValue("org_name")),
		Name: strings.TrimSpace(r.PostFormValue("name")), Email: strings.TrimSpace(r.PostFormValue("email")),
	}
	fail := func(err error) {
		httpkit.LogIfInternal(s.log, r, err)
		s.render(w, r, httpkit.StatusOf(assay.ErrorCode(err)), "setup", pageData{Title: "Set up Assay", Error: assay.ErrorMessage(err), Data: form})
	}
	ctx := r.Context()
	if n, err := s.store.CountUsers(ctx); err != nil {
		fail(err)
		return nil
	} else if n > 0 {
		fail(assay.Errorf(assay.ECONFLICT, "Assay is already set up; sign in instead."))
		return nil
	}
	nu := assay.NewUser{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Role: assay.RoleAdmin, Password: r.PostFormValue("password")}
	orgName := form.OrgName
	// Validate everything before the token is spent or anything is written.
	if err := nu.Validate(); err != nil {
		fail(err)
		return nil
	}
	if r.PostFormValue("password") != r.PostFormValue("password_confirm") {
		fail(assay.Invalid("password_confirm", "The two passwords differ."))
		return nil
	}
	if err := assay.ValidateOrganization(orgName, assay.Slugify(orgName)); err != nil {
		fail(err)
		return nil
	}
	hash, err := auth.HashPassword(nu.Password, s.cfg.PasswordParams)
	if err != nil {
		fail(err)
		return nil
	}
	if err := s.store.ConsumeSetupToken(ctx, auth.HashToken(r.PostFormValue("token"))); err != nil {
		fail(err)
		return nil
	}
	actor := assay.Actor{Name: nu.Name, Via: "web"}
	orgs, err := s.store.Organizations(ctx)
	if err != nil {
		fail(err)
		return nil
	}
	var org assay.Organization
	if len(orgs) > 0 {
		org = orgs[0] // an organisation made by an earlier, interrupted setup
	} else if org, err = s.store.CreateOrganization(ctx, actor, orgName, assay.Slugify(orgName), assay.Scope{}, s.cfg.NewOrgControls()); err != nil {
		fail(err)
		return nil
	}
	u, err := s.store.Org(org.ID).CreateUser(ctx, actor, nu, hash)
	if err != nil {
		fail(err)
		return nil
	}
	if err := s.startSession(w, r, u, httpkit.ClientAddr(r)); err != nil {
		fail(err)
		return nil
	}
	s.log.Info("first admin created", "org", org.Slug, "user_id", u.ID)
	http.Redirect(w, r, "/scope?welcome=1", http.StatusSeeOther)
	return nil
}
