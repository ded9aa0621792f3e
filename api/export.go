package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/export"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/ledger"
)

// Exports: the control matrix, the evidence bundle and OSCAL results for
// a period, for admins and auditors. Each export is recorded in the
// activity trail (export.create) before it is produced, and signs a fresh
// ledger checkpoint, which the export names.
func (s *Server) exportRoutes() {
	s.api("GET /api/v1/exports/control-matrix.xlsx", assay.ActionExport, s.exportHandler(exportMatrix))
	s.api("GET /api/v1/exports/evidence-bundle.zip", assay.ActionExport, s.exportHandler(exportBundle))
	s.api("GET /api/v1/exports/oscal.json", assay.ActionExport, s.exportHandler(exportOSCAL))
	// The same exports for one engagement: its period and its frozen scope.
	// They sit under the engagement's path, so an auditor limited to it
	// can take them.
	s.api("GET /api/v1/audits/{id}/exports/control-matrix.xlsx", assay.ActionExport, s.exportHandler(exportMatrix))
	s.api("GET /api/v1/audits/{id}/exports/evidence-bundle.zip", assay.ActionExport, s.exportHandler(exportBundle))
	s.api("GET /api/v1/audits/{id}/exports/oscal.json", assay.ActionExport, s.exportHandler(exportOSCAL))
	// The auditor's workpaper exists only for an engagement.
	s.api("GET /api/v1/audits/{id}/exports/workpaper.xlsx", assay.ActionExport, s.exportHandler(exportWorkpaper))
}

// exportScope reads what an export covers: the engagement named in the
// path (its period and frozen scope), or the from/to query parameters.
func (s *Server) exportScope(r *http.Request, p *httpkit.Principal) (export.Period, *assay.Audit, error) {
	if v := r.PathValue("id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return export.Period{}, nil, assay.Errorf(assay.ENOTFOUND, "Audit engagement not found.")
		}
		a, err := p.Org.Audit(r.Context(), id)
		if err != nil {
			return export.Period{}, nil, err
		}
		period, err := export.EngagementPeriod(a)
		return period, &a, err
	}
	q := r.URL.Query()
	period, err := export.ParsePeriod(q.Get("from"), q.Get("to"), s.clock.Now())
	return period, nil, err
}

type exportKind struct {
	name, ext, mediaType string
}

var (
	exportMatrix = exportKind{"control-matrix", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	exportBundle = exportKind{"evidence-bundle", "zip", "application/zip"}
	exportOSCAL  = exportKind{"oscal-assessment-results", "json", "application/json"}
	// exportWorkpaper is the auditor's workpaper of one engagement.
	exportWorkpaper = exportKind{"auditor-workpaper", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
)

// exportCheckpoint signs a fresh checkpoint, or takes the latest.
func (s *Server) exportCheckpoint(ctx context.Context) (*ledger.Checkpoint, error) {
	if s.cfg.IssueCheckpoint != nil {
		cp, err := s.cfg.IssueCheckpoint(ctx)
		if err != nil || cp.Size == 0 {
			return nil, err
		}
		return &cp, nil
	}
	cp, err := s.store.LatestCheckpoint(ctx)
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		return nil, nil
	}
	return &cp, err
}

// lazyWriter sends the headers with the first byte, so an error found
// before any output is still answered as an error.
type lazyWriter struct {
	w       http.ResponseWriter
	start   func()
	started bool
}

func (l *lazyWriter) Write(b []byte) (int, error) {
	if !l.started {
		l.started = true
		l.start()
	}
	return l.w.Write(b)
}

func (s *Server) exportHandler(k exportKind) httpkit.Handler {
	return func(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
		ctx := r.Context()
		period, audit, err := s.exportScope(r, p)
		if err != nil {
			return err
		}
		kind := k.name
		if audit != nil {
			kind = fmt.Sprintf("%s (engagement %d)", k.name, audit.ID)
		}
		// In the audit trail first: no record, no export.
		if _, err := p.Org.RecordExport(ctx, p.Actor(), kind, period.From, period.To); err != nil {
			return err
		}
		if k == exportWorkpaper {
			return s.writeWorkpaper(w, r, p, audit, period)
		}
		d, err := s.app.LoadExport(ctx, p.App(), period, audit)
		if err != nil {
			return err
		}
		if d.Checkpoint, err = s.exportCheckpoint(ctx); err != nil {
			return err
		}
		lw := &lazyWriter{w: w, start: func() {
			h := w.Header()
			h.Set("Content-Type", k.mediaType)
			h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="assay-%s-%s-%s-%s.%s"`, d.Org.Slug, k.name,
				period.From.Format(time.DateOnly), period.To.Format(time.DateOnly), k.ext))
			h.Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusOK)
		}}
		switch k {
		case exportMatrix:
			err = export.WriteMatrix(lw, d)
		case exportOSCAL:
			err = export.WriteOSCAL(lw, d)
		case exportBundle:
			if d.Checkpoint == nil {
				return assay.Errorf(assay.ECONFLICT, "The ledger has no signed checkpoint yet to prove the evidence against.")
			}
			if s.cfg.Blobs == nil {
				return assay.Errorf(assay.EINTERNAL, "Evidence files are not available on this server.")
			}
			// A large bundle takes longer than the server's write timeout.
			_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
			src := export.BundleSource{
				OpenBlob: func(digest string, size int64) (io.ReadCloser, error) { return s.cfg.Blobs.Open(digest, size) },
				Proof:    p.Org.LedgerProof, Checkpoint: *d.Checkpoint, PublicKey: s.cfg.LedgerKey,
			}
			if audit != nil {
				if src.Populations, src.Range, err = export.AuditPopulations(ctx, p.Org, s.store, *audit, *d.Checkpoint); err != nil {
					return err
				}
			}
			err = export.WriteBundle(ctx, lw, d, src)
		}
		if err != nil {
			if !lw.started {
				return err
			}
			// The response is under way: all that can be done is to stop.
			s.log.Error("export failed while streaming", "kind", k.name, "err", err)
			panic(http.ErrAbortHandler)
		}
		return nil
	}
}

// writeWorkpaper sends the auditor's workpaper of the engagement.
func (s *Server) writeWorkpaper(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, audit *assay.Audit, period export.Period) error {
	wp, err := s.app.AuditWorkpaper(r.Context(), p.App(), audit.ID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer // whole before the headers go, so a failure is still an error response
	if err := export.WriteWorkpaper(&buf, wp); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", exportWorkpaper.mediaType)
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="assay-%s-%s-%d-%s.xlsx"`, wp.Org.Slug, exportWorkpaper.name, audit.ID, period.To.Format(time.DateOnly)))
	h.Set("Cache-Control", "no-store")
	_, err = buf.WriteTo(w)
	return err
}
