package k8s

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/assay-platform/assay"
)

// podSpecPath says where each workload kind keeps its pod spec. Objects
// of other kinds are read too when they hold a pod template where these
// do (spec.template.spec, or a CronJob's spec.jobTemplate.spec.template.spec):
// a Knative Service, a custom resource.
var podSpecPath = map[string][]string{
	"Pod":                   {"spec"},
	"PodTemplate":           {"template", "spec"},
	"Deployment":            {"spec", "template", "spec"},
	"StatefulSet":           {"spec", "template", "spec"},
	"DaemonSet":             {"spec", "template", "spec"},
	"ReplicaSet":            {"spec", "template", "spec"},
	"ReplicationController": {"spec", "template", "spec"},
	"Job":                   {"spec", "template", "spec"},
	"CronJob":               {"spec", "jobTemplate", "spec", "template", "spec"},
	"DeploymentConfig":      {"spec", "template", "spec"}, // OpenShift
	"Rollout":               {"spec", "template", "spec"}, // Argo Rollouts
}

// templatePaths are where an object of another kind may hold a pod template.
var templatePaths = [][]string{{"spec", "template", "spec"}, {"spec", "jobTemplate", "spec", "template", "spec"}}

// podSpec finds an object's pod spec and the path it was found at. known
// is false for a kind that is not a workload kind and holds no pod
// template; spec is nil for a workload kind without one (a kustomize
// patch that only sets replicas, a Rollout with a workloadRef).
func podSpec(o object) (spec map[string]any, where []string, known bool) {
	if p, ok := podSpecPath[o.kind()]; ok {
		return path(o.m, p...), p, true
	}
	for _, p := range templatePaths {
		if spec := path(o.m, p...); spec != nil && len(list(spec, "containers")) > 0 {
			return spec, p, true
		}
	}
	return nil, nil, false
}

// dangerousCaps are capabilities that amount to root on the node.
var dangerousCaps = []string{"ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "DAC_READ_SEARCH", "NET_RAW", "BPF"}

// workload summarises a workload's pod spec. Attributes: kind, namespace,
// name (strings); images, privileged_containers, host_path_volumes,
// dangerous_capabilities (lists of strings); any_privileged,
// all_run_as_non_root, all_have_limits, host_network, host_pid, host_ipc,
// allow_privilege_escalation (some container may escalate),
// read_only_root_fs (every container), image_tag_latest (some image is
// :latest or untagged) (bools); root_containers, unlimited_containers,
// escalating_containers, writable_containers (names of the containers
// that break each rule, for reasons); containers (list of maps). Init
// containers count for every rule but limits. A pod spec without
// containers (a partial manifest) is read for its pod-level settings.
// skip says why an object of a workload kind was not read ("" when it
// was); an object of another kind gives nil and no reason.
func workload(o object) (r *assay.Resource, skip string, err error) {
	spec, p, known := podSpec(o)
	if !known {
		return nil, "", nil
	}
	meta := path(o.m, "metadata")
	name := str(meta, "name")
	if name == "" {
		return nil, "", assay.Invalid("input", "%s: %s has no metadata.name", o.where, o.kind())
	}
	ns := str(meta, "namespace")
	if ns == "" {
		ns = "default"
	}
	if spec == nil {
		why := "no " + strings.Join(p, ".")
		if o.kind() == "Rollout" && path(o.m, "spec", "workloadRef") != nil {
			why = "a workloadRef instead of a pod template (the Deployment it names is read when it is uploaded too)"
		}
		return nil, fmt.Sprintf("%s %s/%s has %s", o.kind(), ns, name, why), nil
	}
	podSC := path(spec, "securityContext")
	podNonRoot, _ := flag(podSC, "runAsNonRoot")
	podUser, podUserSet := num(podSC, "runAsUser")

	app := list(spec, "containers")
	all := append(slices.Clone(app), list(spec, "initContainers")...)
	var (
		images, privileged, caps             []string
		root, noLimits, escalating, writable []string
		containers                           []any
		nonRoot, limits, roFS                = true, true, true
		escalate, latest                     bool
	)
	for i, c := range all {
		cname := str(c, "name")
		sc := path(c, "securityContext")
		priv, _ := flag(sc, "privileged")
		// run as non-root: the container's own setting wins over the pod's;
		// a non-zero runAsUser also means not root.
		cNonRoot := podNonRoot
		if v, ok := flag(sc, "runAsNonRoot"); ok {
			cNonRoot = v
		}
		user, userSet := podUser, podUserSet
		if u, ok := num(sc, "runAsUser"); ok {
			user, userSet = u, true
		}
		if userSet {
			cNonRoot = user != 0
		}
		esc, escSet := flag(sc, "allowPrivilegeEscalation")
		cEscalate := priv || !escSet || esc
		ro, _ := flag(sc, "readOnlyRootFilesystem")
		lim := path(c, "resources", "limits")
		hasLimits := lim != nil && lim["cpu"] != nil && lim["memory"] != nil
		image := str(c, "image")
		isLatest := latestTag(image)
		var added []string
		for _, a := range anyStrings(path(sc, "capabilities")["add"]) {
			if slices.Contains(dangerousCaps, strings.ToUpper(strings.TrimPrefix(a, "CAP_"))) {
				added = append(added, cname+":"+a)
			}
		}
		images = append(images, image)
		if priv {
			privileged = append(privileged, cname)
		}
		caps = append(caps, added...)
		nonRoot = nonRoot && cNonRoot
		if !cNonRoot {
			root = append(root, cname)
		}
		if i < len(app) {
			limits = limits && hasLimits
			if !hasLimits {
				noLimits = append(noLimits, cname)
			}
		}
		escalate = escalate || cEscalate
		if cEscalate {
			escalating = append(escalating, cname)
		}
		roFS = roFS && ro
		if !ro {
			writable = append(writable, cname)
		}
		latest = latest || isLatest
		containers = append(containers, map[string]any{
			"name": cname, "image": image, "init": i >= len(app), "privileged": priv,
			"run_as_non_root": cNonRoot, "has_limits": hasLimits, "allow_privilege_escalation": cEscalate,
			"read_only_root_fs": ro, "image_tag_latest": isLatest,
		})
	}
	var hostPaths []string
	for _, v := range list(spec, "volumes") {
		if hp := path(v, "hostPath"); hp != nil {
			hostPaths = append(hostPaths, str(hp, "path"))
		}
	}
	hostNet, _ := flag(spec, "hostNetwork")
	hostPID, _ := flag(spec, "hostPID")
	hostIPC, _ := flag(spec, "hostIPC")
	id := ns + "/" + o.kind() + "/" + name
	return &assay.Resource{Kind: KindWorkload, ID: id, Name: id, Attrs: map[string]any{
		"kind": o.kind(), "namespace": ns, "name": name,
		"images": anyList(images), "containers": containers,
		"privileged_containers": anyList(privileged), "any_privileged": len(privileged) > 0,
		"all_run_as_non_root": nonRoot, "all_have_limits": limits,
		"host_path_volumes": anyList(hostPaths), "host_network": hostNet, "host_pid": hostPID, "host_ipc": hostIPC,
		"allow_privilege_escalation": escalate, "read_only_root_fs": roFS, "image_tag_latest": latest,
		"dangerous_capabilities": anyList(caps),
		"root_containers":        anyList(root), "unlimited_containers": anyList(noLimits),
		"escalating_containers": anyList(escalating), "writable_containers": anyList(writable),
	}}, "", nil
}

// latestTag reports whether an image reference floats: tagged :latest, or
// neither tagged nor pinned by digest.
func latestTag(image string) bool {
	if image == "" || strings.Contains(image, "@") {
		return false
	}
	last := image[strings.LastIndex(image, "/")+1:]
	i := strings.LastIndex(last, ":")
	return i < 0 || last[i+1:] == "latest"
}

func num(m map[string]any, k string) (int64, bool) {
	switch x := m[k].(type) {
	case int:
		return int64(x), true
	case int64:
		return x, true
	case float64:
		return int64(x), true
	case json.Number:
		i, err := x.Int64()
		return i, err == nil
	}
	return 0, false
}

func anyStrings(v any) []string {
	l, _ := v.([]any)
	var out []string
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func anyList(l []string) []any {
	out := make([]any, len(l))
	for i, s := range l {
		out[i] = s
	}
	return out
}
