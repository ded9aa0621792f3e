package trivy

import (
	"github.com/assay-platform/assay"
)

// maxListed bounds the secrets and licences an artifact lists by name.
const maxListed = 10

// artifact gathers what one report says about its artifact.
type artifact struct {
	name, typ, noun string
	counts          map[string]int64 // vulnerabilities by severity
	fixable         int64
	fixCrit         int64
	fixHigh         int64
	oldCrit         int64 // days since the oldest fixable critical was first seen, -1 if none
	oldHigh         int64
	secretCount     int64
	secretList      []any
	misconfFailed   int64
	forbiddenCount  int64
	forbiddenList   []any
	misconfs        []assay.Resource
	misconfAt       map[string]int // misconfiguration id -> index in misconfs
}

func newArtifact(rep report) *artifact {
	return &artifact{name: rep.ArtifactName, typ: rep.ArtifactType, noun: noun(rep.ArtifactType),
		counts: map[string]int64{}, oldCrit: -1, oldHigh: -1, secretList: []any{}, forbiddenList: []any{},
		misconfAt: map[string]int{}}
}

// noun names what Trivy scanned, as the reasons say it: an image, a
// repository, a directory... never "image" for what is not one.
func noun(artifactType string) string {
	switch artifactType {
	case "container_image":
		return "image"
	case "repository":
		return "repository"
	case "filesystem":
		return "directory"
	case "rootfs":
		return "root filesystem"
	case "vm":
		return "VM image"
	case "cyclonedx", "spdx":
		return "SBOM"
	case "aws_account":
		return "AWS account"
	}
	return "artifact"
}

// resource is the trivy.artifact resource.
func (a *artifact) resource(scanned int64) assay.Resource {
	attrs := map[string]any{
		"artifact": a.name, "artifact_type": a.typ, "artifact_noun": a.noun,
		"fixable": a.fixable, "fixable_critical": a.fixCrit, "fixable_high": a.fixHigh,
		"oldest_fixable_critical_days": a.oldCrit, "oldest_fixable_high_days": a.oldHigh,
		"secrets": a.secretCount, "secret_findings": a.secretList,
		"misconfigurations":  a.misconfFailed,
		"licenses_forbidden": a.forbiddenCount, "forbidden_licenses": a.forbiddenList,
		"scanned_days_ago": scanned,
	}
	var total int64
	for _, s := range severities {
		attrs[s] = a.counts[s]
		total += a.counts[s]
	}
	attrs["total"] = total
	return assay.Resource{Kind: KindArtifact, ID: a.name, Name: a.name, Attrs: attrs}
}
