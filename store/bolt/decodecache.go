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
	mu      sync.RWMutex
	records map[decodeKey]any
}

type decodeKey struct {
	typ reflect.Type
	raw string
}

func newDecodeCache() *decodeCache { return &decodeCache{records: map[decodeKey]any{}} }

// cachedDecode returns the domain value of the R stored as raw, decoding it
// at most once while it stays cached. c may be nil (no caching).
func cachedDecode[R record[D], D any](c *decodeCache, raw []byte) (D, error) {
	if c == nil {
		return decodeRecord[R](raw)
	}
	key := decodeKey{reflect.TypeFor[R](), string(raw)}
	c.mu.RLock()
	v, ok := c.records[key]
	c.mu.RUnlock()
	if d, hit := v.(D); ok && hit {
		return d, nil
	}
	d, err := decodeRecord[R](raw)
	if err != nil {
		return d, err
	}
	c.mu.Lock()
	if len(c.records) >= decodeCacheLimit {
		c.records = map[decodeKey]any{}
	}
	c.records[key] = d
	c.mu.Unlock()
	return d, nil
}
