// Package k8s collects resources from Kubernetes manifests (YAML with one
// or more documents, or JSON, including `kind: List`): every object with a
// pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet,
// ReplicationController, Job, CronJob, Pod, OpenShift DeploymentConfig,
// Argo Rollout, and any other object holding spec.template.spec) becomes a
// "k8s.workload" resource with its pods' security settings summarised,
// role bindings become "k8s.binding" resources, and the audit settings of
// an API server, where the manifests show them (kube-apiserver's static
// pod, kubeadm's ClusterConfiguration, eksctl's ClusterConfig), a
// "k8s.apiserver" resource.
package k8s

import (
	"context"
	"log/slog"
	"sort"
	"strings"

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
func (collector) ResourceKinds() []string { return []string{KindAPIServer, KindBinding, KindWorkload} }

// Validate accepts any settings; when manifests are attached they must parse.
func (collector) Validate(cfg monitor.Config) error {
	if len(cfg.Input) == 0 {
		return nil
	}
	_, err := Parse(cfg.Input)
	return err
}

func (c collector) Collect(ctx context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	res, notes, err := c.CollectNotes(ctx, cfg)
	for _, n := range notes {
		monitor.Note(ctx, "%s", n) // kept with the run
	}
	return res, err
}

// CollectNotes is Collect that also returns what the import should tell
// its user: what was read, and what was skipped and why. The notes are
// logged too.
func (collector) CollectNotes(ctx context.Context, cfg monitor.Config) ([]assay.Resource, []string, error) {
	if len(cfg.Input) == 0 {
		return nil, nil, assay.Invalid("input", "no Kubernetes manifests were uploaded")
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	r, err := Read(cfg.Input)
	if err != nil {
		return nil, nil, err
	}
	for _, n := range r.Notes {
		slog.InfoContext(ctx, "k8s manifests", "note", n)
	}
	return r.Resources, r.Notes, nil
}

// Parse reads manifests and returns their resources, sorted by kind and
// id (Read without the notes).
func Parse(data []byte) ([]assay.Resource, error) {
	r, err := Read(data)
	if err != nil {
		return nil, err
	}
	return r.Resources, nil
}

// Result is what Read found in a set of manifests.
type Result struct {
	Resources []assay.Resource
	// Read counts the workloads and role bindings read, by Kubernetes
	// kind; Skipped the objects of kinds the collector does not read.
	Read, Skipped map[string]int
	// Unread lists the workload objects that were not read, with why
	// ("Deployment web/api has no spec.template.spec").
	Unread []string
	// Notes say all that in sentences for the user.
	Notes []string
}

// Read reads manifests: the workloads, bindings and API server settings
// they hold, sorted by kind and id, and notes saying what was read and
// what was skipped. The same object twice is an error naming both places.
func Read(data []byte) (*Result, error) {
	objs, err := decode(data)
	if err != nil {
		return nil, err
	}
	out := &Result{Read: map[string]int{}, Skipped: map[string]int{}}
	seen := map[string]string{}
	add := func(o object, r assay.Resource) error {
		key := r.Kind + " " + r.ID
		if prev, dup := seen[key]; dup {
			return assay.Invalid("input", "%s: %s %s is defined twice (first at %s)", o.where, o.kind(), r.ID, prev)
		}
		seen[key] = o.where
		out.Resources = append(out.Resources, r)
		return nil
	}
	var empty []string
	for _, o := range objs {
		o.m = plain(o.m).(map[string]any)
		if r, err := clusterConfigAPIServer(o); err != nil {
			return nil, err
		} else if r != nil {
			if err := add(o, *r); err != nil {
				return nil, err
			}
			continue
		}
		var r *assay.Resource
		var skip string
		var err error
		switch o.kind() {
		case "RoleBinding", "ClusterRoleBinding":
			r, err = binding(o)
		default:
			r, skip, err = workload(o)
		}
		if err != nil {
			return nil, err
		}
		if skip != "" {
			out.Unread = append(out.Unread, skip)
			continue
		}
		if r == nil {
			out.Skipped[o.kind()]++
			continue
		}
		if err := add(o, *r); err != nil {
			return nil, err
		}
		out.Read[label(o)]++
		if r.Kind != KindWorkload {
			continue
		}
		if len(r.Attrs["containers"].([]any)) == 0 {
			empty = append(empty, r.ID)
		}
		spec, _, _ := podSpec(o)
		for _, api := range containerAPIServers(spec, r.ID) {
			if err := add(o, api); err != nil {
				return nil, err
			}
		}
	}
	sort.Slice(out.Resources, func(i, j int) bool {
		if out.Resources[i].Kind != out.Resources[j].Kind {
			return out.Resources[i].Kind < out.Resources[j].Kind
		}
		return out.Resources[i].ID < out.Resources[j].ID
	})
	out.Notes = notes(out, empty)
	return out, nil
}

// label names an object's kind for the notes, with its API group when the
// kind is not one of the workload kinds known by name (a Knative Service
// is not a core Service).
func label(o object) string {
	k := o.kind()
	if _, known := podSpecPath[k]; known || k == "RoleBinding" || k == "ClusterRoleBinding" {
		return k
	}
	if group, _, ok := strings.Cut(str(o.m, "apiVersion"), "/"); ok && group != "" {
		return k + " (" + group + ")"
	}
	return k
}
