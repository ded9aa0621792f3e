package runner

import (
	"context"
	"fmt"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// TestSource collects a live source once with its stored settings and
// secrets and says whether it could read everything, without recording a
// run, keeping evidence or changing anything. A collector's failure is an
// answer (OK false, its message with secrets redacted), not an error.
func (r *Runner) TestSource(ctx context.Context, org store.OrgStore, sourceID int64) (assay.ConnectionTest, error) {
	src, err := org.Source(ctx, sourceID)
	if err != nil {
		return assay.ConnectionTest{}, err
	}
	if src.IsFileKind() {
		return assay.ConnectionTest{}, assay.Invalid("kind", "A %s source reads an imported file; there is no connection to test.", src.Kind)
	}
	if src.Kind == "host" {
		return assay.ConnectionTest{}, assay.Invalid("kind", "A host source is fed by its agent; there is no connection to test.")
	}
	col, err := r.Collector(src.Kind)
	if err != nil {
		return assay.ConnectionTest{}, err
	}
	cfg, err := r.config(ctx, org, src)
	if err != nil {
		return assay.ConnectionTest{Message: redact(err.Error(), cfg.Secrets)}, nil
	}
	cfg.Keep, cfg.Previous = nil, nil
	got, err := r.collect(ctx, col, cfg)
	if ctx.Err() != nil {
		return assay.ConnectionTest{}, ctx.Err()
	}
	if err != nil {
		return assay.ConnectionTest{Message: redact(err.Error(), cfg.Secrets)}, nil
	}
	return assay.ConnectionTest{OK: true, Resources: len(got.resources),
		Message: fmt.Sprintf("Connected: %s read %d resources; nothing was recorded.", src.Kind, len(got.resources))}, nil
}
