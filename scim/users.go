package scim

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay/app"
)

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, sp app.SCIMPrincipal) error {
	users, err := s.app.SCIMUsers(r.Context(), sp)
	if err != nil {
		return err
	}
	groups, err := s.app.SCIMGroups(r.Context(), sp)
	if err != nil {
		return err
	}
	all := make([]map[string]any, 0, len(users))
	for _, u := range users {
		all = append(all, s.userResource(r, u, groups))
	}
	return listResponse(w, r, all)
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request, sp app.SCIMPrincipal) error {
	id, err := resourceID(r, "User")
	if err != nil {
		return err
	}
	u, err := s.app.SCIMUser(r.Context(), sp, id)
	if err != nil {
		return err
	}
	groups, err := s.app.SCIMGroups(r.Context(), sp)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.userResource(r, u, groups))
	return nil
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request, sp app.SCIMPrincipal) error {
	var body map[string]any
	if err := decode(r, &body); err != nil {
		return err
	}
	in, err := userInput(body)
	if err != nil {
		return err
	}
	u, err := s.app.SCIMCreateUser(r.Context(), sp, in)
	if err != nil {
		return err
	}
	res := s.userResource(r, u, nil)
	w.Header().Set("Location", s.location(r, "Users", u.ID))
	writeJSON(w, http.StatusCreated, res)
	return nil
}

func (s *Server) replaceUser(w http.ResponseWriter, r *http.Request, sp app.SCIMPrincipal) error {
	id, err := resourceID(r, "User")
	if err != nil {
		return err
	}
	var body map[string]any
	if err := decode(r, &body); err != nil {
		return err
	}
	in, err := userInput(body)
	if err != nil {
		return err
	}
	u, err := s.app.SCIMUpdateUser(r.Context(), sp, id, in)
	if err != nil {
		return err
	}
	return s.writeUser(w, r, sp, u.ID)
}

func (s *Server) writeUser(w http.ResponseWriter, r *http.Request, sp app.SCIMPrincipal, id int64) error {
	u, err := s.app.SCIMUser(r.Context(), sp, id)
	if err != nil {
		return err
	}
	groups, err := s.app.SCIMGroups(r.Context(), sp)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.userResource(r, u, groups))
	return nil
}

func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request, sp app.SCIMPrincipal) error {
	id, err := resourceID(r, "User")
	if err != nil {
		return err
	}
	if err := s.app.SCIMDeleteUser(r.Context(), sp, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// patchRequest is a PatchOp message (RFC 7644 section 3.5.2).
type patchRequest struct {
	Schemas    []string  `json:"schemas"`
	Operations []patchOp `json:"Operations"`
	Ops        []patchOp `json:"operations"` // some clients write it in lower case
}

type patchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value"`
}

func readPatch(r *http.Request) ([]patchOp, error) {
	var req patchRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	ops := append(req.Operations, req.Ops...)
	if len(ops) == 0 {
		return nil, scimError(http.StatusBadRequest, errSyntax, "A PATCH needs Operations.")
	}
	for i := range ops {
		ops[i].Op = strings.ToLower(strings.TrimSpace(ops[i].Op))
		switch ops[i].Op {
		case "add", "replace", "remove":
		default:
			return nil, scimError(http.StatusBadRequest, errSyntax, "Unknown PATCH op "+ops[i].Op+"; use add, replace or remove.")
		}
	}
	return ops, nil
}

// patchUser applies a PatchOp to a user: Okta's {"op":"replace","value":
// {"active":false}}, Entra's paths (active, emails[type eq "work"].value,
// name.givenName) with "False" as a string, and removes of optional
// attributes.
func (s *Server) patchUser(w http.ResponseWriter, r *http.Request, sp app.SCIMPrincipal) error {
	id, err := resourceID(r, "User")
	if err != nil {
		return err
	}
	ops, err := readPatch(r)
	if err != nil {
		return err
	}
	u, err := s.app.SCIMUser(r.Context(), sp, id)
	if err != nil {
		return err
	}
	in := userFromAssay(u)
	for _, op := range ops {
		if err := applyUserOp(&in, op); err != nil {
			return err
		}
	}
	if _, err := s.app.SCIMUpdateUser(r.Context(), sp, id, in); err != nil {
		return err
	}
	return s.writeUser(w, r, sp, id)
}
