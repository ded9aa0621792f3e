package api

import (
	_ "embed"
	"net/http"
)

//go:embed openapi.json
var openAPISpec []byte

// GET /api/v1/openapi.json describes the API.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openAPISpec)
	return nil
}

// OpenAPIDocument is the OpenAPI document the API serves.
func OpenAPIDocument() []byte { return openAPISpec }
