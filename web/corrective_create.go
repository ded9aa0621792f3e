package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func formOwner(v string) (int64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, assay.Invalid("owner_id", "Choose an owner.")
	}
	return n, nil
}

func (s *Server) createCorrectiveForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	b := input.CorrectiveBody{NewCorrectiveAction: assay.NewCorrectiveAction{Source: assay.CorrectiveSource(r.PostFormValue("source")),
		SourceRef: r.PostFormValue("source_ref"), Title: r.PostFormValue("title"), RootCause: r.PostFormValue("root_cause"),
		Action: r.PostFormValue("action")}, DueDate: r.PostFormValue("due_date")}
	owner, err := formOwner(r.PostFormValue("owner_id"))
	b.OwnerID = owner
	var n assay.NewCorrectiveAction
	if err == nil {
		n, err = b.Parse()
	}
	if err == nil {
		_, err = s.app.CreateCorrectiveAction(r.Context(), p.App(), n)
	}
	return s.afterCorrectiveForm(w, r, p, err, "created")
}
