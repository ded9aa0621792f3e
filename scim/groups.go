package scim

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	filter "github.com/scim2/filter-parser/v2"
)

// groupResource is a group as SCIM shows it (RFC 7643 section 4.2).
func (s *Server) groupResource(r *http.Request, g assay.SCIMGroup) map[string]any {
	members := []any{}
	for _, m := range g.Members {
		members = append(members, map[string]any{"value": strconv.FormatInt(m.UserID, 10), "display": m.Display,
			"$ref": s.location(r, "Users", m.UserID), "type": "User"})
	}
	res := map[string]any{
		"schemas":     []string{SchemaGroup},
		"id":          strconv.FormatInt(g.ID, 10),
		"displayName": g.DisplayName,
		"members":     members,
		"meta": map[string]any{
			"resourceType": "Group",
			"created":      g.CreatedAt.UTC().Format(time.RFC3339),
			"lastModified": g.UpdatedAt.UTC().Format(time.RFC3339),
			"location":     s.location(r, "Groups", g.ID),
		},
	}
	if g.ExternalID != "" {
		res["externalId"] = g.ExternalID
	}
	if excluded(r, "members") {
		delete(res, "members")
	}
	return res
}

// excluded reports whether excludedAttributes names attr.
func excluded(r *http.Request, attr string) bool {
	for a := range strings.SplitSeq(r.URL.Query().Get("excludedAttributes"), ",") {
		if strings.EqualFold(strings.TrimSpace(a), attr) {
			return true
		}
	}
	return false
}

func (s *Server) listGroups(w http.ResponseWriter, r *http.Request, sp app.SCIMPrincipal) error {
	groups, err := s.app.SCIMGroups(r.Context(), sp)
	if err != nil {
		return err
	}
	all := make([]map[string]any, 0, len(groups))
	for _, g := range groups {
		all = append(all, s.groupResource(r, g))
	}
	return listResponse(w, r, all)
}

func (s *Server) getGroup(w http.ResponseWriter, r *http.Request, sp app.SCIMPrincipal) error {
	id, err := resourceID(r, "Group")
	if err != nil {
		return err
	}
	g, err := s.app.SCIMGroup(r.Context(), sp, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.groupResource(r, g))
	return nil
}

// groupInput reads a Group resource as a provider sends it.
func groupInput(body map[string]any) (assay.SCIMGroup, error) {
	var g assay.SCIMGroup
	g.DisplayName, _ = get(body, "displayName").(string)
	g.ExternalID, _ = get(body, "externalId").(string)
	members, err := memberList(get(body, "members"))
	if err != nil {
		return g, err
	}
	g.Members = members
	return g, nil
}

// memberList reads [{"value":"12"},…].
func memberList(v any) ([]assay.SCIMMember, error) {
	out := []assay.SCIMMember{}
	for _, item := range asList(v) {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, scimError(http.StatusBadRequest, errValue, `Members are objects like {"value":"12"}.`)
		}
		id, err := strconv.ParseInt(scalar(get(m, "value")), 10, 64)
		if err != nil || id <= 0 {
			return nil, scimError(http.StatusBadRequest, errValue, "A member's value must be the id of a User.")
		}
		out = append(out, assay.SCIMMember{UserID: id})
	}
	return out, nil
}

func (s *Server) createGroup(w http.ResponseWriter, r *http.Request, sp app.SCIMPrincipal) error {
	var body map[string]any
	if err := decode(r, &body); err != nil {
		return err
	}
	g, err := groupInput(body)
	if err != nil {
		return err
	}
	g, err = s.app.SCIMPutGroup(r.Context(), sp, g)
	if err != nil {
		return err
	}
	w.Header().Set("Location", s.location(r, "Groups", g.ID))
	writeJSON(w, http.StatusCreated, s.groupResource(r, g))
	return nil
}

func (s *Server) replaceGroup(w http.ResponseWriter, r *http.Request, sp app.SCIMPrincipal) error {
	id, err := resourceID(r, "Group")
	if err != nil {
		return err
	}
	var body map[string]any
	if err := decode(r, &body); err != nil {
		return err
	}
	g, err := groupInput(body)
	if err != nil {
		return err
	}
	g.ID = id
	g, err = s.app.SCIMPutGroup(r.Context(), sp, g)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.groupResource(r, g))
	return nil
}

func (s *Server) deleteGroup(w http.ResponseWriter, r *http.Request, sp app.SCIMPrincipal) error {
	id, err := resourceID(r, "Group")
	if err != nil {
		return err
	}
	if err := s.app.SCIMDeleteGroup(r.Context(), sp, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// patchGroup applies a PatchOp to a group: a new displayName, and members
// added, removed (members[value eq "12"], or a list) or replaced. It
// answers 204, as Okta and Entra accept.
func (s *Server) patchGroup(w http.ResponseWriter, r *http.Request, sp app.SCIMPrincipal) error {
	id, err := resourceID(r, "Group")
	if err != nil {
		return err
	}
	ops, err := readPatch(r)
	if err != nil {
		return err
	}
	g, err := s.app.SCIMGroup(r.Context(), sp, id)
	if err != nil {
		return err
	}
	for _, op := range ops {
		if err := applyGroupOp(&g, op); err != nil {
			return err
		}
	}
	if _, err := s.app.SCIMPutGroup(r.Context(), sp, g); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func applyGroupOp(g *assay.SCIMGroup, op patchOp) error {
	if op.Path == "" {
		m, ok := op.Value.(map[string]any)
		if !ok || op.Op == "remove" {
			return scimError(http.StatusBadRequest, errNoTarget, "Without a path, add and replace take an object of attributes.")
		}
		for k, v := range m {
			if err := applyGroupOp(g, patchOp{Op: op.Op, Path: k, Value: v}); err != nil {
				return err
			}
		}
		return nil
	}
	path, _ := cutURN(op.Path)
	p, err := filter.ParsePath([]byte(path))
	if err != nil {
		return scimError(http.StatusBadRequest, errPath, "The path "+op.Path+" is not a SCIM path: "+err.Error()+".")
	}
	switch strings.ToLower(p.AttributePath.AttributeName) {
	case "displayname":
		if op.Op == "remove" {
			return scimError(http.StatusBadRequest, errMutability, "displayName is required.")
		}
		s, ok := op.Value.(string)
		if !ok {
			return scimError(http.StatusBadRequest, errValue, "displayName must be a string.")
		}
		g.DisplayName = s
	case "externalid":
		s, _ := op.Value.(string)
		g.ExternalID = s
	case "members":
		var listed []assay.SCIMMember
		if op.Value != nil {
			if listed, err = memberList(op.Value); err != nil {
				return err
			}
		}
		if p.ValueExpression != nil {
			for _, m := range g.Members {
				if matches(p.ValueExpression, map[string]any{"value": strconv.FormatInt(m.UserID, 10)}) {
					listed = append(listed, m)
				}
			}
		}
		switch op.Op {
		case "add":
			g.Members = append(g.Members, listed...)
		case "replace":
			g.Members = listed
		case "remove":
			if op.Value == nil && p.ValueExpression == nil {
				g.Members = nil
				break
			}
			g.Members = slices.DeleteFunc(g.Members, func(m assay.SCIMMember) bool {
				return slices.ContainsFunc(listed, func(l assay.SCIMMember) bool { return l.UserID == m.UserID })
			})
		}
	case "id":
		// Okta sends the id back with displayName; it cannot change.
	default:
		return scimError(http.StatusBadRequest, errPath, "Groups have displayName, externalId and members; "+op.Path+" is none of them.")
	}
	return nil
}
