package app

import (
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/store"
)

// Kept is compute's value kept in org's snapshot of its latest change and
// minute (SharedReads), for the requests that find the same snapshot and
// ask with the same key; at most limit keys of group are kept per
// snapshot, further ones are computed every time. Without a snapshot (an
// engagement auditor's view) it is computed every time. Callers must not
// change what it returns.
func Kept[T any](org store.OrgStore, group string, limit int, key string, compute func() (T, error)) (T, error) {
	return rules.DerivedUpTo(org, group, limit, key, compute)
}
