package terraform

import (
	"slices"
	"strings"
)

// publicMembers are the Google principals that mean "anyone".
var publicMembers = []string{"allUsers", "allAuthenticatedUsers"}

// deriveGCPStorage sets on google_storage_bucket: uniform_bucket_level_access
// (default off), public_access_prevention (default "inherited": whatever
// the organisation policy says), versioning (bool), public_members (list)
// and public (bool: anyone can read, joined from the bucket IAM and ACL
// resources, unless public access prevention is enforced).
func (d *doc) deriveGCPStorage() {
	members := map[*resource][]string{}
	bucketOf := func(h *resource) *resource {
		if v := strings.TrimPrefix(str(h.Values, "bucket"), "b/"); v != "" {
			if b := d.findByValue("google_storage_bucket", v, "name", "id"); b != nil {
				return b
			}
		}
		return d.findByRef(h, "bucket", "google_storage_bucket")
	}
	for _, typ := range []string{"google_storage_bucket_iam_member", "google_storage_bucket_iam_binding", "google_storage_bucket_access_control", "google_storage_default_object_access_control"} {
		for _, h := range d.byType[typ] {
			b := bucketOf(h)
			if b == nil {
				continue
			}
			for _, m := range append(append(strs(h.Values, "members"), str(h.Values, "member")), str(h.Values, "entity")) {
				if slices.Contains(publicMembers, m) {
					members[b] = append(members[b], m)
				}
			}
		}
	}
	for _, b := range d.byType["google_storage_bucket"] {
		v := b.Values
		setDefault(v, "uniform_bucket_level_access", false)
		setDefault(v, "public_access_prevention", "inherited")
		v["versioning"] = boolean(block(v, "versioning"), "enabled", false)
		m := slices.Compact(slices.Sorted(slices.Values(members[b])))
		v["public_members"] = anyList(m)
		v["public"] = len(m) > 0 && str(v, "public_access_prevention") != "enforced"
	}
}
