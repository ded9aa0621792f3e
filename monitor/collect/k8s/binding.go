package k8s

import "github.com/assay-platform/assay"

// anonymousSubjects are the subjects that stand for requests nobody
// authenticated: the user system:anonymous and the group
// system:unauthenticated. system:authenticated is not among them: every
// real cluster binds it to the built-in discovery roles.
var anonymousSubjects = map[string]bool{"system:anonymous": true, "system:unauthenticated": true}

// allAuthenticated is the group of every authenticated user.
const allAuthenticated = "system:authenticated"

// binding turns a RoleBinding or ClusterRoleBinding into a "k8s.binding"
// resource. Attributes: kind, namespace ("" for cluster bindings), name,
// role_kind, role_name (strings); subjects (list of "Kind/name", service
// accounts as "ServiceAccount/namespace/name"); cluster_admin (bool: the
// role is cluster-admin); cluster_admin_subjects (subjects given
// cluster-admin other than the built-in system:masters group); anonymous
// (bool: a subject is the user system:anonymous or the group
// system:unauthenticated); all_authenticated (bool: a subject is the
// group system:authenticated).
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
	anon, everyone := false, false
	for _, s := range list(o.m, "subjects") {
		kind, sname := str(s, "kind"), str(s, "name")
		label := kind + "/" + sname
		if kind == "ServiceAccount" {
			sns := str(s, "namespace")
			if sns == "" {
				sns = ns
			}
			label = "ServiceAccount/" + sns + "/" + sname
		}
		subjects = append(subjects, label)
		if admin && label != "Group/system:masters" {
			adminSubjects = append(adminSubjects, label)
		}
		// A User or Group subject names them; a ServiceAccount of the
		// same name is only a service account.
		if kind != "ServiceAccount" {
			anon = anon || anonymousSubjects[sname]
			everyone = everyone || sname == allAuthenticated
		}
	}
	return &assay.Resource{Kind: KindBinding, ID: id, Name: id, Attrs: map[string]any{
		"kind": o.kind(), "namespace": ns, "name": name,
		"role_kind": str(role, "kind"), "role_name": str(role, "name"),
		"subjects": anyList(subjects), "cluster_admin": admin,
		"cluster_admin_subjects": anyList(adminSubjects), "anonymous": anon,
		"all_authenticated": everyone,
	}}, nil
}
