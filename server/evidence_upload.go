package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/evidence"
)

// Evidence uploads are multipart/form-data read part by part, never parsed
// whole: the fields come first and are small; the file, if any, is the
// last part and streams straight into the blob store while it is hashed.
// Nothing of the file is held in memory beyond one copy buffer, and the
// record is written only once the blob is durable.
//
// In the web UI the first part must be the form's CSRF token ("csrf"): it is
// checked before anything else of the body is read, so a forged upload is
// refused before it reaches the disk. (The other forms read the token with
// PostFormValue, which would parse a whole multipart body first.) API
// clients authenticate with a bearer token, or a session and the
// X-CSRF-Token header, checked before the body is opened.
// DefaultMaxUploadBytes is the default limit on one evidence file.
const DefaultMaxUploadBytes = 100 << 20

const (
	maxFieldBytes  = 64 << 10  // one field
	maxFieldsBytes = 512 << 10 // every field together
	maxParts       = 200
	uploadOverhead = 1 << 20 // room for the fields and the multipart framing
	// uploadTimeout replaces the server's read deadline for an upload, so a
	// large file on a slow link is not cut off.
	uploadTimeout = time.Hour
)

// evidenceUpload is what an upload carried: its fields, for showing the
// form again when something is wrong.
type evidenceUpload struct {
	Form url.Values
}

// openMultipart limits an upload's body and returns its parts.
func (s *Server) openMultipart(w http.ResponseWriter, r *http.Request) (*multipart.Reader, error) {
	limit := s.cfg.MaxUploadBytes + uploadOverhead
	if r.ContentLength > limit {
		return nil, s.tooLarge()
	}
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(uploadTimeout))
	_ = rc.SetWriteDeadline(time.Now().Add(uploadTimeout)) // the answer comes after the whole body
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, assay.Errorf(assay.EINVALID, "Send the evidence as multipart/form-data (the file, if any, as the last part).")
	}
	return mr, nil
}

func (s *Server) tooLarge() error {
	return assay.Errorf(assay.ETOOLARGE, "The file is larger than the upload limit of %s.", humanBytes(s.cfg.MaxUploadBytes))
}

// bodyError turns an error reading the body into one a person can act on.
func (s *Server) bodyError(err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig), errors.Is(err, evidence.ErrTooLarge):
		return s.tooLarge()
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return assay.Errorf(assay.EINVALID, "The upload ended before it was complete.")
	}
	return assay.Errorf(assay.EINVALID, "Malformed multipart body: %s.", err.Error())
}

// readField reads a part that is not a file.
func readField(part *multipart.Part) (string, error) {
	b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxFieldBytes {
		return "", assay.Invalid(part.FormName(), "The field %q is longer than %d bytes.", part.FormName(), maxFieldBytes)
	}
	return string(b), nil
}

// uploadPage registers a UI route that takes a multipart upload: like
// page(), but the CSRF token is read as the body's first part.
func (s *Server) uploadPage(pattern string, action assay.Action, h func(w http.ResponseWriter, r *http.Request, p *principal, mr *multipart.Reader) error) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		p := principalFrom(r.Context())
		if p == nil || p.Session == nil {
			s.pageError(w, r, assay.Errorf(assay.EUNAUTHORIZED, "Sign in first."))
			return
		}
		forged := assay.Errorf(assay.EFORBIDDEN, "The form has expired or did not come from Assay; reload the page and try again.")
		mr, err := s.openMultipart(w, r)
		if err != nil {
			if assay.ErrorCode(err) == assay.EINVALID {
				err = forged // not one of our forms
			}
			s.pageError(w, r, err)
			return
		}
		part, err := mr.NextPart()
		if err != nil || part.FormName() != "csrf" {
			s.pageError(w, r, forged)
			return
		}
		if v, err := readField(part); err != nil || !auth.Equal(v, p.Session.CSRFToken) {
			s.pageError(w, r, forged)
			return
		}
		if !p.User.Can(action, nil) || !p.User.MayOpen(r.Method, r.URL.Path) {
			s.pageError(w, r, assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not allow this.", p.User.Role))
			return
		}
		if err := h(w, r, p, mr); err != nil {
			s.pageError(w, r, err)
		}
	})
}

// receiveEvidence reads an upload's parts and adds the evidence it
// describes. Everything but the file's content is checked before the file
// is read; the file must be the last part.
func (s *Server) receiveEvidence(ctx context.Context, p *principal, mr *multipart.Reader) (assay.Evidence, *evidenceUpload, error) {
	up := &evidenceUpload{Form: url.Values{}}
	total := 0
	for i := 0; ; i++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return assay.Evidence{}, up, s.bodyError(err)
		}
		if i >= maxParts {
			return assay.Evidence{}, up, assay.Errorf(assay.EINVALID, "The form has more than %d parts.", maxParts)
		}
		if part.FormName() == "file" || part.FileName() != "" {
			if part.FileName() == "" {
				// A file input left empty still sends a part.
				if n, _ := io.Copy(io.Discard, io.LimitReader(part, 1)); n == 0 {
					continue
				}
				return assay.Evidence{}, up, assay.Invalid("file", "The file part has no file name.")
			}
			ev, err := s.receiveFile(ctx, p, mr, part, up)
			return ev, up, err
		}
		v, err := readField(part)
		if err != nil {
			if assay.ErrorCode(err) != assay.EINVALID {
				err = s.bodyError(err)
			}
			return assay.Evidence{}, up, err
		}
		if total += len(v); total > maxFieldsBytes {
			return assay.Evidence{}, up, assay.Errorf(assay.EINVALID, "The form's fields are larger than %d bytes together.", maxFieldsBytes)
		}
		up.Form.Add(part.FormName(), v)
	}
	c, err := s.evidenceFromForm(ctx, p, up.Form, false)
	if err != nil {
		return assay.Evidence{}, up, err
	}
	ev, err := s.app.AddCheckedEvidence(ctx, c, nil)
	return ev, up, err
}

// receiveFile checks the fields read so far, streams the file into the
// blob store, makes sure nothing follows it, and only then, with the blob
// durable, writes the record.
func (s *Server) receiveFile(ctx context.Context, p *principal, mr *multipart.Reader, part *multipart.Part, up *evidenceUpload) (assay.Evidence, error) {
	c, err := s.evidenceFromForm(ctx, p, up.Form, true)
	if err != nil {
		return assay.Evidence{}, err
	}
	if s.cfg.Blobs == nil {
		return assay.Evidence{}, errors.New("evidence upload: the server has no blob store")
	}
	u, err := s.cfg.Blobs.Create(s.cfg.MaxUploadBytes)
	if err != nil {
		return assay.Evidence{}, err
	}
	defer u.Abort() // a no-op once committed
	if _, err := u.ReadFrom(part); err != nil {
		return assay.Evidence{}, s.bodyError(err)
	}
	if _, err := mr.NextPart(); err != io.EOF {
		if err != nil {
			return assay.Evidence{}, s.bodyError(err)
		}
		return assay.Evidence{}, assay.Invalid("file", "The file must be the last part of the form; send the other fields before it.")
	}
	blob, err := u.Commit()
	if err != nil {
		return assay.Evidence{}, err
	}
	return s.app.AddCheckedEvidence(ctx, c, &app.File{SHA256: blob.SHA256, Size: blob.Size,
		Filename: part.FileName(), MediaType: part.Header.Get("Content-Type")})
}

// evidenceFromForm reads evidence fields from a form (or multipart fields)
// and checks them (app.CheckEvidence), with the request they answer, if any. Dates look like
// 2026-03-31; controls may repeat or be separated by commas or spaces.
func (s *Server) evidenceFromForm(ctx context.Context, p *principal, f url.Values, hasFile bool) (*app.CheckedEvidence, error) {
	n := assay.NewEvidence{
		Kind: assay.EvidenceKind(strings.TrimSpace(f.Get("kind"))), Title: f.Get("title"), Description: f.Get("description"),
		URL: f.Get("url"), NoteText: f.Get("note_text"),
	}
	switch {
	case hasFile && n.Kind == "":
		n.Kind = assay.EvidenceFile
	case hasFile && n.Kind != assay.EvidenceFile:
		return nil, assay.Invalid("file", "Only file evidence carries a file; this is %s evidence.", n.Kind)
	case !hasFile && n.Kind == assay.EvidenceFile:
		return nil, assay.Invalid("file", "Choose a file to upload.")
	case n.Kind == "":
		return nil, assay.Invalid("kind", "Say what kind of evidence this is: file, link or note.")
	}
	// The note field is only for notes; the others may come from a form
	// that shows every field.
	if n.Kind != assay.EvidenceNote {
		n.NoteText = ""
	}
	if n.Kind != assay.EvidenceLink {
		n.URL = ""
	}
	for _, v := range f["controls"] {
		n.Controls = append(n.Controls, splitList(v)...)
	}
	var err error
	if n.ValidDays, err = formInt(f, "valid_days"); err != nil {
		return nil, err
	}
	for _, d := range []struct {
		field string
		dst   **time.Time
	}{{"period_start", &n.PeriodStart}, {"period_end", &n.PeriodEnd}, {"collected_at", &n.CollectedAt}} {
		if *d.dst, err = parseDate(d.field, f.Get(d.field)); err != nil {
			return nil, err
		}
	}
	sup, err := formInt(f, "supersedes")
	if err != nil {
		return nil, err
	}
	n.Supersedes = int64(sup)
	rid, err := formInt(f, "request_id")
	if err != nil {
		return nil, err
	}
	return s.app.CheckEvidence(ctx, p.app(), app.NewEvidence{Evidence: n, RequestID: int64(rid), Response: f.Get("response")})
}

func formInt(f url.Values, field string) (int, error) {
	v := strings.TrimSpace(f.Get(field))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, assay.Invalid(field, "%s must be a whole number.", strings.ReplaceAll(field, "_", " "))
	}
	return n, nil
}

// parseDate reads "2026-03-31" (or an RFC 3339 time); "" is no date.
func parseDate(field, v string) (*time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	for _, layout := range []string{"2006-01-02", time.RFC3339} {
		if t, err := time.Parse(layout, v); err == nil {
			t = t.UTC()
			return &t, nil
		}
	}
	return nil, assay.Invalid(field, "%s must be a date like 2026-03-31.", strings.ReplaceAll(field, "_", " "))
}

// humanBytes writes a size as people read it (1 MB = 1,048,576 bytes, the
// unit of --max-upload-mb).
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<30))) + " GB"
	case n >= 1<<20:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<20))) + " MB"
	case n >= 1<<10:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<10))) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }
