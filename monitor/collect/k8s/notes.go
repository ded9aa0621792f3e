package k8s

import (
	"fmt"
	"sort"
	"strings"
)

// maxNamed is how many objects a note names before "and N more".
const maxNamed = 5

// notes says in sentences what Read read and skipped.
func notes(r *Result, empty []string) []string {
	byKind := map[string]int{}
	for _, res := range r.Resources {
		byKind[res.Kind]++
	}
	workloads := map[string]int{}
	for k, n := range r.Read {
		if k != "RoleBinding" && k != "ClusterRoleBinding" {
			workloads[k] = n
		}
	}
	var out []string
	var read []string
	if n := byKind[KindWorkload]; n > 0 {
		read = append(read, plural(n, "workload")+" ("+counts(workloads)+")")
	}
	if n := byKind[KindBinding]; n > 0 {
		read = append(read, plural(n, "role binding"))
	}
	if n := byKind[KindAPIServer]; n > 0 {
		read = append(read, "the audit settings of "+plural(n, "API server"))
	}
	switch len(read) {
	case 0:
		out = append(out, "No workload with a pod template, role binding or API server setting was found.")
	case 1:
		out = append(out, "Read "+read[0]+".")
	default:
		out = append(out, "Read "+strings.Join(read[:len(read)-1], ", ")+" and "+read[len(read)-1]+".")
	}
	if len(r.Skipped) > 0 {
		n := 0
		for _, c := range r.Skipped {
			n += c
		}
		out = append(out, fmt.Sprintf("Skipped %s of kinds without a pod template or role binding: %s.", plural(n, "object"), counts(r.Skipped)))
	}
	if len(r.Unread) > 0 {
		out = append(out, fmt.Sprintf("Not read, for want of a pod template (a kustomize patch or a partial manifest?): %s.", named(r.Unread, "; ")))
	}
	if len(empty) > 0 {
		out = append(out, fmt.Sprintf("%s no containers (a patch or a partial manifest?); only pod-level settings such as host namespaces and volumes were judged: %s.",
			plural(len(empty), "workload")+map[bool]string{true: " has", false: " have"}[len(empty) == 1], named(empty, ", ")))
	}
	return out
}

// counts writes "ConfigMap 3, Service 2", kinds in alphabetical order.
func counts(m map[string]int) string {
	kinds := make([]string, 0, len(m))
	for k := range m {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// named joins the first maxNamed items and says how many more there are.
func named(items []string, sep string) string {
	if len(items) <= maxNamed {
		return strings.Join(items, sep)
	}
	return strings.Join(items[:maxNamed], sep) + fmt.Sprintf(" and %d more", len(items)-maxNamed)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
