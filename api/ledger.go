package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// The tamper-evident ledger's API: the latest signed checkpoint and the
// public key to check it, inclusion proofs for the organisation's own
// entries, and consistency proofs between tree sizes. Readers of the
// activity trail (admins and auditors) may use it.
func (s *Server) ledgerRoutes() {
	s.api("GET /api/v1/ledger/checkpoint", assay.ActionReadActivity, s.apiLedgerCheckpoint)
	s.api("GET /api/v1/ledger/entries/{seq}/proof", assay.ActionReadActivity, s.apiLedgerProof)
	s.api("GET /api/v1/ledger/consistency", assay.ActionReadActivity, s.apiLedgerConsistency)
}

// ledgerOrigin is the key's name: the checkpoints' origin line.
func (s *Server) ledgerOrigin() string {
	name, _, _ := strings.Cut(s.cfg.LedgerKey, "+")
	return name
}

// GET /api/v1/ledger/checkpoint
func (s *Server) apiLedgerCheckpoint(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	cp, err := s.app.LatestCheckpoint(r.Context())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"checkpoint": cp, "public_key": s.cfg.LedgerKey, "origin": s.ledgerOrigin()})
	return nil
}

// GET /api/v1/ledger/entries/{seq}/proof?size=N
func (s *Server) apiLedgerProof(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	seq, err := strconv.ParseInt(r.PathValue("seq"), 10, 64)
	if err != nil || seq < 1 {
		return assay.Invalid("seq", "The entry number must be a positive integer.")
	}
	size, err := sizeParam(r, "size")
	if err != nil {
		return err
	}
	proof, err := p.Org.LedgerProof(r.Context(), seq, size)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, proof)
	return nil
}

// GET /api/v1/ledger/consistency?from=A&to=B
func (s *Server) apiLedgerConsistency(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	from, err := sizeParam(r, "from")
	if err != nil {
		return err
	}
	if from == 0 {
		return assay.Invalid("from", "Give from, the smaller tree size (at least 1).")
	}
	to, err := sizeParam(r, "to")
	if err != nil {
		return err
	}
	proof, err := s.store.LedgerConsistency(r.Context(), from, to)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, proof)
	return nil
}

// sizeParam reads an optional tree size (0 when absent).
func sizeParam(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, assay.Invalid(name, "%s must be a tree size: a positive integer.", name)
	}
	return n, nil
}
