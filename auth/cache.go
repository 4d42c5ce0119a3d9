package auth

import (
	"sync"
	"time"
)

// cacheKey is the SHA-256 of a raw token.
type cacheKey = [32]byte

// tokenCache holds verified identities by token hash until their expiry. It
// is bounded: when full, expired entries are dropped first and, if it is
// still full, an arbitrary half. It is safe for concurrent use; a nil
// *tokenCache is a disabled cache.
type tokenCache struct {
	max    int
	leeway time.Duration

	mu      sync.RWMutex
	entries map[cacheKey]Identity
}

// newTokenCache returns a cache holding at most limit entries, or nil (a
// disabled cache) when limit <= 0. Entries count as expired once now is past
// ExpiresAt plus leeway.
func newTokenCache(limit int, leeway time.Duration) *tokenCache {
	if limit <= 0 {
		return nil
	}
	return &tokenCache{max: limit, leeway: leeway, entries: make(map[cacheKey]Identity)}
}

// get returns the cached identity for k, whether or not it has expired.
func (c *tokenCache) get(k cacheKey) (Identity, bool) {
	if c == nil {
		return Identity{}, false
	}
	c.mu.RLock()
	id, ok := c.entries[k]
	c.mu.RUnlock()
	return id, ok
}

// put stores id under k, evicting entries first if the cache is full.
func (c *tokenCache) put(k cacheKey, id Identity, now time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, exists := c.entries[k]; !exists && len(c.entries) >= c.max {
		c.evictLocked(now)
	}
	c.entries[k] = id
}

// remove drops k from the cache.
func (c *tokenCache) remove(k cacheKey) {
	if c == nil {
		return
	}
	c.mu.Lock()
	delete(c.entries, k)
	c.mu.Unlock()
}

// len returns the number of cached entries.
func (c *tokenCache) len() int {
	if c == nil {
		return 0
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// evictLocked drops expired entries and, if the cache is still full, entries
// in map order until at most half of max remain. c.mu must be held.
func (c *tokenCache) evictLocked(now time.Time) {
	for k, id := range c.entries {
		if isExpired(now, id.ExpiresAt, c.leeway) {
			delete(c.entries, k)
		}
	}
	if len(c.entries) < c.max {
		return
	}
	for k := range c.entries {
		if len(c.entries) <= c.max/2 {
			return
		}
		delete(c.entries, k)
	}
}

// isExpired reports whether a token expiring at exp is expired at now, with
// leeway allowed for clock skew.
func isExpired(now, exp time.Time, leeway time.Duration) bool {
	return !now.Before(exp.Add(leeway))
}
