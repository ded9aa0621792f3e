package scim

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay/app"
)

// The discovery resources (RFC 7644 section 4, RFC 7643 sections 5 to 7):
// what this server supports, its resource types and their schemas.

func (s *Server) serviceProviderConfig(w http.ResponseWriter, r *http.Request, _ app.SCIMPrincipal) error {
	writeJSON(w, http.StatusOK, map[string]any{
		"schemas":          []string{SchemaSPConfig},
		"documentationUri": "https://github.com/assay-platform/assay#scim-provisioning",
		"patch":            map[string]any{"supported": true},
		"bulk":             map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":           map[string]any{"supported": true, "maxResults": maxCount},
		"changePassword":   map[string]any{"supported": false},
		"sort":             map[string]any{"supported": false},
		"etag":             map[string]any{"supported": false},
		"authenticationSchemes": []any{map[string]any{
			"type": "oauthbearertoken", "name": "Bearer token", "primary": true,
			"description": "The organisation's SCIM token, made by an admin in Settings → SCIM or with `assay scim token`.",
		}},
		"meta": map[string]any{"resourceType": "ServiceProviderConfig", "location": s.discoveryLocation(r, "ServiceProviderConfig")},
	})
	return nil
}

func (s *Server) discoveryLocation(r *http.Request, name string) string {
	loc := s.location(r, name, 0)
	return strings.TrimSuffix(loc, "/0")
}

func (s *Server) resourceTypeList(r *http.Request) []map[string]any {
	return []map[string]any{
		{"schemas": []string{SchemaResType}, "id": "User", "name": "User", "endpoint": "/Users", "description": "A person who signs in to Assay",
			"schema": SchemaUser, "schemaExtensions": []any{},
			"meta": map[string]any{"resourceType": "ResourceType", "location": s.discoveryLocation(r, "ResourceTypes") + "/User"}},
		{"schemas": []string{SchemaResType}, "id": "Group", "name": "Group", "endpoint": "/Groups", "description": "A group an admin may map to an Assay role",
			"schema": SchemaGroup, "schemaExtensions": []any{},
			"meta": map[string]any{"resourceType": "ResourceType", "location": s.discoveryLocation(r, "ResourceTypes") + "/Group"}},
	}
}

func (s *Server) resourceTypes(w http.ResponseWriter, r *http.Request, _ app.SCIMPrincipal) error {
	return listResponse(w, r, s.resourceTypeList(r))
}

func (s *Server) resourceType(w http.ResponseWriter, r *http.Request, _ app.SCIMPrincipal) error {
	for _, rt := range s.resourceTypeList(r) {
		if strings.EqualFold(rt["id"].(string), r.PathValue("name")) {
			writeJSON(w, http.StatusOK, rt)
			return nil
		}
	}
	return scimError(http.StatusNotFound, "", "No resource type "+r.PathValue("name")+".")
}

func attr(name, typ string, required, caseExact bool, mutability, uniqueness string, sub ...map[string]any) map[string]any {
	a := map[string]any{"name": name, "type": typ, "multiValued": false, "required": required, "caseExact": caseExact,
		"mutability": mutability, "returned": "default", "uniqueness": uniqueness}
	if len(sub) > 0 {
		a["subAttributes"] = sub
	}
	return a
}

func multi(a map[string]any) map[string]any { a["multiValued"] = true; return a }

func (s *Server) schemaList(r *http.Request) []map[string]any {
	loc := s.discoveryLocation(r, "Schemas")
	return []map[string]any{
		{"schemas": []string{SchemaSchema}, "id": SchemaUser, "name": "User", "description": "User Account",
			"attributes": []any{
				attr("userName", "string", true, false, "readWrite", "server"),
				attr("externalId", "string", false, true, "readWrite", "none"),
				attr("name", "complex", false, false, "readWrite", "none",
					attr("formatted", "string", false, false, "readWrite", "none"),
					attr("givenName", "string", false, false, "readWrite", "none"),
					attr("familyName", "string", false, false, "readWrite", "none")),
				attr("displayName", "string", false, false, "readWrite", "none"),
				multi(attr("emails", "complex", false, false, "readWrite", "none",
					attr("value", "string", false, false, "readWrite", "none"),
					attr("type", "string", false, false, "readWrite", "none"),
					attr("primary", "boolean", false, false, "readWrite", "none"))),
				attr("active", "boolean", false, false, "readWrite", "none"),
				multi(attr("groups", "complex", false, false, "readOnly", "none",
					attr("value", "string", false, false, "readOnly", "none"),
					attr("display", "string", false, false, "readOnly", "none"))),
			},
			"meta": map[string]any{"resourceType": "Schema", "location": loc + "/" + SchemaUser}},
		{"schemas": []string{SchemaSchema}, "id": SchemaGroup, "name": "Group", "description": "Group",
			"attributes": []any{
				attr("displayName", "string", true, false, "readWrite", "server"),
				attr("externalId", "string", false, true, "readWrite", "none"),
				multi(attr("members", "complex", false, false, "readWrite", "none",
					attr("value", "string", false, false, "immutable", "none"),
					attr("display", "string", false, false, "readOnly", "none"))),
			},
			"meta": map[string]any{"resourceType": "Schema", "location": loc + "/" + SchemaGroup}},
	}
}

func (s *Server) schemas(w http.ResponseWriter, r *http.Request, _ app.SCIMPrincipal) error {
	return listResponse(w, r, s.schemaList(r))
}

func (s *Server) schema(w http.ResponseWriter, r *http.Request, _ app.SCIMPrincipal) error {
	for _, sc := range s.schemaList(r) {
		if strings.EqualFold(sc["id"].(string), r.PathValue("urn")) {
			writeJSON(w, http.StatusOK, sc)
			return nil
		}
	}
	return scimError(http.StatusNotFound, "", "No schema "+r.PathValue("urn")+".")
}
