package googleworkspace

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	admin "google.golang.org/api/admin/directory/v1"
	"google.golang.org/api/googleapi"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor/collect/apiclient"
)

// Permissions each read needs.
const (
	permUsers = "the scope " + admin.AdminDirectoryUserReadonlyScope + " delegated to the service account, acting as an administrator with the Users → Read privilege"
	permRoles = "the scope " + admin.AdminDirectoryRolemanagementReadonlyScope + " delegated to the service account, acting as an administrator with the Roles → Read privilege (Admin roles)"
)

// pageSize is the most users the Directory API serves a page.
const pageSize = 500

// never is how the Directory API writes "has not signed in".
var never = time.Unix(0, 0).UTC()

func collect(ctx context.Context, svc *admin.Service, customer string, now time.Time) ([]assay.Resource, error) {
	var roles []*admin.Role
	if err := svc.Roles.List(customer).Pages(ctx, func(p *admin.Roles) error {
		roles = append(roles, p.Items...)
		return nil
	}); err != nil {
		return nil, apiError("GET roles", err, permRoles)
	}
	var assignments []*admin.RoleAssignment
	if err := svc.RoleAssignments.List(customer).Pages(ctx, func(p *admin.RoleAssignments) error {
		assignments = append(assignments, p.Items...)
		return nil
	}); err != nil {
		return nil, apiError("GET roleassignments", err, permRoles)
	}
	roleName := map[int64]*admin.Role{}
	for _, r := range roles {
		roleName[r.RoleId] = r
	}
	held := map[string][]string{} // user id → role names
	members := map[int64]map[string]bool{}
	for _, a := range assignments {
		if a.AssigneeType != "" && a.AssigneeType != "user" {
			continue
		}
		r := roleName[a.RoleId]
		name := strconv.FormatInt(a.RoleId, 10)
		if r != nil {
			name = r.RoleName
		}
		if !slices.Contains(held[a.AssignedTo], name) {
			held[a.AssignedTo] = append(held[a.AssignedTo], name)
		}
		if members[a.RoleId] == nil {
			members[a.RoleId] = map[string]bool{}
		}
		members[a.RoleId][a.AssignedTo] = true
	}
	var out []assay.Resource
	seen := map[string]bool{}
	activeByID := map[string]bool{}
	err := svc.Users.List().Customer(customer).MaxResults(pageSize).OrderBy("email").Pages(ctx, func(p *admin.Users) error {
		for _, u := range p.Users {
			if u == nil || seen[u.Id] {
				continue // a user repeated across pages is counted once
			}
			seen[u.Id] = true
			r := userResource(u, held[u.Id], now)
			activeByID[u.Id] = r.Attrs["active"] == true
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, apiError("GET users", err, permUsers)
	}
	for _, r := range roles {
		active := int64(0)
		for id := range members[r.RoleId] {
			if activeByID[id] {
				active++
			}
		}
		out = append(out, assay.Resource{Kind: KindRole, ID: strconv.FormatInt(r.RoleId, 10), Name: r.RoleName, Attrs: map[string]any{
			"name":           r.RoleName,
			"super_admin":    r.IsSuperAdminRole,
			"system":         r.IsSystemRole,
			"members":        int64(len(members[r.RoleId])),
			"active_members": active,
		}})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

func userResource(u *admin.User, roles []string, now time.Time) assay.Resource {
	email := strings.ToLower(u.PrimaryEmail)
	// A time after now (a clock behind the directory's) counts as today.
	days := func(t time.Time) int64 { return max(int64(now.Sub(t)/(24*time.Hour)), 0) }
	created, _ := time.Parse(time.RFC3339, u.CreationTime)
	last, err := time.Parse(time.RFC3339, u.LastLoginTime)
	neverIn := err != nil || !last.After(never)
	lastDays, createdDays := int64(0), int64(0)
	if !created.IsZero() {
		createdDays = days(created)
	}
	if neverIn {
		lastDays = createdDays
	} else {
		lastDays = days(last)
	}
	held := []any{}
	for _, r := range roles {
		held = append(held, r)
	}
	if u.IsAdmin && len(roles) == 0 {
		held = append(held, "Super Admin")
	}
	status := "active"
	switch {
	case u.Archived:
		status = "archived"
	case u.Suspended:
		status = "suspended"
	}
	return assay.Resource{Kind: KindUser, ID: email, Name: email, Attrs: map[string]any{
		"email":           email,
		"status":          status,
		"active":          status == "active",
		"super_admin":     u.IsAdmin,
		"admin":           u.IsAdmin || u.IsDelegatedAdmin || len(roles) > 0,
		"roles":           held,
		"enrolled_2sv":    u.IsEnrolledIn2Sv,
		"enforced_2sv":    u.IsEnforcedIn2Sv,
		"last_login_days": lastDays,
		"never_logged_in": neverIn,
		"created_days":    createdDays,
	}}
}

// apiError turns the SDK's error into one that names what was refused and
// the permission it needs; every such error marks the run partial.
func apiError(what string, err error, perm string) error {
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		return fmt.Errorf("%w: %s: %w", apiclient.ErrPartial, what, err)
	}
	reason := ""
	if len(ge.Errors) > 0 {
		reason = ge.Errors[0].Reason
	}
	switch ge.Code {
	case 401:
		return fmt.Errorf("%w: %s: Google refused the access token (401 %s); check the service account key", apiclient.ErrPartial, what, ge.Message)
	case 403, 404:
		return fmt.Errorf("%w: %s: Google answered %d (%s %s); the collector needs %s", apiclient.ErrPartial, what, ge.Code, reason, ge.Message, perm)
	case 429:
		return fmt.Errorf("%w: %s: Google's quota was still exceeded after waiting (%s)", apiclient.ErrPartial, what, ge.Message)
	}
	return fmt.Errorf("%w: %s: Google answered %d (%s %s)", apiclient.ErrPartial, what, ge.Code, reason, ge.Message)
}
