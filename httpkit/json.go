package httpkit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
)

// ErrorBody is the API's error document.
type ErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field,omitempty"`
	} `json:"error"`
}

// WriteError writes {"error":{"code","message","field"}} with the mapped
// status.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	LogIfInternal(log, r, err)
	var body ErrorBody
	body.Error.Code = assay.ErrorCode(err)
	body.Error.Message = assay.ErrorMessage(err)
	var ae *assay.Error
	if errors.As(err, &ae) {
		body.Error.Field = ae.Field
	}
	if body.Error.Code == assay.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="assay"`)
	}
	WriteJSON(w, StatusOf(body.Error.Code), body)
}

// WriteJSON writes v as indented JSON that no cache keeps.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// DecodeJSON reads one JSON object into v, refusing unknown fields,
// trailing data and bodies over limit bytes, with a message that says
// what is wrong.
func DecodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return assay.Errorf(assay.EINVALID, "Send JSON with Content-Type: application/json.")
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
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
