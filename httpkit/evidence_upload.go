package httpkit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/input"
)

// EvidenceTransfer streams evidence files in (multipart uploads, checked
// and stored before the record is written) and out (downloads checked
// against their digest as they go), for the pages and the API alike.
type EvidenceTransfer struct {
	App            *app.App
	Blobs          evidence.Store
	MaxUploadBytes int64
	Log            *slog.Logger
}

// Transfer is cfg's evidence transfer.
func (c Config) Transfer() *EvidenceTransfer {
	return &EvidenceTransfer{App: c.App, Blobs: c.Blobs, MaxUploadBytes: c.MaxUploadBytes, Log: c.Logger}
}

// EvidenceUpload is what an upload carried: its fields, for showing the
// form again when something is wrong.
type EvidenceUpload struct {
	Form url.Values
}

// OpenMultipart limits an upload's body and returns its parts.
func (x *EvidenceTransfer) OpenMultipart(w http.ResponseWriter, r *http.Request) (*multipart.Reader, error) {
	limit := x.MaxUploadBytes + uploadOverhead
	if r.ContentLength > limit {
		return nil, x.tooLarge()
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

func (x *EvidenceTransfer) tooLarge() error {
	return assay.Errorf(assay.ETOOLARGE, "The file is larger than the upload limit of %s.", HumanBytes(x.MaxUploadBytes))
}

// bodyError turns an error reading the body into one a person can act on.
func (x *EvidenceTransfer) bodyError(err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig), errors.Is(err, evidence.ErrTooLarge):
		return x.tooLarge()
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return assay.Errorf(assay.EINVALID, "The upload ended before it was complete.")
	}
	return assay.Errorf(assay.EINVALID, "Malformed multipart body: %s.", err.Error())
}

// ReadField reads a part that is not a file.
func ReadField(part *multipart.Part) (string, error) {
	b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxFieldBytes {
		return "", assay.Invalid(part.FormName(), "The field %q is longer than %d bytes.", part.FormName(), maxFieldBytes)
	}
	return string(b), nil
}

// ReceiveEvidence reads an upload's parts and adds the evidence it
// describes. Everything but the file's content is checked before the file
// is read; the file must be the last part.
func (x *EvidenceTransfer) ReceiveEvidence(ctx context.Context, p *Principal, mr *multipart.Reader) (assay.Evidence, *EvidenceUpload, error) {
	up := &EvidenceUpload{Form: url.Values{}}
	total := 0
	for i := 0; ; i++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return assay.Evidence{}, up, x.bodyError(err)
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
			ev, err := x.receiveFile(ctx, p, mr, part, up)
			return ev, up, err
		}
		v, err := ReadField(part)
		if err != nil {
			if assay.ErrorCode(err) != assay.EINVALID {
				err = x.bodyError(err)
			}
			return assay.Evidence{}, up, err
		}
		if total += len(v); total > maxFieldsBytes {
			return assay.Evidence{}, up, assay.Errorf(assay.EINVALID, "The form's fields are larger than %d bytes together.", maxFieldsBytes)
		}
		up.Form.Add(part.FormName(), v)
	}
	c, err := x.evidenceFromForm(ctx, p, up.Form, false)
	if err != nil {
		return assay.Evidence{}, up, err
	}
	ev, err := x.App.AddCheckedEvidence(ctx, c, nil)
	return ev, up, err
}

// receiveFile checks the fields read so far, streams the file into the
// blob store, makes sure nothing follows it, and only then, with the blob
// durable, writes the record.
func (x *EvidenceTransfer) receiveFile(ctx context.Context, p *Principal, mr *multipart.Reader, part *multipart.Part, up *EvidenceUpload) (assay.Evidence, error) {
	c, err := x.evidenceFromForm(ctx, p, up.Form, true)
	if err != nil {
		return assay.Evidence{}, err
	}
	if x.Blobs == nil {
		return assay.Evidence{}, errors.New("evidence upload: the server has no blob store")
	}
	u, err := x.Blobs.Create(x.MaxUploadBytes)
	if err != nil {
		return assay.Evidence{}, err
	}
	defer u.Abort() // a no-op once committed
	if _, err := u.ReadFrom(part); err != nil {
		return assay.Evidence{}, x.bodyError(err)
	}
	if _, err := mr.NextPart(); err != io.EOF {
		if err != nil {
			return assay.Evidence{}, x.bodyError(err)
		}
		return assay.Evidence{}, assay.Invalid("file", "The file must be the last part of the form; send the other fields before it.")
	}
	blob, err := u.Commit()
	if err != nil {
		return assay.Evidence{}, err
	}
	return x.App.AddCheckedEvidence(ctx, c, &app.File{SHA256: blob.SHA256, Size: blob.Size,
		Filename: part.FileName(), MediaType: part.Header.Get("Content-Type")})
}

// evidenceFromForm reads evidence fields from a form (or multipart fields)
// and checks them (app.CheckEvidence), with the request they answer, if any. Dates look like
// 2026-03-31; controls may repeat or be separated by commas or spaces.
func (x *EvidenceTransfer) evidenceFromForm(ctx context.Context, p *Principal, f url.Values, hasFile bool) (*app.CheckedEvidence, error) {
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
		n.Controls = append(n.Controls, input.SplitList(v)...)
	}
	var err error
	if n.ValidDays, err = input.FormInt(f, "valid_days"); err != nil {
		return nil, err
	}
	for _, d := range []struct {
		field string
		dst   **time.Time
	}{{"period_start", &n.PeriodStart}, {"period_end", &n.PeriodEnd}, {"collected_at", &n.CollectedAt}} {
		if *d.dst, err = input.ParseDate(d.field, f.Get(d.field)); err != nil {
			return nil, err
		}
	}
	sup, err := input.FormInt(f, "supersedes")
	if err != nil {
		return nil, err
	}
	n.Supersedes = int64(sup)
	rid, err := input.FormInt(f, "request_id")
	if err != nil {
		return nil, err
	}
	return x.App.CheckEvidence(ctx, p.App(), app.NewEvidence{Evidence: n, RequestID: int64(rid), Response: f.Get("response")})
}

// HumanBytes writes a size as people read it (1 MB = 1,048,576 bytes, the
// unit of --max-upload-mb).
func HumanBytes(n int64) string {
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

const (
	maxFieldBytes  = 64 << 10  // one field
	maxFieldsBytes = 512 << 10 // every field together
	maxParts       = 200
	uploadOverhead = 1 << 20 // room for the fields and the multipart framing
	// uploadTimeout replaces the server's read deadline for an upload, so a
	// large file on a slow link is not cut off.
	uploadTimeout = time.Hour
)
