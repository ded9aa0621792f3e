package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/assay-platform/assay"
)

// SCIMGroups lists the groups, with members and mapped roles, by id.
func (s *orgStore) SCIMGroups(ctx context.Context) ([]assay.SCIMGroup, error) {
	var out []assay.SCIMGroup
	err := s.db.update(ctx, func(tx *Tx) error { // a consistent read of groups and members
		var err error
		out, err = tx.scimGroups(s.orgID, 0)
		return err
	})
	return out, err
}

// SCIMGroup is one group.
func (s *orgStore) SCIMGroup(ctx context.Context, id int64) (assay.SCIMGroup, error) {
	var g assay.SCIMGroup
	err := s.db.update(ctx, func(tx *Tx) error {
		list, err := tx.scimGroups(s.orgID, id)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return assay.Errorf(assay.ENOTFOUND, "Group %d not found.", id)
		}
		g = list[0]
		return nil
	})
	return g, err
}

func (tx *Tx) scimGroups(orgID, only int64) ([]assay.SCIMGroup, error) {
	rows, err := tx.query(`SELECT g.id, g.display_name, g.external_id, g.created_at, g.updated_at, r.role FROM scim_groups g
		LEFT JOIN scim_group_roles r ON r.org_id = g.org_id AND r.display_name = g.display_name
		WHERE g.org_id = ? AND (? = 0 OR g.id = ?) ORDER BY g.id`, orgID, only, only)
	if err != nil {
		return nil, fmt.Errorf("scim groups: %w", err)
	}
	out := []assay.SCIMGroup{}
	byID := map[int64]int{}
	for rows.Next() {
		var g assay.SCIMGroup
		var ext, role sql.NullString
		var created, updated string
		if err := rows.Scan(&g.ID, &g.DisplayName, &ext, &created, &updated, &role); err != nil {
			rows.Close()
			return nil, err
		}
		g.ExternalID, g.Role, g.Members = ext.String, assay.Role(role.String), []assay.SCIMMember{}
		if g.CreatedAt, err = parseTime(created); err != nil {
			rows.Close()
			return nil, err
		}
		if g.UpdatedAt, err = parseTime(updated); err != nil {
			rows.Close()
			return nil, err
		}
		byID[g.ID] = len(out)
		out = append(out, g)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	rows, err = tx.query(`SELECT m.group_id, u.id, u.name FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id
		JOIN users u ON u.id = m.user_id WHERE g.org_id = ? AND (? = 0 OR g.id = ?) ORDER BY m.group_id, u.id`, orgID, only, only)
	if err != nil {
		return nil, fmt.Errorf("scim group members: %w", err)
	}
	for rows.Next() {
		var gid int64
		var m assay.SCIMMember
		if err := rows.Scan(&gid, &m.UserID, &m.Display); err != nil {
			rows.Close()
			return nil, err
		}
		if i, ok := byID[gid]; ok {
			out[i].Members = append(out[i].Members, m)
		}
	}
	return out, closeRows(rows)
}

// PutSCIMGroup creates (ID 0) or replaces a group and its members.
func (s *orgStore) PutSCIMGroup(ctx context.Context, actor assay.Actor, g assay.SCIMGroup) (assay.SCIMGroup, error) {
	g.DisplayName = strings.TrimSpace(g.DisplayName)
	g.ExternalID = strings.TrimSpace(g.ExternalID)
	if g.DisplayName == "" {
		return g, assay.Invalid("displayName", "displayName is required.")
	}
	if len(g.DisplayName) > assay.MaxNameLen || len(g.ExternalID) > 255 {
		return g, assay.Invalid("displayName", "displayName or externalId is too long.")
	}
	var out assay.SCIMGroup
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		var before []int64
		action, verb := "scim.group_create", "created"
		if g.ID == 0 {
			err := tx.queryRow(`INSERT INTO scim_groups (org_id, display_name, external_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
				s.orgID, g.DisplayName, nullString(g.ExternalID), formatTime(tx.now), formatTime(tx.now)).Scan(&g.ID)
			if err != nil {
				if assay.ErrorCode(tx.db.dialect.MapError(err)) == assay.ECONFLICT {
					return assay.Errorf(assay.ECONFLICT, "A group named %q already exists.", g.DisplayName)
				}
				return fmt.Errorf("create group: %w", err)
			}
		} else {
			action, verb = "scim.group_update", "updated"
			old, err := tx.scimGroups(s.orgID, g.ID)
			if err != nil {
				return err
			}
			if len(old) == 0 {
				return assay.Errorf(assay.ENOTFOUND, "Group %d not found.", g.ID)
			}
			for _, m := range old[0].Members {
				before = append(before, m.UserID)
			}
			_, err = tx.exec(`UPDATE scim_groups SET display_name = ?, external_id = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
				g.DisplayName, nullString(g.ExternalID), formatTime(tx.now), s.orgID, g.ID)
			if err != nil {
				if assay.ErrorCode(tx.db.dialect.MapError(err)) == assay.ECONFLICT {
					return assay.Errorf(assay.ECONFLICT, "A group named %q already exists.", g.DisplayName)
				}
				return fmt.Errorf("update group: %w", err)
			}
			if _, err := tx.exec(`DELETE FROM scim_group_members WHERE group_id = ?`, g.ID); err != nil {
				return fmt.Errorf("update group: %w", err)
			}
		}
		var members []int64
		for _, m := range g.Members {
			if slices.Contains(members, m.UserID) {
				continue // an identity provider may repeat a member
			}
			if _, err := tx.scimUser(s.orgID, m.UserID); err != nil {
				return assay.Invalid("members", "Member %d is not a user of this organisation.", m.UserID)
			}
			if _, err := tx.exec(`INSERT INTO scim_group_members (group_id, user_id) VALUES (?, ?)`, g.ID, m.UserID); err != nil {
				return fmt.Errorf("add member: %w", err)
			}
			members = append(members, m.UserID)
		}
		list, err := tx.scimGroups(s.orgID, g.ID)
		if err != nil {
			return err
		}
		out = list[0]
		if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: action, objectType: "scim_group", objectID: fmt.Sprint(g.ID),
			summary: fmt.Sprintf("SCIM %s group %q (%d members)", verb, out.DisplayName, len(out.Members)), after: out}); err != nil {
			return err
		}
		return tx.applyGroupRoles(s.orgID, actor, append(before, members...))
	})
	return out, err
}

// DeleteSCIMGroup removes a group; its members' roles follow their other groups.
func (s *orgStore) DeleteSCIMGroup(ctx context.Context, actor assay.Actor, id int64) error {
	return s.db.update(ctx, func(tx *Tx) error {
		old, err := tx.scimGroups(s.orgID, id)
		if err != nil {
			return err
		}
		if len(old) == 0 {
			return assay.Errorf(assay.ENOTFOUND, "Group %d not found.", id)
		}
		if _, err := tx.exec(`DELETE FROM scim_group_members WHERE group_id = ?`, id); err != nil {
			return fmt.Errorf("delete group: %w", err)
		}
		if _, err := tx.exec(`DELETE FROM scim_groups WHERE org_id = ? AND id = ?`, s.orgID, id); err != nil {
			return fmt.Errorf("delete group: %w", err)
		}
		if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: "scim.group_delete", objectType: "scim_group", objectID: fmt.Sprint(id),
			summary: fmt.Sprintf("SCIM deleted group %q", old[0].DisplayName), before: old[0]}); err != nil {
			return err
		}
		var members []int64
		for _, m := range old[0].Members {
			members = append(members, m.UserID)
		}
		return tx.applyGroupRoles(s.orgID, actor, members)
	})
}

// SCIMGroupRoles lists the admin's group-to-role mapping.
func (s *orgStore) SCIMGroupRoles(ctx context.Context) ([]assay.SCIMGroupRole, error) {
	rows, err := s.db.query(ctx, `SELECT display_name, role FROM scim_group_roles WHERE org_id = ? ORDER BY display_name`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("group roles: %w", err)
	}
	defer rows.Close()
	out := []assay.SCIMGroupRole{}
	for rows.Next() {
		var m assay.SCIMGroupRole
		if err := rows.Scan(&m.DisplayName, &m.Role); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// SetSCIMGroupRole maps a group name to a role, or removes the mapping.
func (s *orgStore) SetSCIMGroupRole(ctx context.Context, actor assay.Actor, m assay.SCIMGroupRole) error {
	m.DisplayName = strings.TrimSpace(m.DisplayName)
	if m.DisplayName == "" || len(m.DisplayName) > assay.MaxNameLen {
		return assay.Invalid("group", "Name the group as the identity provider sends it (its displayName).")
	}
	if m.Role != "" && !m.Role.Valid() {
		return assay.Invalid("role", "Unknown role %q; use admin, member, auditor, viewer or employee.", m.Role)
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		if _, err := tx.exec(`DELETE FROM scim_group_roles WHERE org_id = ? AND display_name = ?`, s.orgID, m.DisplayName); err != nil {
			return fmt.Errorf("group role: %w", err)
		}
		summary := fmt.Sprintf("Unmapped SCIM group %q", m.DisplayName)
		if m.Role != "" {
			if _, err := tx.exec(`INSERT INTO scim_group_roles (org_id, display_name, role) VALUES (?, ?, ?)`, s.orgID, m.DisplayName, string(m.Role)); err != nil {
				return fmt.Errorf("group role: %w", err)
			}
			summary = fmt.Sprintf("Mapped SCIM group %q to the role %s", m.DisplayName, m.Role)
		}
		if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: "scim.group_role", objectType: "organization", objectID: fmt.Sprint(s.orgID),
			summary: summary, after: m}); err != nil {
			return err
		}
		rows, err := tx.query(`SELECT m.user_id FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id
			WHERE g.org_id = ? AND g.display_name = ? ORDER BY m.user_id`, s.orgID, m.DisplayName)
		if err != nil {
			return fmt.Errorf("group role: %w", err)
		}
		var members []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			members = append(members, id)
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		return tx.applyGroupRoles(s.orgID, actor, members)
	})
}

// applyGroupRoles gives each user the highest role of their mapped groups.
// A user in no mapped group keeps the role they have.
func (tx *Tx) applyGroupRoles(orgID int64, actor assay.Actor, userIDs []int64) error {
	slices.Sort(userIDs)
	userIDs = slices.Compact(userIDs)
	for _, id := range userIDs {
		var best assay.Role
		rows, err := tx.query(`SELECT r.role FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id
			JOIN scim_group_roles r ON r.org_id = g.org_id AND r.display_name = g.display_name WHERE g.org_id = ? AND m.user_id = ?`, orgID, id)
		if err != nil {
			return fmt.Errorf("group roles: %w", err)
		}
		for rows.Next() {
			var r assay.Role
			if err := rows.Scan(&r); err != nil {
				rows.Close()
				return err
			}
			if assay.RoleRank(r) > assay.RoleRank(best) {
				best = r
			}
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		u, err := tx.user(orgID, id)
		if errors.Is(err, sql.ErrNoRows) || assay.ErrorCode(err) == assay.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		if best == "" || best == u.Role || u.EngagementID != 0 {
			continue
		}
		if u.Role == assay.RoleAdmin && !u.Disabled {
			if err := tx.keepOneAdmin(orgID, id); err != nil {
				return err
			}
		}
		if _, err := tx.exec(`UPDATE users SET role = ? WHERE org_id = ? AND id = ?`, string(best), orgID, id); err != nil {
			return fmt.Errorf("group role: %w", err)
		}
		after := u
		after.Role = best
		if _, err := tx.appendActivity(actor, change{orgID: orgID, action: assay.EventSCIMChange, objectType: "user", objectID: fmt.Sprint(id),
			summary: fmt.Sprintf("SCIM group membership changed %s's role from %s to %s", u.Name, u.Role, best), before: u, after: after}); err != nil {
			return err
		}
	}
	return nil
}
