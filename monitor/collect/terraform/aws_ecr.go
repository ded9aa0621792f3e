package terraform

import "strings"

// deriveECR sets on aws_ecr_repository: scan_on_push (bool: its own
// image_scanning_configuration, or a registry scanning configuration
// whose rules scan every repository on push or continuously) and
// tag_immutable (bool: IMMUTABLE, with or without exclusions; MUTABLE is
// the default).
func (d *doc) deriveECR() {
	registryScans := false
	for _, h := range d.byType["aws_ecr_registry_scanning_configuration"] {
		for _, rl := range blocks(h.Values, "rule") {
			freq := str(rl, "scan_frequency")
			if freq != "SCAN_ON_PUSH" && freq != "CONTINUOUS_SCAN" {
				continue
			}
			for _, f := range blocks(rl, "repository_filter") {
				registryScans = registryScans || str(f, "filter") == "*"
			}
		}
	}
	for _, r := range d.byType["aws_ecr_repository"] {
		v := r.Values
		v["scan_on_push"] = registryScans || boolean(block(v, "image_scanning_configuration"), "scan_on_push", false)
		setDefault(v, "image_tag_mutability", "MUTABLE")
		v["tag_immutable"] = strings.HasPrefix(str(v, "image_tag_mutability"), "IMMUTABLE")
	}
}
