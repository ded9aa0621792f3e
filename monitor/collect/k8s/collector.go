// Package k8s collects resources from Kubernetes manifests (YAML with one
// or more documents, or JSON, including `kind: List`): workloads become
// "k8s.workload" resources with their pods' security settings summarised,
// and role bindings become "k8s.binding" resources.
package k8s

import (
	"context"
	"sort"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

// Resource kinds this collector produces.
const (
	KindWorkload = "k8s.workload"
	KindBinding  = "k8s.binding"
)

type collector struct{}

// New returns the Kubernetes manifest collector.
func New() monitor.Collector { return collector{} }

func (collector) Kind() string            { return "k8s" }
func (collector) ResourceKinds() []string { return []string{KindBinding, KindWorkload} }

// Validate accepts any settings; when manifests are attached they must parse.
func (collector) Validate(cfg monitor.Config) error {
	if len(cfg.Input) == 0 {
		return nil
	}
	_, err := Parse(cfg.Input)
	return err
}

func (collector) Collect(ctx context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	if len(cfg.Input) == 0 {
		return nil, assay.Invalid("input", "no Kubernetes manifests were uploaded")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return Parse(cfg.Input)
}

// Parse reads manifests and returns their workloads and bindings, sorted
// by kind and id. Objects of other kinds are skipped. The same object twice
// is an error naming both places.
func Parse(data []byte) ([]assay.Resource, error) {
	objs, err := decode(data)
	if err != nil {
		return nil, err
	}
	var out []assay.Resource
	seen := map[string]string{}
	for _, o := range objs {
		var r *assay.Resource
		var err error
		switch o.kind() {
		case "RoleBinding", "ClusterRoleBinding":
			r, err = binding(o)
		default:
			r, err = workload(o)
		}
		if err != nil {
			return nil, err
		}
		if r == nil {
			continue
		}
		key := r.Kind + " " + r.ID
		if prev, dup := seen[key]; dup {
			return nil, assay.Invalid("input", "%s: %s %s is defined twice (first at %s)", o.where, o.kind(), r.ID, prev)
		}
		seen[key] = o.where
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}
