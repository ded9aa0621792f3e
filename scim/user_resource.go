package scim

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// userResource is a user as SCIM shows it (RFC 7643 section 4.1).
func (s *Server) userResource(r *http.Request, u assay.User, groups []assay.SCIMGroup) map[string]any {
	given, family := u.GivenName, u.FamilyName
	if given == "" && family == "" {
		// A user added in Assay has one name: its last word is taken for
		// the family name, as providers expect both.
		if i := strings.LastIndex(strings.TrimSpace(u.Name), " "); i > 0 && !strings.Contains(u.Name, "@") {
			given, family = strings.TrimSpace(u.Name[:i]), strings.TrimSpace(u.Name[i+1:])
		}
	}
	name := map[string]any{"formatted": u.Name}
	if given != "" {
		name["givenName"] = given
	}
	if family != "" {
		name["familyName"] = family
	}
	modified := u.CreatedAt
	if u.DeactivatedAt != nil && u.DeactivatedAt.After(modified) {
		modified = *u.DeactivatedAt
	}
	res := map[string]any{
		"schemas":     []string{SchemaUser},
		"id":          strconv.FormatInt(u.ID, 10),
		"userName":    u.Email,
		"name":        name,
		"displayName": u.Name,
		"emails":      []any{map[string]any{"value": u.Email, "type": "work", "primary": true}},
		"active":      !u.Disabled,
		"meta": map[string]any{
			"resourceType": "User",
			"created":      u.CreatedAt.UTC().Format(time.RFC3339),
			"lastModified": modified.UTC().Format(time.RFC3339),
			"location":     s.location(r, "Users", u.ID),
		},
	}
	if u.ExternalID != "" {
		res["externalId"] = u.ExternalID
	}
	member := []any{}
	for _, g := range groups {
		for _, m := range g.Members {
			if m.UserID == u.ID {
				member = append(member, map[string]any{"value": strconv.FormatInt(g.ID, 10), "display": g.DisplayName,
					"$ref": s.location(r, "Groups", g.ID)})
			}
		}
	}
	res["groups"] = member
	return res
}

// userInput reads a User resource as a provider sends it on POST and PUT.
// Attributes Assay does not keep (phone numbers, titles, the enterprise
// extension) are accepted and ignored, as RFC 7644 allows.
func userInput(body map[string]any) (assay.SCIMUser, error) {
	in := assay.SCIMUser{Active: true}
	for k, v := range body {
		if err := setUserAttr(&in, k, "", v); err != nil {
			return in, err
		}
	}
	if strings.TrimSpace(in.UserName) == "" {
		return in, scimError(http.StatusBadRequest, errValue, "userName is required.")
	}
	return in, nil
}

// userFromAssay is the SCIM input that leaves u as it is.
func userFromAssay(u assay.User) assay.SCIMUser {
	return assay.SCIMUser{UserName: u.Email, ExternalID: u.ExternalID, GivenName: u.GivenName, FamilyName: u.FamilyName,
		Formatted: u.Name, Email: u.Email, Active: !u.Disabled}
}

// setUserAttr sets one attribute (with an optional sub-attribute) from a
// JSON value. A URN prefix of the core User schema is dropped; other
// schemas' attributes are ignored.
func setUserAttr(in *assay.SCIMUser, attr, sub string, v any) error {
	attr = strings.TrimSpace(attr)
	if rest, ok := cutURN(attr); ok {
		attr = rest
	} else if strings.HasPrefix(strings.ToLower(attr), "urn:") {
		return nil // an extension's attribute (enterprise: department, manager…)
	}
	if a, b, ok := strings.Cut(attr, "."); ok && sub == "" {
		attr, sub = a, b
	}
	str := func(field string) (string, error) {
		if v == nil {
			return "", nil
		}
		s, ok := v.(string)
		if !ok {
			return "", scimError(http.StatusBadRequest, errValue, field+" must be a string.")
		}
		return s, nil
	}
	var err error
	switch strings.ToLower(attr) {
	case "username":
		in.UserName, err = str("userName")
	case "externalid":
		in.ExternalID, err = str("externalId")
	case "displayname":
		in.Formatted, err = str("displayName")
	case "active":
		b, ok := boolValue(v)
		if !ok {
			return scimError(http.StatusBadRequest, errValue, "active must be true or false.")
		}
		in.Active = b
	case "name":
		if sub != "" {
			return setNamePart(in, sub, v)
		}
		m, ok := v.(map[string]any)
		if !ok && v != nil {
			return scimError(http.StatusBadRequest, errValue, "name must be an object.")
		}
		in.GivenName, in.FamilyName = "", ""
		for k, pv := range m {
			if err := setNamePart(in, k, pv); err != nil {
				return err
			}
		}
	case "emails":
		if sub != "" && !strings.EqualFold(sub, "value") {
			return nil // type and primary of the one email Assay keeps
		}
		in.Email = pickEmail(v)
	}
	return err
}

func setNamePart(in *assay.SCIMUser, part string, v any) error {
	s, ok := v.(string)
	if !ok && v != nil {
		return scimError(http.StatusBadRequest, errValue, "name."+part+" must be a string.")
	}
	switch strings.ToLower(part) {
	case "givenname":
		in.GivenName = s
	case "familyname":
		in.FamilyName = s
	case "formatted":
		in.Formatted = s
	}
	return nil
}

// pickEmail chooses the address Assay keeps: the work one, else the
// primary one, else the first.
func pickEmail(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	var first, primary, work string
	for _, item := range asList(v) {
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		val, _ := get(m, "value").(string)
		if val == "" {
			continue
		}
		if first == "" {
			first = val
		}
		if t, _ := get(m, "type").(string); strings.EqualFold(t, "work") && work == "" {
			work = val
		}
		if p, _ := boolValue(get(m, "primary")); p && primary == "" {
			primary = val
		}
	}
	for _, e := range []string{work, primary, first} {
		if e != "" {
			return e
		}
	}
	return ""
}

// cutURN drops the core User or Group schema's URN from an attribute path.
func cutURN(attr string) (string, bool) {
	for _, urn := range []string{SchemaUser, SchemaGroup} {
		if len(attr) > len(urn) && strings.EqualFold(attr[:len(urn)], urn) && attr[len(urn)] == ':' {
			return attr[len(urn)+1:], true
		}
	}
	return attr, false
}
