// Package scim serves SCIM 2.0 (RFC 7643 and 7644) at /scim/v2 for
// identity providers such as Okta and Microsoft Entra ID: Users, Groups and
// the discovery resources. It is an HTTP adapter over the application
// services (app.SCIM*): it decodes the wire format, parses filters and
// PATCH paths with github.com/scim2/filter-parser, and writes SCIM
// responses and errors. The provider authenticates with the
// organisation's SCIM bearer token.
package scim

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

// Schema and message URNs.
const (
	SchemaUser        = "urn:ietf:params:scim:schemas:core:2.0:User"
	SchemaGroup       = "urn:ietf:params:scim:schemas:core:2.0:Group"
	SchemaEnterprise  = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	SchemaListResp    = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	SchemaPatchOp     = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	SchemaError       = "urn:ietf:params:scim:api:messages:2.0:Error"
	SchemaSPConfig    = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	SchemaResType     = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	SchemaSchema      = "urn:ietf:params:scim:schemas:core:2.0:Schema"
	ContentType       = "application/scim+json"
	maxBody           = 1 << 20
	defaultCount      = 100
	maxCount          = 500
	basePath          = "/scim/v2"
	errSyntax         = "invalidSyntax"
	errFilter         = "invalidFilter"
	errPath           = "invalidPath"
	errValue          = "invalidValue"
	errUniqueness     = "uniqueness"
	errNoTarget       = "noTarget"
	errTooMany        = "tooMany"
	errMutability     = "mutability"
	errInvalidVersion = "invalidVers"
)

// Server serves SCIM.
type Server struct {
	app *app.App
	log *slog.Logger
	mux *httpkit.Mux
	// baseURL is the public address Assay is served at, for meta.location
	// (empty: the request's own host).
	baseURL string
}

// New registers the SCIM routes on mux.
func New(a *app.App, log *slog.Logger, baseURL string, mux *httpkit.Mux) *Server {
	s := &Server{app: a, log: log, mux: mux, baseURL: strings.TrimRight(baseURL, "/")}
	s.handle("GET /scim/v2/Users", s.listUsers)
	s.handle("POST /scim/v2/Users", s.createUser)
	s.handle("GET /scim/v2/Users/{id}", s.getUser)
	s.handle("PUT /scim/v2/Users/{id}", s.replaceUser)
	s.handle("PATCH /scim/v2/Users/{id}", s.patchUser)
	s.handle("DELETE /scim/v2/Users/{id}", s.deleteUser)
	s.handle("GET /scim/v2/Groups", s.listGroups)
	s.handle("POST /scim/v2/Groups", s.createGroup)
	s.handle("GET /scim/v2/Groups/{id}", s.getGroup)
	s.handle("PUT /scim/v2/Groups/{id}", s.replaceGroup)
	s.handle("PATCH /scim/v2/Groups/{id}", s.patchGroup)
	s.handle("DELETE /scim/v2/Groups/{id}", s.deleteGroup)
	s.handle("GET /scim/v2/ServiceProviderConfig", s.serviceProviderConfig)
	s.handle("GET /scim/v2/ResourceTypes", s.resourceTypes)
	s.handle("GET /scim/v2/ResourceTypes/{name}", s.resourceType)
	s.handle("GET /scim/v2/Schemas", s.schemas)
	s.handle("GET /scim/v2/Schemas/{urn}", s.schema)
	mux.HandleFunc("/scim/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, scimError(http.StatusNotFound, "", "No such SCIM endpoint: "+r.Method+" "+r.URL.Path+"."))
	})
	return s
}

type handler func(w http.ResponseWriter, r *http.Request, sp app.SCIMPrincipal) error

// handle registers a route that needs the organisation's SCIM token. Its
// error is written here, and only here, as a SCIM error.
func (s *Server) handle(pattern string, h handler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="SCIM"`)
			s.writeError(w, r, scimError(http.StatusUnauthorized, "", "Authenticate with Authorization: Bearer <the organisation's SCIM token>."))
			return
		}
		sp, err := s.app.SCIMPrincipalByToken(r.Context(), secret)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="SCIM", error="invalid_token"`)
			s.writeError(w, r, err)
			return
		}
		if err := h(w, r, sp); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// Error is a SCIM error (RFC 7644 section 3.12).
type Error struct {
	Status   int
	SCIMType string
	Detail   string
}

func (e *Error) Error() string { return e.Detail }

func scimError(status int, scimType, detail string) *Error {
	return &Error{Status: status, SCIMType: scimType, Detail: detail}
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var se *Error
	if !errors.As(err, &se) {
		se = &Error{Detail: assay.ErrorMessage(err)}
		switch assay.ErrorCode(err) {
		case assay.EINVALID:
			se.Status, se.SCIMType = http.StatusBadRequest, errValue
		case assay.ENOTFOUND:
			se.Status = http.StatusNotFound
		case assay.ECONFLICT:
			se.Status = http.StatusConflict
			if strings.Contains(se.Detail, "already exists") {
				se.SCIMType = errUniqueness
			}
		case assay.EUNAUTHORIZED:
			se.Status = http.StatusUnauthorized
		case assay.EFORBIDDEN:
			se.Status = http.StatusForbidden
		case assay.ETOOLARGE:
			se.Status, se.SCIMType = http.StatusRequestEntityTooLarge, errTooMany
		default:
			s.log.Error("scim request failed", "method", r.Method, "path", r.URL.Path, "err", err)
			se.Status, se.Detail = http.StatusInternalServerError, "Something went wrong on our side; it has been logged."
		}
	}
	body := map[string]any{"schemas": []string{SchemaError}, "status": strconv.Itoa(se.Status), "detail": se.Detail}
	if se.SCIMType != "" {
		body["scimType"] = se.SCIMType
	}
	writeJSON(w, se.Status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// decode reads a JSON body (application/scim+json or application/json)
// into v, keeping numbers as json.Number.
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != ContentType && mt != "application/json") {
			return scimError(http.StatusUnsupportedMediaType, "", "Send the body as application/scim+json.")
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return scimError(http.StatusBadRequest, errSyntax, "The body could not be read.")
	}
	if len(body) > maxBody {
		return scimError(http.StatusRequestEntityTooLarge, errTooMany, "The body is larger than 1 MiB.")
	}
	body = trimBOM(body)
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return scimError(http.StatusBadRequest, errSyntax, "The body is not valid JSON: "+err.Error()+".")
	}
	return nil
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}

// location is the address of a resource, for meta.location and Location.
func (s *Server) location(r *http.Request, kind string, id int64) string {
	base := s.baseURL
	if base == "" {
		scheme := "https"
		if r.TLS == nil {
			scheme = "http"
		}
		base = scheme + "://" + r.Host
	}
	return base + basePath + "/" + kind + "/" + strconv.FormatInt(id, 10)
}

// resourceID reads {id}; an id Assay never issued is simply not found.
func resourceID(r *http.Request, kind string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, scimError(http.StatusNotFound, "", kind+" "+r.PathValue("id")+" not found.")
	}
	return id, nil
}
