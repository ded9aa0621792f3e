package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

// Reminder digests: a person's own choices (/account/reminders), the
// organisation's defaults (/settings/reminders), and the unsubscribe
// link's page (/unsubscribe, no sign-in: the link carries its signature).
func (s *Server) digestRoutes() {
	s.page("GET /account/reminders", assay.ActionUsePortal, s.myRemindersPage)
	s.page("POST /account/reminders", assay.ActionUsePortal, s.saveMyRemindersForm)
	s.page("GET /settings/reminders", assay.ActionManageUsers, s.reminderSettingsPage)
	s.page("POST /settings/reminders", assay.ActionManageUsers, s.saveReminderSettingsForm)
	s.publicPage("GET /unsubscribe", s.unsubscribePage)
	s.publicPage("POST /unsubscribe", s.unsubscribe)
}

// remindersData is the reminders form's data (both pages).
type remindersData struct {
	Admin     bool
	Action    string
	Frequency string // "" follows the organisation (own page)
	Weekday   int    // -1 follows the organisation (own page)
	Hour      int
	Timezone  string
	Wants     map[string]bool
	Kinds     []string
	Titles    map[string]string
	Defaults  assay.DigestSettings
	Schedule  assay.DigestSchedule
	Weekdays  []time.Weekday
	Hours     []int
}

func newRemindersData(admin bool) remindersData {
	d := remindersData{Admin: admin, Kinds: assay.DigestKinds, Titles: assay.DigestKindTitles, Wants: map[string]bool{}, Weekday: -1,
		Action: "/account/reminders"}
	if admin {
		d.Action = "/settings/reminders"
	}
	for w := time.Sunday; w <= time.Saturday; w++ {
		d.Weekdays = append(d.Weekdays, w)
	}
	for h := range 24 {
		d.Hours = append(d.Hours, h)
	}
	return d
}

func (s *Server) myRemindersPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showMyReminders(w, r, p, http.StatusOK, "", "")
}

func (s *Server) showMyReminders(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, flash, errMsg string) error {
	my, err := s.app.MyDigestPrefs(r.Context(), p.App())
	if err != nil {
		return err
	}
	d := newRemindersData(false)
	d.Frequency, d.Defaults, d.Schedule = my.Prefs.Frequency, my.Defaults, my.Schedule
	if my.Prefs.Weekday != nil {
		d.Weekday = int(*my.Prefs.Weekday)
	}
	for _, k := range assay.DigestKinds {
		d.Wants[k] = my.Schedule.Wants(k)
	}
	s.render(w, r, status, "reminders", pageData{Title: "My reminder e-mails", Nav: "account", Flash: flash, Error: errMsg, Data: d})
	return nil
}

// optOutOf is the kinds not ticked on the form.
func optOutOf(r *http.Request) []string {
	out := []string{}
	for _, k := range assay.DigestKinds {
		if !slices.Contains(r.PostForm["want"], k) {
			out = append(out, k)
		}
	}
	return out
}

func (s *Server) saveMyRemindersForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	prefs := assay.DigestPrefs{Frequency: r.PostFormValue("frequency"), OptOut: optOutOf(r)}
	if v := r.PostFormValue("weekday"); v != "" && v != "-1" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return s.showMyReminders(w, r, p, http.StatusBadRequest, "", "Choose a weekday from the list.")
		}
		wd := time.Weekday(n)
		prefs.Weekday = &wd
	}
	if _, err := s.app.UpdateMyDigestPrefs(r.Context(), p.App(), prefs); err != nil {
		if assay.ErrorCode(err) != assay.EINVALID {
			return err
		}
		return s.showMyReminders(w, r, p, http.StatusBadRequest, "", assay.ErrorMessage(err))
	}
	http.Redirect(w, r, "/account/reminders?flash=saved", http.StatusSeeOther)
	return nil
}

func (s *Server) reminderSettingsPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showReminderSettings(w, r, p, http.StatusOK, "", "")
}

func (s *Server) showReminderSettings(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, flash, errMsg string) error {
	set, err := s.app.DigestSettings(r.Context(), p.App())
	if err != nil {
		return err
	}
	d := newRemindersData(true)
	d.Frequency, d.Weekday, d.Hour, d.Timezone, d.Defaults = set.Frequency, int(set.Weekday), set.Hour, set.Timezone, set
	for _, k := range assay.DigestKinds {
		d.Wants[k] = !slices.Contains(set.OptOut, k)
	}
	s.render(w, r, status, "reminders", pageData{Title: "Reminder e-mails", Nav: "settings-reminders", Flash: flash, Error: errMsg, Data: d})
	return nil
}

func (s *Server) saveReminderSettingsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	weekday, err1 := strconv.Atoi(r.PostFormValue("weekday"))
	hour, err2 := strconv.Atoi(r.PostFormValue("hour"))
	if err1 != nil || err2 != nil {
		return s.showReminderSettings(w, r, p, http.StatusBadRequest, "", "Choose a weekday and an hour from the lists.")
	}
	set := assay.DigestSettings{Frequency: r.PostFormValue("frequency"), Weekday: time.Weekday(weekday), Hour: hour,
		Timezone: r.PostFormValue("timezone"), OptOut: optOutOf(r)}
	if _, err := s.app.UpdateDigestSettings(r.Context(), p.App(), set); err != nil {
		if assay.ErrorCode(err) != assay.EINVALID {
			return err
		}
		return s.showReminderSettings(w, r, p, http.StatusBadRequest, "", assay.ErrorMessage(err))
	}
	http.Redirect(w, r, "/settings/reminders?flash=saved", http.StatusSeeOther)
	return nil
}

// unsubscribeData is the unsubscribe page's data.
type unsubscribeData struct {
	Token   string
	Invalid string
	Us      app.Unsubscription
}

// GET /unsubscribe?t=: says what the link would change, and asks.
func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request) error {
	d := unsubscribeData{Token: r.URL.Query().Get("t")}
	us, err := s.app.CheckUnsubscribe(r.Context(), d.Token)
	status := http.StatusOK
	if assay.ErrorCode(err) == assay.EINVALID {
		d.Invalid, status = assay.ErrorMessage(err), http.StatusBadRequest
	} else if err != nil {
		return err
	}
	d.Us = us
	s.render(w, r, status, "unsubscribe", pageData{Title: "Unsubscribe", Data: d})
	return nil
}

// POST /unsubscribe?t=: the page's button, or a mail client's one-click
// request (RFC 8058: body "List-Unsubscribe=One-Click"). The signed token
// is the authority, so no session or CSRF token is asked for.
func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	token := r.URL.Query().Get("t")
	if token == "" {
		token = r.PostFormValue("t")
	}
	d := unsubscribeData{Token: token}
	us, err := s.app.Unsubscribe(r.Context(), token)
	status := http.StatusOK
	if assay.ErrorCode(err) == assay.EINVALID {
		d.Invalid, status = assay.ErrorMessage(err), http.StatusBadRequest
	} else if err != nil {
		return err
	}
	d.Us = us
	s.render(w, r, status, "unsubscribe", pageData{Title: "Unsubscribe", Data: d})
	return nil
}
