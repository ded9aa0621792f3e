package terraform

import (
	"encoding/json"
	"slices"
	"strings"
)

// deriveIAM sets admin_access (bool) on aws_iam_policy, and on each
// aws_iam_user: attached_policies (list of ARNs), inline_policy_count,
// admin_policy_attached (bool), access_key_count and active_access_keys.
func (d *doc) deriveIAM() {
	for _, p := range d.byType["aws_iam_policy"] {
		p.Values["admin_access"] = adminDocument(str(p.Values, "policy"))
	}
	users := d.byType["aws_iam_user"]
	if len(users) == 0 {
		return
	}
	attached := map[*resource][]string{}
	admin := map[*resource]bool{}
	inline := map[*resource]int64{}
	keys := map[*resource]int64{}
	active := map[*resource]int64{}
	attach := func(u *resource, h *resource) {
		arn := str(h.Values, "policy_arn")
		p := d.find(h, "policy_arn", "aws_iam_policy", "arn")
		if arn == "" && p != nil {
			arn = p.Address
		}
		attached[u] = append(attached[u], arn)
		if strings.HasSuffix(arn, ":policy/AdministratorAccess") || (p != nil && boolean(p.Values, "admin_access", false)) {
			admin[u] = true
		}
	}
	user := func(h *resource) *resource { return d.find(h, "user", "aws_iam_user", "name", "id") }
	for _, h := range d.byType["aws_iam_user_policy_attachment"] {
		if u := user(h); u != nil {
			attach(u, h)
		}
	}
	for _, h := range d.byType["aws_iam_policy_attachment"] {
		for _, name := range strs(h.Values, "users") {
			if u := d.findByValue("aws_iam_user", name, "name"); u != nil {
				attach(u, h)
			}
		}
	}
	for _, h := range d.byType["aws_iam_user_policy"] {
		if u := user(h); u != nil {
			inline[u]++
			if adminDocument(str(h.Values, "policy")) {
				admin[u] = true
			}
		}
	}
	for _, h := range d.byType["aws_iam_access_key"] {
		if u := user(h); u != nil {
			keys[u]++
			if s := str(h.Values, "status"); s == "" || s == "Active" {
				active[u]++
			}
		}
	}
	for _, u := range users {
		slices.Sort(attached[u])
		u.Values["attached_policies"] = anyList(attached[u])
		u.Values["inline_policy_count"] = inline[u]
		u.Values["admin_policy_attached"] = admin[u]
		u.Values["access_key_count"] = keys[u]
		u.Values["active_access_keys"] = active[u]
	}
}

// adminDocument reports whether an IAM policy document allows every
// action on every resource.
func adminDocument(doc string) bool {
	if doc == "" {
		return false
	}
	var p struct {
		Statement json.RawMessage
	}
	if json.Unmarshal([]byte(doc), &p) != nil {
		return false
	}
	type stmt struct {
		Effect   string
		Action   any
		Resource any
	}
	var list []stmt
	if json.Unmarshal(p.Statement, &list) != nil {
		var one stmt
		if json.Unmarshal(p.Statement, &one) != nil {
			return false
		}
		list = []stmt{one}
	}
	for _, s := range list {
		if s.Effect == "Allow" && hasStar(s.Action) && hasStar(s.Resource) {
			return true
		}
	}
	return false
}

func hasStar(v any) bool {
	switch x := v.(type) {
	case string:
		return x == "*" || x == "*:*"
	case []any:
		for _, e := range x {
			if hasStar(e) {
				return true
			}
		}
	}
	return false
}
