package entra

import (
	"context"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// user is the part of Graph's user resource the checks read.
type user struct {
	ID                string     `json:"id"`
	UserPrincipalName string     `json:"userPrincipalName"`
	Mail              string     `json:"mail"`
	AccountEnabled    bool       `json:"accountEnabled"`
	UserType          string     `json:"userType"`
	Created           *time.Time `json:"createdDateTime"`
	SignInActivity    *struct {
		LastSignIn *time.Time `json:"lastSignInDateTime"`
	} `json:"signInActivity"`
}

// registration is a userRegistrationDetails entry.
type registration struct {
	ID              string   `json:"id"`
	IsMfaRegistered bool     `json:"isMfaRegistered"`
	IsMfaCapable    bool     `json:"isMfaCapable"`
	Methods         []string `json:"methodsRegistered"`
}

type directoryRole struct {
	ID             string `json:"id"`
	DisplayName    string `json:"displayName"`
	RoleTemplateID string `json:"roleTemplateId"`
}

type member struct {
	Type string `json:"@odata.type"`
	ID   string `json:"id"`
}

// globalAdminTemplate is the Global Administrator role's template id, the
// same in every tenant.
const globalAdminTemplate = "62e90394-69f5-4237-9190-012177145e10"

const (
	permUsers = "User.Read.All and AuditLog.Read.All (sign-in activity; it needs a Microsoft Entra ID P1 or P2 licence)"
	permMFA   = "AuditLog.Read.All (the authentication methods registration report; Entra ID P1 or P2)"
	permRoles = "RoleManagement.Read.Directory"
)

func collect(ctx context.Context, c *client, now time.Time) ([]assay.Resource, error) {
	var users []user
	seen := map[string]bool{}
	q := url.Values{"$select": {"id,userPrincipalName,mail,accountEnabled,userType,createdDateTime,signInActivity"}, "$top": {"999"}}
	if err := each(ctx, c, "/users?"+q.Encode(), permUsers, func(u user) {
		if !seen[u.ID] { // a user repeated across pages is counted once
			seen[u.ID] = true
			users = append(users, u)
		}
	}); err != nil {
		return nil, err
	}
	regs := map[string]registration{}
	if err := each(ctx, c, "/reports/authenticationMethods/userRegistrationDetails", permMFA, func(r registration) { regs[r.ID] = r }); err != nil {
		return nil, err
	}
	var roles []directoryRole
	if err := each(ctx, c, "/directoryRoles", permRoles, func(r directoryRole) { roles = append(roles, r) }); err != nil {
		return nil, err
	}
	enabled := map[string]bool{}
	for _, u := range users {
		enabled[u.ID] = u.AccountEnabled
	}
	held := map[string][]any{}
	var out []assay.Resource
	for _, r := range roles {
		var members, active int64
		err := each(ctx, c, "/directoryRoles/"+url.PathEscape(r.ID)+"/members?$select=id", permRoles, func(m member) {
			if m.Type != "" && m.Type != "#microsoft.graph.user" {
				return // service principals and groups are not people
			}
			members++
			if enabled[m.ID] {
				active++
			}
			held[m.ID] = append(held[m.ID], r.DisplayName)
		})
		if err != nil {
			return nil, err
		}
		out = append(out, assay.Resource{Kind: KindRole, ID: r.ID, Name: r.DisplayName, Attrs: map[string]any{
			"name":           r.DisplayName,
			"global_admin":   r.RoleTemplateID == globalAdminTemplate,
			"members":        members,
			"active_members": active,
		}})
	}
	// A time after now (a clock behind the directory's) counts as today.
	days := func(t time.Time) int64 { return max(int64(now.Sub(t)/(24*time.Hour)), 0) }
	for _, u := range users {
		login := strings.ToLower(u.UserPrincipalName)
		if login == "" {
			login = u.ID
		}
		reg, known := regs[u.ID]
		methods := []any{}
		for _, m := range reg.Methods {
			methods = append(methods, m)
		}
		roles := held[u.ID]
		if roles == nil {
			roles = []any{}
		}
		created := int64(0)
		if u.Created != nil {
			created = days(*u.Created)
		}
		last, never := created, true
		if u.SignInActivity != nil && u.SignInActivity.LastSignIn != nil {
			last, never = days(*u.SignInActivity.LastSignIn), false
		}
		status := "disabled"
		if u.AccountEnabled {
			status = "enabled"
		}
		out = append(out, assay.Resource{Kind: KindUser, ID: login, Name: login, Attrs: map[string]any{
			"login":           login,
			"email":           strings.ToLower(u.Mail),
			"status":          status,
			"active":          u.AccountEnabled,
			"guest":           strings.EqualFold(u.UserType, "Guest"),
			"roles":           roles,
			"admin":           len(roles) > 0,
			"mfa_registered":  known && reg.IsMfaRegistered,
			"mfa_capable":     known && reg.IsMfaCapable,
			"methods":         methods,
			"last_login_days": last,
			"never_logged_in": never,
			"created_days":    created,
		}})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].ID < out[j].ID
	})
	return slices.Clip(out), nil
}
