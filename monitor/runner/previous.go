package runner

import (
	"context"
	"fmt"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// maxRunsBack bounds how far back previous looks for a successful run.
const maxRunsBack = 1000

// previous returns the source's monitor.Config.Previous: the resources of
// its latest successful run with a snapshot, read when the collector asks
// (only collectors that carry state between runs do). Before any such run
// (or without a blob store) there are none; a snapshot that cannot be
// read is an error, so the collector fails rather than forget its state.
func (r *Runner) previous(org store.OrgStore, sourceID int64) func(context.Context) ([]assay.Resource, error) {
	return func(ctx context.Context) ([]assay.Resource, error) {
		if r.Blobs == nil {
			return nil, nil
		}
		runs, err := org.Runs(ctx, sourceID, maxRunsBack)
		if err != nil {
			return nil, fmt.Errorf("previous run: %w", err)
		}
		for _, run := range runs {
			if run.Status != assay.RunOK || run.Snapshot == "" {
				continue
			}
			res, err := LoadSnapshot(ctx, r.Blobs, run.Snapshot)
			if err != nil {
				return nil, fmt.Errorf("the resources of run %d cannot be read back: %w", run.ID, err)
			}
			return res, nil
		}
		return nil, nil
	}
}
