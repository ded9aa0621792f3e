package input

import (
	"bytes"
	"io"
	"net/http"

	"github.com/assay-platform/assay"
)

// FormCSV returns the CSV sent with a form: an uploaded file (field
// fileField) or pasted text (field textField).
func FormCSV(r *http.Request, textField, fileField string) (string, error) {
	if r.MultipartForm != nil {
		if fhs := r.MultipartForm.File[fileField]; len(fhs) > 0 && fhs[0].Size > 0 {
			f, err := fhs[0].Open()
			if err != nil {
				return "", assay.Invalid(fileField, "The uploaded file cannot be read.")
			}
			defer f.Close()
			b, err := io.ReadAll(f)
			if err != nil {
				return "", assay.Invalid(fileField, "The uploaded file cannot be read.")
			}
			return string(b), nil
		}
	}
	return r.PostFormValue(textField), nil
}

// FormUpload reads the text of an uploaded file field, or of the textarea
// of the same purpose when no file was chosen.
func FormUpload(r *http.Request, fileField, textField string, limit int64) (string, error) {
	if f, _, err := r.FormFile(fileField); err == nil {
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, limit+1))
		if err != nil {
			return "", assay.Invalid(fileField, "The file cannot be read.")
		}
		if int64(len(b)) > limit {
			return "", assay.Errorf(assay.ETOOLARGE, "The file is larger than %d bytes.", limit)
		}
		if len(bytes.TrimSpace(b)) > 0 {
			return string(b), nil
		}
	}
	return r.PostFormValue(textField), nil
}
