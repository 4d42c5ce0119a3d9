package bolt

import "sync"

// decodeCacheLimit bounds the decoded records kept; past it the cache
// starts over (a simple bound that keeps the hot set warm soon after).
const decodeCacheLimit = 20000

// decodeCache memoizes decoded records by their exact stored bytes (and
// type), so the watch polling its agenda does not pay for JSON decoding of
// unchanged schedules on every request. Being keyed by content it can never
// serve stale data: a changed item has different bytes. Decoded values are
// shared between readers, so callers must treat them as read-only (the
// resolvers copy before changing a schedule's tasks).
type decodeCache struct {
	mu      sync.RWMutex
	records map[decodeKey]any
}

type decodeKey struct {
	typ string
	raw string
}

func newDecodeCache() *decodeCache { return &decodeCache{records: map[decodeKey]any{}} }

// cachedDecode returns the record in raw of type typ, decoding it at most
// once while it stays cached. c may be nil (no caching).
func cachedDecode[T any](c *decodeCache, raw []byte, typ string) (record[T], error) {
	if c == nil || typ == anyType {
		return decodeRecord[T](raw, typ)
	}
	c.mu.RLock()
	v, ok := c.records[decodeKey{typ, string(raw)}]
	c.mu.RUnlock()
	if r, hit := v.(record[T]); ok && hit {
		return r, nil
	}
	r, err := decodeRecord[T](raw, typ)
	if err != nil {
		return r, err
	}
	c.mu.Lock()
	if len(c.records) >= decodeCacheLimit {
		c.records = map[decodeKey]any{}
	}
	c.records[decodeKey{typ, string(raw)}] = r
	c.mu.Unlock()
	return r, nil
}
