package k8s

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/assay-platform/assay"
)

// KindAPIServer is the resource kind of an API server's audit settings,
// read from what the manifests show of them: a kube-apiserver container
// (kubeadm's static pod manifest, or any workload running it), kubeadm's
// ClusterConfiguration (alone or inside the kube-system/kubeadm-config
// ConfigMap) or an eksctl ClusterConfig.
const KindAPIServer = "k8s.apiserver"

// Origins of an API server resource.
const (
	originContainer = "kube-apiserver container"
	originKubeadm   = "kubeadm ClusterConfiguration"
	originConfigMap = "kubeadm-config ConfigMap"
	originEksctl    = "eksctl ClusterConfig"
)

// apiServerFlags are the kube-apiserver flags read, without their dashes.
var apiServerFlags = []string{"audit-policy-file", "audit-log-path", "audit-webhook-config-file", "audit-log-maxage"}

// apiServerSettings turns the flags an API server is given into a
// resource. Attributes: origin, audit_policy_file, audit_log_path,
// audit_webhook_config_file (strings, "" when not set), audit_log_maxage
// (int: days, -1 when not set), audit_logging (bool: a policy and a
// destination, file or webhook, are both set) and audit_gap (string: what
// is missing, "" when nothing is).
func apiServerSettings(id, origin string, flags map[string]string) assay.Resource {
	maxAge := int64(-1)
	if n, err := strconv.ParseInt(flags["audit-log-maxage"], 10, 64); err == nil {
		maxAge = n
	}
	policy, file, hook := flags["audit-policy-file"], flags["audit-log-path"], flags["audit-webhook-config-file"]
	var gaps []string
	if policy == "" {
		gaps = append(gaps, "no --audit-policy-file, so no event is recorded")
	}
	if file == "" && hook == "" {
		gaps = append(gaps, "neither --audit-log-path nor --audit-webhook-config-file, so events have nowhere to go")
	}
	return assay.Resource{Kind: KindAPIServer, ID: id, Name: id, Attrs: map[string]any{
		"origin": origin, "audit_policy_file": policy, "audit_log_path": file, "audit_webhook_config_file": hook,
		"audit_log_maxage": maxAge, "audit_logging": len(gaps) == 0, "audit_gap": strings.Join(gaps, "; "),
	}}
}

// containerAPIServers finds the kube-apiserver containers of a workload's
// pod spec (the command, or the image, is kube-apiserver) and reads their
// flags. id is the workload's resource id; the container's name follows it.
func containerAPIServers(spec map[string]any, id string) []assay.Resource {
	var found []map[string]any
	for _, c := range list(spec, "containers") {
		cmd := append(anyStrings(c["command"]), anyStrings(c["args"])...)
		image := str(c, "image")
		repo, _, _ := strings.Cut(base(strings.SplitN(image, "@", 2)[0]), ":")
		if (len(cmd) > 0 && base(cmd[0]) == "kube-apiserver") || repo == "kube-apiserver" {
			found = append(found, c)
		}
	}
	out := make([]assay.Resource, 0, len(found))
	for _, c := range found {
		out = append(out, apiServerSettings(id+"/"+str(c, "name"), originContainer, cliFlags(append(anyStrings(c["command"]), anyStrings(c["args"])...))))
	}
	return out
}

// base is the last element of a slash-separated path.
func base(p string) string { return p[strings.LastIndex(p, "/")+1:] }

// cliFlags reads --name=value and --name value arguments for the flags in
// apiServerFlags.
func cliFlags(args []string) map[string]string {
	out := map[string]string{}
	for i, a := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "--") || !slices.Contains(apiServerFlags, name) {
			continue
		}
		if !hasValue && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			value = args[i+1]
		}
		out[name] = strings.TrimSpace(value)
	}
	return out
}

// clusterConfigAPIServer reads the API server settings of a cluster
// configuration object; nil for other objects. A kubeadm-config ConfigMap
// whose ClusterConfiguration does not parse is an error.
func clusterConfigAPIServer(o object) (*assay.Resource, error) {
	group, _, _ := strings.Cut(str(o.m, "apiVersion"), "/")
	meta := path(o.m, "metadata")
	switch {
	case o.kind() == "ClusterConfiguration" && group == "kubeadm.k8s.io":
		name := str(o.m, "clusterName")
		if name == "" {
			name = "kubernetes"
		}
		r := apiServerSettings("ClusterConfiguration/"+name, originKubeadm, extraArgs(o.m))
		return &r, nil
	case o.kind() == "ConfigMap" && str(meta, "name") == "kubeadm-config" && str(meta, "namespace") == "kube-system":
		text, _ := path(o.m, "data")["ClusterConfiguration"].(string)
		if text == "" {
			return nil, nil
		}
		var cc map[string]any
		if err := yaml.Unmarshal([]byte(text), &cc); err != nil {
			return nil, assay.Invalid("input", "%s: ConfigMap kube-system/kubeadm-config: data.ClusterConfiguration is not YAML: %s",
				o.where, strings.TrimPrefix(err.Error(), "yaml: "))
		}
		cc, _ = plain(cc).(map[string]any)
		r := apiServerSettings("kube-system/ConfigMap/kubeadm-config", originConfigMap, extraArgs(cc))
		return &r, nil
	case o.kind() == "ClusterConfig" && group == "eksctl.io":
		name := str(meta, "name")
		if name == "" {
			return nil, assay.Invalid("input", "%s: ClusterConfig has no metadata.name", o.where)
		}
		r := eksctlLogging("ClusterConfig/"+name, path(o.m, "cloudWatch", "clusterLogging"))
		return &r, nil
	}
	return nil, nil
}

// extraArgs reads apiServer.extraArgs of a kubeadm ClusterConfiguration: a
// mapping in v1beta3, a list of {name, value} in v1beta4.
func extraArgs(cc map[string]any) map[string]string {
	out := map[string]string{}
	api := path(cc, "apiServer")
	switch args := api["extraArgs"].(type) {
	case map[string]any:
		for k, v := range args {
			out[strings.TrimLeft(k, "-")] = strings.TrimSpace(fmt.Sprint(v))
		}
	case []any:
		for _, a := range args {
			if m, ok := a.(map[string]any); ok {
				out[strings.TrimLeft(str(m, "name"), "-")] = strings.TrimSpace(fmt.Sprint(m["value"]))
			}
		}
	}
	return out
}

// eksctlLogging reads an eksctl ClusterConfig's control-plane logging:
// cloudWatch.clusterLogging.enableTypes must include audit (or all, *).
// EKS writes the audit log to CloudWatch Logs, so it stands for a log
// path; logRetentionInDays for the maximum age.
func eksctlLogging(id string, logging map[string]any) assay.Resource {
	on := false
	for _, t := range anyStrings(logging["enableTypes"]) {
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "audit", "all", "*":
			on = true
		}
	}
	r := assay.Resource{Kind: KindAPIServer, ID: id, Name: id, Attrs: map[string]any{
		"origin": originEksctl, "audit_policy_file": "", "audit_log_path": "", "audit_webhook_config_file": "",
		"audit_log_maxage": int64(-1), "audit_logging": on, "audit_gap": "",
	}}
	if on {
		r.Attrs["audit_log_path"] = "CloudWatch Logs"
	} else {
		r.Attrs["audit_gap"] = "cloudWatch.clusterLogging.enableTypes does not include audit"
	}
	if n, ok := num(logging, "logRetentionInDays"); ok {
		r.Attrs["audit_log_maxage"] = n
	}
	return r
}
