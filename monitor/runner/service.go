package runner

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/secret"
	"github.com/assay-platform/assay/store"
)

// Service is the runner as the web server sees it (app.MonitorService):
// running, pushing and importing, the organisation's checks, and sources
// created and updated with their secrets sealed to them.
type Service struct{ *Runner }

// Checks returns the organisation's checks (library and custom).
func (s Service) Checks(ctx context.Context, org store.OrgStore) ([]assay.Check, error) {
	return s.ChecksFor(ctx, org)
}

// SealSecrets encrypts a source's secrets, bound to the organisation and
// the source, for MonitorStore.CreateSource/UpdateSource.
func (s Service) SealSecrets(orgID, sourceID int64, m map[string]string) ([]byte, error) {
	if s.Box == nil {
		return nil, errors.New("no secret key is configured")
	}
	return s.Box.Seal(secret.SourceAAD(orgID, sourceID), m)
}

// ValidateSource checks a source's settings and secrets with its kind's
// collector before they are saved (an assay.Invalid naming the field).
func (s Service) ValidateSource(kind string, settings, secrets map[string]string) error {
	col, err := s.Collector(kind)
	if err != nil {
		return err
	}
	return col.Validate(monitor.Config{Settings: settings, Secrets: secrets})
}

// CreateSource validates and stores a new source with its secrets. The
// secrets are sealed to the new source's id, so the source is first
// stored disabled and without secrets, then given its sealed secrets and
// the enabled flag asked for; the scheduler never sees it half made.
func (s Service) CreateSource(ctx context.Context, org store.OrgStore, actor assay.Actor, src assay.Source, secrets map[string]string) (assay.Source, error) {
	secrets = nonEmpty(secrets)
	if err := s.ValidateSource(src.Kind, src.Settings, secrets); err != nil {
		return assay.Source{}, err
	}
	src.SecretNames = slices.Sorted(maps.Keys(secrets))
	if len(secrets) == 0 {
		return org.CreateSource(ctx, actor, src, nil)
	}
	enabled := src.Enabled
	src.Enabled = false
	created, err := org.CreateSource(ctx, actor, src, nil)
	if err != nil {
		return assay.Source{}, err
	}
	sealed, err := s.SealSecrets(org.OrgID(), created.ID, secrets)
	if err != nil {
		return assay.Source{}, fmt.Errorf("seal secrets: %w", err)
	}
	created.Enabled = enabled
	return org.UpdateSource(ctx, actor, created.ID, created, sealed)
}

// UpdateSource changes a source. Secrets given with a value replace the
// stored ones of that name; a name given with "" keeps the stored value
// (forms never show secrets again, so a blank field means "unchanged");
// nil secrets keep them all. The merged secrets are validated with the
// settings before anything is saved.
func (s Service) UpdateSource(ctx context.Context, org store.OrgStore, actor assay.Actor, id int64, src assay.Source, secrets map[string]string) (assay.Source, error) {
	cur, err := org.Source(ctx, id)
	if err != nil {
		return assay.Source{}, err
	}
	stored, err := s.OpenSecrets(ctx, org, id)
	if err != nil {
		return assay.Source{}, err
	}
	merged := maps.Clone(stored)
	maps.Copy(merged, nonEmpty(secrets))
	if err := s.ValidateSource(cur.Kind, src.Settings, merged); err != nil {
		return assay.Source{}, err
	}
	src.Kind = cur.Kind
	src.SecretNames = slices.Sorted(maps.Keys(merged))
	var sealed []byte
	if len(nonEmpty(secrets)) > 0 {
		if sealed, err = s.SealSecrets(org.OrgID(), id, merged); err != nil {
			return assay.Source{}, fmt.Errorf("seal secrets: %w", err)
		}
	}
	return org.UpdateSource(ctx, actor, id, src, sealed)
}

func nonEmpty(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if v != "" {
			out[k] = v
		}
	}
	return out
}
