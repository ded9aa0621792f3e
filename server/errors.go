package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/assay-platform/assay"
)

// statusOf maps an error code to its HTTP status: the one place this is decided.
func statusOf(code string) int {
	switch code {
	case assay.EINVALID:
		return http.StatusBadRequest
	case assay.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case assay.EFORBIDDEN:
		return http.StatusForbidden
	case assay.ENOTFOUND:
		return http.StatusNotFound
	case assay.ECONFLICT:
		return http.StatusConflict
	case assay.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case assay.ETOOMANY:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// logIfInternal logs faults of ours; errors people caused are not logged
// as errors (and carry no secrets: messages are written for people).
func (s *Server) logIfInternal(r *http.Request, err error) {
	if assay.ErrorCode(err) == assay.EINTERNAL {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

type apiErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field,omitempty"`
	} `json:"error"`
}

// apiError writes {"error":{"code","message"}} with the mapped status.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	s.logIfInternal(r, err)
	var body apiErrorBody
	body.Error.Code = assay.ErrorCode(err)
	body.Error.Message = assay.ErrorMessage(err)
	var ae *assay.Error
	if errors.As(err, &ae) {
		body.Error.Field = ae.Field
	}
	if body.Error.Code == assay.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="assay"`)
	}
	writeJSON(w, statusOf(body.Error.Code), body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// decodeJSON reads one JSON object into v, refusing unknown fields,
// trailing data and bodies over the limit, with a message that says what
// is wrong.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return assay.Errorf(assay.EINVALID, "Send JSON with Content-Type: application/json.")
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooBig):
			return assay.Errorf(assay.ETOOLARGE, "The request body is larger than %d bytes.", tooBig.Limit)
		case errors.Is(err, io.EOF):
			return assay.Errorf(assay.EINVALID, "The request body is empty; send a JSON object.")
		case errors.As(err, &syn):
			return assay.Errorf(assay.EINVALID, "Malformed JSON at byte %d: %s.", syn.Offset, syn.Error())
		case errors.As(err, &typ):
			return &assay.Error{Code: assay.EINVALID, Field: typ.Field, Message: fmt.Sprintf("Field %q must be %s, not %s.", typ.Field, typ.Type, typ.Value)}
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return assay.Errorf(assay.EINVALID, "Unknown field %s.", strings.TrimPrefix(err.Error(), "json: unknown field "))
		case errors.Is(err, io.ErrUnexpectedEOF):
			return assay.Errorf(assay.EINVALID, "Malformed JSON: the body ends too early.")
		}
		return assay.Errorf(assay.EINVALID, "Malformed JSON: %s.", err.Error())
	}
	if dec.More() {
		return assay.Errorf(assay.EINVALID, "Send one JSON object; found more data after it.")
	}
	return nil
}

// pageError renders an error page (or, for htmx requests, a fragment).
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	s.logIfInternal(r, err)
	code := assay.ErrorCode(err)
	if code == assay.EUNAUTHORIZED {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(safeNext(r.URL.RequestURI())), http.StatusSeeOther)
		return
	}
	status := statusOf(code)
	title := http.StatusText(status)
	s.render(w, r, status, "error", pageData{Title: title, Data: map[string]any{"Status": status, "Title": title, "Message": assay.ErrorMessage(err)}})
}
