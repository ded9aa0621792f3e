package web

import (
	"fmt"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// navLink is one entry of the sidebar: where it leads, and the route and
// action that decide whether the person may open it (httpkit.MayReach), so
// the sidebar offers nothing that answers 403 or 404.
type navLink struct {
	Href, Label, Key, Icon string
	pattern                string
	action                 assay.Action
}

// navGroup is a headed group of links.
type navGroup struct {
	Heading string
	Links   []navLink
}

var navGroups = []navGroup{
	{"Me", []navLink{{"/portal", "My tasks", "portal", "check", "GET /portal", assay.ActionUsePortal}}},
	{"Program", []navLink{
		{"/", "Dashboard", "dashboard", "dashboard", "GET /{$}", assay.ActionRead},
		{"/controls", "Controls", "controls", "controls", "GET /controls", assay.ActionRead},
		{"/evidence", "Evidence", "evidence", "evidence", "GET /evidence", assay.ActionRead},
		{"/criteria", "Criteria", "criteria", "criteria", "GET /criteria", assay.ActionRead},
		{"/scope", "Scope", "scope", "scope", "GET /scope", assay.ActionRead},
		{"/audits", "Audits", "audits", "check", "GET /audits", assay.ActionRead},
		{"/risks", "Risks", "risks", "scope", "GET /risks", assay.ActionRead},
		{"/vendors", "Vendors", "vendors", "users", "GET /vendors", assay.ActionRead},
		{"/incidents", "Incidents", "incidents", "alert", "GET /incidents", assay.ActionRead},
		{"/corrective-actions", "Corrective actions", "corrective", "check", "GET /corrective-actions", assay.ActionRead},
		{"/people", "People", "people", "users", "GET /people", assay.ActionReadPeople},
		{"/training", "Training", "training", "check", "GET /training", assay.ActionReadPeople},
		{"/policies", "Policies", "policies", "evidence", "GET /policies", assay.ActionRead},
		{"/monitoring", "Monitoring", "monitoring", "activity", "GET /monitoring", assay.ActionRead},
		{"/availability", "Availability", "availability", "activity", "GET /availability", assay.ActionRead},
		{"/access-reviews", "Access reviews", "access", "key", "GET /access-reviews", assay.ActionReadPeople},
		{"/upcoming", "Upcoming", "upcoming", "check", "GET /upcoming", assay.ActionRead},
	}},
	{"Records", []navLink{
		{"/activity", "Activity", "activity", "activity", "GET /activity", assay.ActionReadActivity},
		{"/exports", "Exports", "exports", "activity", "GET /exports", assay.ActionExport},
	}},
	{"Settings", []navLink{
		{"/settings/users", "Users", "users", "users", "GET /settings/users", assay.ActionManageUsers},
		{"/settings/tokens", "API tokens", "tokens", "key", "GET /settings/tokens", assay.ActionManageUsers},
		{"/settings/scim", "SCIM provisioning", "settings-scim", "key", "GET /settings/scim", assay.ActionManageUsers},
		{"/settings/mfa", "Two-step sign-in", "settings-mfa", "lock", "GET /settings/mfa", assay.ActionManageUsers},
		{"/settings/reminders", "Reminder e-mails", "settings-reminders", "alert", "GET /settings/reminders", assay.ActionManageUsers},
		{"/settings/sso", "Single sign-on", "settings-sso", "lock", "GET /settings/sso", assay.ActionManageUsers},
		{"/settings/alerts", "Alerts", "alerts", "alert", "GET /settings/alerts", assay.ActionManageMonitoring},
		{"/settings/trust", "Trust center", "trust", "check", "GET /settings/trust", assay.ActionManageTrust},
	}},
}

// sidebar is the navigation for u: employees see their tasks; everyone
// else the program's pages they may open, without "My tasks" (reached
// from the dashboard); an auditor invited for one engagement starts at
// their engagement, which stands in for the dashboard and the audit list.
func sidebar(u *assay.User) []navGroup {
	if u == nil {
		return nil
	}
	var out []navGroup
	for _, g := range navGroups {
		if (g.Heading == "Me") != (u.Role == assay.RoleEmployee) {
			continue
		}
		var links []navLink
		for _, l := range g.Links {
			if !httpkit.MayReach(*u, l.action, l.pattern) {
				continue
			}
			if u.EngagementLimited() {
				switch l.Key {
				case "dashboard":
					continue
				case "audits":
					l.Href, l.Label = fmt.Sprintf("/audits/%d", u.EngagementID), "Engagement"
				}
			}
			links = append(links, l)
		}
		if len(links) > 0 {
			out = append(out, navGroup{g.Heading, links})
		}
	}
	return out
}

// homeHref is where "home" leads u: their tasks, their engagement, or the
// dashboard.
func homeHref(u *assay.User) string {
	switch {
	case u == nil:
		return "/login"
	case u.Role == assay.RoleEmployee:
		return "/portal"
	case u.EngagementLimited():
		return fmt.Sprintf("/audits/%d", u.EngagementID)
	}
	return "/"
}
