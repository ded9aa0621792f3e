package api

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strconv"

	"github.com/assay-platform/assay"
)

// API lists are paged by key: a list comes in ascending order of its key
// (the id; for results, source, resource and check), at most limit items
// (default 100, at most 1000), with "next", an opaque cursor, when more
// follow. Asking again with after=<next> continues from the last item
// sent, whatever was added or removed since: no item is skipped or sent
// twice because another came or went, as happens with offsets.
const (
	defaultPageLimit = 100
	maxPageLimit     = 1000
)

// keyset is the page a request asks for.
type keyset struct {
	limit int
	after string // the last key sent; "" for the first page
}

// keysetFrom reads limit and after.
func keysetFrom(q url.Values) (keyset, error) {
	k := keyset{limit: defaultPageLimit}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageLimit {
			return k, assay.Invalid("limit", "limit must be between 1 and %d.", maxPageLimit)
		}
		k.limit = n
	}
	if v := q.Get("after"); v != "" {
		b, err := base64.RawURLEncoding.DecodeString(v)
		if err != nil || len(b) == 0 {
			return k, assay.Invalid("after", "after must be the next cursor of an earlier page.")
		}
		k.after = string(b)
	}
	return k, nil
}

// idKey is an id as a key that sorts as the number does.
func idKey(id int64) string { return fmt.Sprintf("%020d", id) }

// idAfter is the id a cursor of idKey keys continues after (0: the start).
func idAfter(k keyset) (int64, error) {
	if k.after == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(k.after, 10, 64)
	if err != nil || n < 0 {
		return 0, assay.Invalid("after", "after must be the next cursor of an earlier page.")
	}
	return n, nil
}

// pageByKey sorts items by key and returns those after the cursor, at most
// the limit, and the cursor of the next page ("" on the last).
func pageByKey[T any](items []T, key func(T) string, k keyset) ([]T, string) {
	keys := make([]string, len(items))
	idx := make([]int, len(items))
	for i, it := range items {
		keys[i], idx[i] = key(it), i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
	start := 0
	if k.after != "" {
		start, _ = slices.BinarySearchFunc(idx, k.after, func(i int, after string) int {
			if keys[i] <= after {
				return -1
			}
			return 1
		})
	}
	end := min(len(idx), start+k.limit)
	out := make([]T, 0, end-start)
	for _, i := range idx[start:end] {
		out = append(out, items[i])
	}
	next := ""
	if end < len(idx) && end > start {
		next = cursorOf(keys[idx[end-1]])
	}
	return out, next
}

// cursorOf is the next cursor after key.
func cursorOf(key string) string { return base64.RawURLEncoding.EncodeToString([]byte(key)) }

// pageFields adds the paging fields to a list's answer: count (of the items
// sent) and next, when more follow.
func pageFields(m map[string]any, n int, next string) map[string]any {
	m["count"] = n
	if next != "" {
		m["next"] = next
	}
	return m
}
