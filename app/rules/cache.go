package rules

import (
	"context"
	"sync"
	"time"

	"github.com/assay-platform/assay/store"
)

// Cache keeps, per organisation, the shared whole-table reads (Memo) of
// the latest change the organisation has seen, so requests that find
// nothing changed since do not read the tables again.
//
// A snapshot is keyed by the organisation's latest activity entry
// (store.OrgStore.ChangeSeq: every change appends one in its own
// transaction, on any server of the installation) and by the minute of
// now, since the stores derive time-dependent fields (due, overdue) as
// they read. A change is therefore seen by the very next request; the
// passing of time within a minute is not.
type Cache struct {
	mu      sync.Mutex
	entries map[int64]*cacheEntry
	max     int
	uses    uint64 // a clock of uses, for the least recently used
}

type cacheEntry struct {
	seq    int64
	minute time.Time
	used   uint64
	tables *tables
}

// NewCache keeps snapshots of up to orgs organisations (the least
// recently used one is dropped to make room).
func NewCache(orgs int) *Cache {
	if orgs < 1 {
		orgs = 1
	}
	return &Cache{entries: map[int64]*cacheEntry{}, max: orgs}
}

// Shared is Memo(os) backed by the snapshot of os's organisation at its
// latest change and now's minute: the reads it makes are kept for the
// next request that finds the same. It reports false (and returns
// Memo(os)) when the store cannot tell its latest change, as an
// engagement auditor's restricted view cannot.
func (c *Cache) Shared(ctx context.Context, os store.OrgStore, now time.Time) (store.OrgStore, int64, bool) {
	if c == nil {
		return Memo(os), 0, false
	}
	if m, ok := os.(*memo); ok {
		return m, 0, false
	}
	seq, err := os.ChangeSeq(ctx)
	if err != nil {
		return Memo(os), 0, false
	}
	minute := now.UTC().Truncate(time.Minute)
	org := os.OrgID()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.uses++
	e := c.entries[org]
	if e == nil || e.seq != seq || !e.minute.Equal(minute) {
		if e == nil && len(c.entries) >= c.max {
			c.evict()
		}
		e = &cacheEntry{seq: seq, minute: minute, tables: &tables{}}
		c.entries[org] = e
	}
	e.used = c.uses
	return &memo{OrgStore: os, tables: e.tables}, seq, true
}

// evict drops the least recently used snapshot; c.mu is held.
func (c *Cache) evict() {
	var oldest int64
	var least uint64
	first := true
	for org, e := range c.entries {
		if first || e.used < least {
			oldest, least, first = org, e.used, false
		}
	}
	delete(c.entries, oldest)
}

// derived is one value computed from a snapshot's tables.
type derived struct {
	mu   sync.Mutex
	done bool
	v    any
}

// Derived is compute's value for key, computed once per snapshot when os
// is a shared or memoised store (Cache.Shared, Memo), else every time.
// What it returns is shared by every request that finds the same
// snapshot: callers must not change it.
func Derived[T any](os store.OrgStore, key string, compute func() (T, error)) (T, error) {
	return DerivedUpTo(os, "", 0, key, compute)
}

// DerivedUpTo is Derived for values that vary with what a request asks
// (a list rendered for one query and viewer): a snapshot keeps at most
// limit keys of group (0: no limit), and computes a further key every
// time, so requests that vary without end cannot grow a snapshot without
// end.
func DerivedUpTo[T any](os store.OrgStore, group string, limit int, key string, compute func() (T, error)) (T, error) {
	m, ok := os.(*memo)
	if !ok {
		return compute()
	}
	key = group + "\x00" + key
	m.mu.Lock()
	if m.derived == nil {
		m.derived = map[string]*derived{}
	}
	d := m.derived[key]
	if d == nil {
		if limit > 0 && m.groups[group] >= limit {
			m.mu.Unlock()
			return compute()
		}
		if limit > 0 {
			if m.groups == nil {
				m.groups = map[string]int{}
			}
			m.groups[group]++
		}
		d = &derived{}
		m.derived[key] = d
	}
	m.mu.Unlock()
	d.mu.Lock() // one computes, the others wait for its value
	defer d.mu.Unlock()
	if !d.done {
		v, err := compute()
		if err != nil {
			var zero T
			return zero, err
		}
		d.v, d.done = v, true
	}
	return d.v.(T), nil
}
