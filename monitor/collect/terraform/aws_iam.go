package terraform

import (
	"slices"
	"strings"
)

// awsAdminPolicies are the AWS managed policies that give administrator
// access: AdministratorAccess ("*" on "*") and IAMFullAccess ("iam:*" on
// "*", with which a principal grants itself the rest).
var awsAdminPolicies = []string{"AdministratorAccess", "IAMFullAccess"}

// grants is what a user, role or group is given: the managed policies
// attached to it, its inline policies, and which of them make it an
// administrator.
type grants struct {
	attached []string        // policy ARNs (addresses when the ARN is known only after apply)
	inline   map[string]bool // inline policy names (addresses when unnamed)
	admin    []string        // what gives administrator access
}

func (g *grants) attach(arn string, admin bool) {
	g.attached = append(g.attached, arn)
	if admin {
		g.admin = append(g.admin, arn)
	}
}

func (g *grants) addInline(name string, admin bool) {
	if g.inline == nil {
		g.inline = map[string]bool{}
	}
	g.inline[name] = true
	if admin {
		g.admin = append(g.admin, "inline policy "+name)
	}
}

// set writes the grants on r: attached_policies (sorted ARNs),
// inline_policy_count, admin_policy_attached and admin_policies (what
// gives administrator access, for the failure reason).
func (g *grants) set(r *resource) {
	attached := slices.Compact(slices.Sorted(slices.Values(g.attached)))
	admin := slices.Compact(slices.Sorted(slices.Values(g.admin)))
	r.Values["attached_policies"] = anyList(attached)
	r.Values["inline_policy_count"] = int64(len(g.inline))
	r.Values["admin_policy_attached"] = len(admin) > 0
	r.Values["admin_policies"] = anyList(admin)
}

// deriveIAM judges IAM policy documents and what users, roles and groups
// are given. It sets on aws_iam_policy: admin_access and policy_known
// (false when the document is known only after apply or unreadable, which
// a note says); on aws_iam_user,
// aws_iam_role and aws_iam_group: attached_policies, inline_policy_count,
// admin_policy_attached and admin_policies (see grants.set), counting
// inline policies (the *_policy resources and a role's inline_policy
// blocks), attached managed policies (the *_policy_attachment resources,
// aws_iam_policy_attachment and a role's managed_policy_arns) and, for a
// user, the grants of the groups it belongs to (groups lists them); and on
// aws_iam_user: access_key_count and active_access_keys.
func (d *doc) deriveIAM() {
	var unknown, unreadable []string
	for _, typ := range []string{"aws_iam_policy", "aws_iam_user_policy", "aws_iam_role_policy", "aws_iam_group_policy"} {
		for _, p := range d.byType[typ] {
			admin, readable := adminDocument(p.Values["policy"])
			if typ == "aws_iam_policy" {
				p.Values["admin_access"] = admin
				p.Values["policy_known"] = readable
			}
			switch {
			case readable:
			case d.unknown(p, "policy") || p.Values["policy"] == nil:
				unknown = append(unknown, p.Address)
			default:
				unreadable = append(unreadable, p.Address)
			}
		}
	}
	users := d.principals("aws_iam_user", "user", "users", "aws_iam_user_policy", "aws_iam_user_policy_attachment")
	roles := d.principals("aws_iam_role", "role", "roles", "aws_iam_role_policy", "aws_iam_role_policy_attachment")
	groups := d.principals("aws_iam_group", "group", "groups", "aws_iam_group_policy", "aws_iam_group_policy_attachment")
	for _, r := range d.byType["aws_iam_role"] {
		g := roles[r]
		for _, ip := range blocks(r.Values, "inline_policy") {
			if name := str(ip, "name"); name != "" { // an empty block only clears them
				admin, _ := adminDocument(ip["policy"])
				g.addInline(name, admin)
			}
		}
		for _, arn := range strs(r.Values, "managed_policy_arns") {
			g.attach(arn, d.adminARN(arn, nil))
		}
		for _, p := range d.refsOfType(r, "managed_policy_arns", "aws_iam_policy") {
			if str(p.Values, "arn") == "" {
				g.attach(p.Address, boolean(p.Values, "admin_access", false))
			}
		}
	}
	memberOf := d.memberships()
	for _, u := range d.byType["aws_iam_user"] {
		var names []string
		for _, grp := range memberOf[u] {
			names = append(names, groupName(grp))
			if admin := groups[grp].admin; len(admin) > 0 {
				users[u].admin = append(users[u].admin, "group "+groupName(grp))
			}
		}
		u.Values["groups"] = anyList(slices.Compact(slices.Sorted(slices.Values(names))))
	}
	for _, m := range []map[*resource]*grants{users, roles, groups} {
		for r, g := range m {
			g.set(r)
		}
	}
	d.deriveAccessKeys()
	d.noteList(unknown,
		"IAM policy %s has a document known only after apply, so it was not judged for administrator access.",
		"%d IAM policies have documents known only after apply, so they were not judged for administrator access: %s.")
	d.noteList(unreadable,
		"IAM policy %s has a document that is not a readable policy, so it was not judged for administrator access.",
		"%d IAM policies have documents that are not readable policies, so they were not judged for administrator access: %s.")
}

// principals gathers the grants of every resource of typ (aws_iam_user,
// _role or _group) from its inline policy resources (inlineType, whose
// argument arg names it), its attachment resources (attachType) and the
// arg+"s" list (listArg) of aws_iam_policy_attachment.
func (d *doc) principals(typ, arg, listArg, inlineType, attachType string) map[*resource]*grants {
	out := map[*resource]*grants{}
	for _, r := range d.byType[typ] {
		out[r] = &grants{}
	}
	if len(out) == 0 {
		return out
	}
	owner := func(h *resource) *grants {
		if r := d.find(h, arg, typ, "name", "id"); r != nil {
			return out[r]
		}
		return nil
	}
	for _, h := range d.byType[inlineType] {
		if g := owner(h); g != nil {
			name := str(h.Values, "name")
			if name == "" {
				name = h.Address
			}
			admin, _ := adminDocument(h.Values["policy"])
			g.addInline(name, admin)
		}
	}
	for _, h := range d.byType[attachType] {
		if g := owner(h); g != nil {
			arn, admin := d.attachedPolicy(h)
			g.attach(arn, admin)
		}
	}
	for _, h := range d.byType["aws_iam_policy_attachment"] {
		members := d.members(h, listArg, typ)
		if len(members) == 0 {
			continue
		}
		arn, admin := d.attachedPolicy(h)
		for _, r := range members {
			out[r].attach(arn, admin)
		}
	}
	return out
}

// attachedPolicy names the policy an attachment resource attaches and
// says whether it gives administrator access: an AWS managed admin policy
// by its ARN, a policy of the document by what its document allows.
func (d *doc) attachedPolicy(h *resource) (name string, admin bool) {
	arn := str(h.Values, "policy_arn")
	p := d.find(h, "policy_arn", "aws_iam_policy", "arn")
	if arn == "" && p != nil {
		arn = p.Address
	}
	return arn, d.adminARN(arn, p)
}

// adminARN reports whether the managed policy arn (p, when the document
// holds it) gives administrator access.
func (d *doc) adminARN(arn string, p *resource) bool {
	if p == nil && arn != "" {
		p = d.findByValue("aws_iam_policy", arn, "arn")
	}
	if p != nil {
		return boolean(p.Values, "admin_access", false)
	}
	if i := strings.Index(arn, ":iam::aws:policy/"); i >= 0 {
		return slices.Contains(awsAdminPolicies, arn[i+len(":iam::aws:policy/"):])
	}
	return false
}

// members resolves a list argument of h (an aws_iam_policy_attachment's
// users, or a group membership's users) to the resources of typ it names:
// by name where the plan knows the names, else by what the configuration
// refers to.
func (d *doc) members(h *resource, listArg, typ string) []*resource {
	var out []*resource
	for _, name := range strs(h.Values, listArg) {
		if r := d.findByValue(typ, name, "name", "id"); r != nil {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		out = d.refsOfType(h, listArg, typ)
	}
	return out
}

// refsOfType lists the resources of typ that h's argument attr refers to
// in the configuration (every instance of a counted or for_each target).
func (d *doc) refsOfType(h *resource, attr, typ string) []*resource {
	var out []*resource
	for _, ref := range d.refs(h, attr) {
		for _, c := range d.byConfig[joinAddr(h.Module, ref)] {
			if c.Type == typ && !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// memberships lists each user's groups, from aws_iam_group_membership
// (a group's users) and aws_iam_user_group_membership (a user's groups).
func (d *doc) memberships() map[*resource][]*resource {
	out := map[*resource][]*resource{}
	add := func(u, g *resource) {
		if u != nil && g != nil && !slices.Contains(out[u], g) {
			out[u] = append(out[u], g)
		}
	}
	for _, h := range d.byType["aws_iam_group_membership"] {
		g := d.find(h, "group", "aws_iam_group", "name", "id")
		for _, u := range d.members(h, "users", "aws_iam_user") {
			add(u, g)
		}
	}
	for _, h := range d.byType["aws_iam_user_group_membership"] {
		u := d.find(h, "user", "aws_iam_user", "name", "id")
		for _, g := range d.members(h, "groups", "aws_iam_group") {
			add(u, g)
		}
	}
	return out
}

func groupName(g *resource) string {
	if n := str(g.Values, "name"); n != "" {
		return n
	}
	return g.Address
}

// deriveAccessKeys sets access_key_count and active_access_keys on users.
func (d *doc) deriveAccessKeys() {
	keys := map[*resource]int64{}
	active := map[*resource]int64{}
	for _, h := range d.byType["aws_iam_access_key"] {
		if u := d.find(h, "user", "aws_iam_user", "name", "id"); u != nil {
			keys[u]++
			if s := str(h.Values, "status"); s == "" || s == "Active" {
				active[u]++
			}
		}
	}
	for _, u := range d.byType["aws_iam_user"] {
		u.Values["access_key_count"] = keys[u]
		u.Values["active_access_keys"] = active[u]
	}
}
