package terraform

import (
	"slices"
	"strconv"
	"strings"
)

// eksDefaultEncryption is the first Kubernetes version whose clusters EKS
// envelope-encrypts (all Kubernetes API data, secrets included) by
// default, with an AWS owned key.
const eksDefaultEncryption = 28 // 1.28

// eksLogTypes are the control plane logs a cluster must send to
// CloudWatch: the API server, the audit log and the authenticator (who
// signed in as whom).
var eksLogTypes = []string{"api", "audit", "authenticator"}

// deriveEKS sets on aws_eks_cluster: endpoint_public (bool, on by
// default), public_access_cidrs (AWS's default is 0.0.0.0/0, also when a
// plan leaves it to apply), endpoint_open_to_world (bool), secrets_encryption
// ("kms" with an encryption_config for secrets, "aws-default" for 1.28 and
// later, or a version left to apply, which EKS encrypts by default, "none")
// and missing_log_types (the eksLogTypes not enabled).
func (d *doc) deriveEKS() {
	for _, r := range d.byType["aws_eks_cluster"] {
		v := r.Values
		vpc := block(v, "vpc_config")
		public := boolean(vpc, "endpoint_public_access", true)
		cidrs := strs(vpc, "public_access_cidrs")
		if len(cidrs) == 0 { // not set, or left to apply: AWS opens it to all
			cidrs = []string{"0.0.0.0/0"}
		}
		v["endpoint_public"] = public
		v["public_access_cidrs"] = anyList(cidrs)
		v["endpoint_open_to_world"] = public && slices.ContainsFunc(cidrs, func(c string) bool { return c == "0.0.0.0/0" || c == "::/0" })

		enc := "none"
		for _, ec := range blocks(v, "encryption_config") {
			if slices.Contains(strs(ec, "resources"), "secrets") {
				enc = "kms"
			}
		}
		if enc == "none" && eksVersionAtLeast(str(v, "version"), eksDefaultEncryption) {
			enc = "aws-default"
		}
		v["secrets_encryption"] = enc
		var missing []string
		enabled := strs(v, "enabled_cluster_log_types")
		for _, t := range eksLogTypes {
			if !slices.Contains(enabled, t) {
				missing = append(missing, t)
			}
		}
		v["missing_log_types"] = anyList(missing)
	}
}

// eksVersionAtLeast reports whether a Kubernetes version "1.N" is at least
// 1.minor; an empty version (left to apply) is EKS's current default,
// which is later than 1.28.
func eksVersionAtLeast(version string, minor int) bool {
	if version == "" {
		return true
	}
	parts := strings.SplitN(version, ".", 3)
	major, err := strconv.Atoi(parts[0])
	if err != nil || len(parts) < 2 {
		return false
	}
	m, err := strconv.Atoi(parts[1])
	return err == nil && (major > 1 || major == 1 && m >= minor)
}
