package k8s

import "github.com/assay-platform/assay"

// broadGroups are the groups that mean everyone (or anyone) who can reach
// the API server.
var broadGroups = map[string]bool{"system:anonymous": true, "system:unauthenticated": true, "system:authenticated": true}

// binding turns a RoleBinding or ClusterRoleBinding into a "k8s.binding"
// resource. Attributes: kind, namespace ("" for cluster bindings), name,
// role_kind, role_name (strings); subjects (list of "Kind/name", service
// accounts as "ServiceAccount/namespace/name"); cluster_admin (bool: the
// role is cluster-admin); cluster_admin_subjects (subjects given
// cluster-admin other than the built-in system:masters group); anonymous
// (bool: a subject is system:anonymous, system:unauthenticated or
// system:authenticated).
func binding(o object) (*assay.Resource, error) {
	meta := path(o.m, "metadata")
	name := str(meta, "name")
	if name == "" {
		return nil, assay.Invalid("input", "%s: %s has no metadata.name", o.where, o.kind())
	}
	role := path(o.m, "roleRef")
	if str(role, "name") == "" {
		return nil, assay.Invalid("input", "%s: %s %s has no roleRef.name", o.where, o.kind(), name)
	}
	ns := ""
	id := o.kind() + "/" + name
	if o.kind() == "RoleBinding" {
		ns = str(meta, "namespace")
		if ns == "" {
			ns = "default"
		}
		id = ns + "/" + id
	}
	admin := str(role, "name") == "cluster-admin"
	var subjects, adminSubjects []string
	anon := false
	for _, s := range list(o.m, "subjects") {
		label := str(s, "kind") + "/" + str(s, "name")
		if str(s, "kind") == "ServiceAccount" {
			sns := str(s, "namespace")
			if sns == "" {
				sns = ns
			}
			label = "ServiceAccount/" + sns + "/" + str(s, "name")
		}
		subjects = append(subjects, label)
		if admin && label != "Group/system:masters" {
			adminSubjects = append(adminSubjects, label)
		}
		anon = anon || broadGroups[str(s, "name")]
	}
	return &assay.Resource{Kind: KindBinding, ID: id, Name: id, Attrs: map[string]any{
		"kind": o.kind(), "namespace": ns, "name": name,
		"role_kind": str(role, "kind"), "role_name": str(role, "name"),
		"subjects": anyList(subjects), "cluster_admin": admin,
		"cluster_admin_subjects": anyList(adminSubjects), "anonymous": anon,
	}}, nil
}
