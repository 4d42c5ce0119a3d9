package bolt

import (
	"reflect"
	"sync"
)

// decodeCacheLimit bounds the decoded records kept; past it the cache
// starts over (a simple bound that keeps the hot set warm soon after).
const decodeCacheLimit = 20000

// decodeCache memoizes decoded records by their record type and exact
// stored bytes, so the watch polling its agenda does not pay for JSON decoding of
// unchanged schedules on every request. Being keyed by content it can never
// serve stale data: a changed record has different bytes. Decoded values
// are shared between readers, so callers must treat them as read-only:
// app.Schedules never changes a loaded schedule's task slice in place
// (UpdateTask and RemoveTask clone it, AddTask and ReorderTasks get a new
// one from domain.InsertTask and domain.ReorderTasks, and
// domain.Schedule.Changed clones it again before it is stored).
type decodeCache struct {
	mu sync.RWMutex
	// records holds, per record type, the decoded value of each stored
	// form. Keying the inner map by the bytes alone lets a lookup use
	// them without copying (m[string(raw)]).
	records map[reflect.Type]map[string]any
	n       int // values held, over all types
}

func newDecodeCache() *decodeCache { return &decodeCache{records: map[reflect.Type]map[string]any{}} }

// cachedDecode returns the domain value of the R stored as raw, decoding it
// at most once while it stays cached. c may be nil (no caching).
func cachedDecode[R record[D], D any](c *decodeCache, raw []byte) (D, error) {
	if c == nil {
		return decodeRecord[R](raw)
	}
	typ := reflect.TypeFor[R]()
	c.mu.RLock()
	v, ok := c.records[typ][string(raw)]
	c.mu.RUnlock()
	if d, hit := v.(D); ok && hit {
		return d, nil
	}
	d, err := decodeRecord[R](raw)
	if err != nil {
		return d, err
	}
	c.mu.Lock()
	if c.n >= decodeCacheLimit {
		c.records, c.n = map[reflect.Type]map[string]any{}, 0
	}
	m := c.records[typ]
	if m == nil {
		m = map[string]any{}
		c.records[typ] = m
	}
	if _, held := m[string(raw)]; !held {
		c.n++
	}
	m[string(raw)] = d
	c.mu.Unlock()
	return d, nil
}
