package roster

import (
	"fmt"
	"sort"
	"strings"
)

// maxLines is how many line numbers a note spells out.
const maxLines = 10

// notes says how the file was read: as what, how many accounts, which are
// not active, what the export does not say and what was assumed.
func (rd *reader) notes(res *Result) []string {
	f, n := rd.f, len(res.Resources)
	out := []string{fmt.Sprintf("Read as %s %s: %d %s.", article(f.name), f.name, n, nounFor(f, n))}
	inactive := map[string]int{}
	active, never, left := 0, 0, 0
	for _, r := range res.Resources {
		if r.Attrs["active"] == true {
			active++
			if r.Attrs["last_login_days"] == int64(-1) {
				never++
			}
		} else {
			inactive[r.Attrs["status"].(string)]++
		}
		if r.Attrs["departed"] == true {
			left++
		}
	}
	if len(inactive) > 0 {
		out = append(out, fmt.Sprintf("%d %s not counted as active: %s.", n-active, isAre(f, n-active), statusCounts(inactive)))
	}
	if never > 0 {
		out = append(out, fmt.Sprintf("%d active %s never signed in.", never, hasHave(f, never)))
	}
	if left > 0 {
		out = append(out, fmt.Sprintf("%d %s left the organisation (by the file or the departed setting).", left, hasHave(f, left)))
	}
	if active > 0 && !anyHas(res, "mfa") {
		out = append(out, fmt.Sprintf("This user list does not say who has MFA: idp-active-accounts-have-mfa and idp-admins-have-mfa fail on its %d active %s "+
			"until one with MFA status is imported.", active, nounFor(f, active)))
	}
	if active > 0 && !anyHas(res, "last_login_days") {
		out = append(out, fmt.Sprintf("This user list gives no last sign-in: idp-no-dormant-accounts fails on its %d active %s "+
			"until one with sign-in dates is imported.", active, nounFor(f, active)))
	}
	if rd.dates.guessed {
		out = append(out, "Dates such as 05/11/2026 were read month first (MM/DD/YYYY): no date in the file has a day above 12 to tell.")
	}
	if len(rd.noEmail) > 0 {
		out = append(out, fmt.Sprintf("Skipped %d %s without a work email (%s): they have no account to judge.",
			len(rd.noEmail), nounFor(f, len(rd.noEmail)), lines(rd.noEmail)))
	}
	return out
}

// anyHas reports whether some account has the attribute (or there is
// none to have it).
func anyHas(res *Result, attr string) bool {
	for _, r := range res.Resources {
		if _, ok := r.Attrs[attr]; ok {
			return true
		}
	}
	return len(res.Resources) == 0
}

// isAre is "users are", "user is".
func isAre(f format, n int) string {
	if n == 1 {
		return nounFor(f, n) + " is"
	}
	return nounFor(f, n) + " are"
}

// hasHave is "users have", "user has".
func hasHave(f format, n int) string {
	if n == 1 {
		return nounFor(f, n) + " has"
	}
	return nounFor(f, n) + " have"
}

// article is "an" before a vowel, "a" otherwise.
func article(s string) string {
	if s != "" && strings.ContainsRune("AEIOUaeiou", rune(s[0])) {
		return "an"
	}
	return "a"
}

// nounFor is the format's noun, singular for one.
func nounFor(f format, n int) string {
	if n != 1 {
		return f.noun
	}
	switch f.noun {
	case "people":
		return "person"
	default:
		return strings.TrimSuffix(f.noun, "s")
	}
}

// statusCounts writes "suspended 30, archived 7", most frequent first.
func statusCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", strings.ReplaceAll(k, "_", " "), m[k])
	}
	return strings.Join(parts, ", ")
}

// lines writes "lines 5, 9 and 12", the first maxLines of them.
func lines(ls []int) string {
	parts := make([]string, 0, maxLines)
	for i, l := range ls {
		if i == maxLines {
			break
		}
		parts = append(parts, fmt.Sprint(l))
	}
	s := "line " + parts[0]
	if len(parts) > 1 {
		s = "lines " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
	if len(ls) > maxLines {
		s += fmt.Sprintf(" and %d more", len(ls)-maxLines)
	}
	return s
}
