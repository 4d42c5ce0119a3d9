package auth

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"
)

func TestVerifyCache(t *testing.T) {
	tests := []struct {
		name        string
		cacheSize   int
		wantLookups int64 // key lookups after two verifications
	}{
		{"enabled", 0, 1},
		{"disabled", -1, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, nil)
			counter := &countingKeySource{inner: e.v.keys}
			v, err := NewVerifier(Config{
				Issuer: testIssuer, ClientIDs: []string{testClientID}, Now: e.clock.Now, CacheSize: tc.cacheSize,
			}, counter)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			tok := e.token(t, e.idClaims())
			first, err := v.Verify(ctx, tok)
			if err != nil {
				t.Fatalf("first Verify: %v", err)
			}
			second, err := v.Verify(ctx, tok)
			if err != nil {
				t.Fatalf("second Verify: %v", err)
			}
			if !reflect.DeepEqual(first, second) {
				t.Errorf("cached identity differs:\n%+v\n%+v", first, second)
			}
			if got := counter.n.Load(); got != tc.wantLookups {
				t.Errorf("key lookups = %d, want %d", got, tc.wantLookups)
			}

			e.clock.Advance(time.Hour) // exp reached, but within leeway
			if _, err := v.Verify(ctx, tok); err != nil {
				t.Fatalf("Verify within leeway: %v", err)
			}
			e.clock.Advance(DefaultLeeway)
			_, err = v.Verify(ctx, tok)
			wantReason(t, err, ReasonExpired)
			if got := v.cache.len(); got != 0 {
				t.Errorf("cache len after expiry = %d, want 0", got)
			}
		})
	}
}

func TestVerifyCacheIsBounded(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.CacheSize = 4 })
	for i := range 10 {
		c := e.idClaims()
		c["jti"] = fmt.Sprint(i)
		if _, err := e.v.Verify(context.Background(), e.token(t, c)); err != nil {
			t.Fatal(err)
		}
		if got := e.v.cache.len(); got > 4 {
			t.Fatalf("cache len = %d, want <= 4", got)
		}
	}
}

func TestTokenCacheEviction(t *testing.T) {
	now := time.Unix(1_750_000_000, 0)
	key := func(i int) cacheKey { return cacheKey{byte(i)} }
	ident := func(exp time.Time) Identity { return Identity{Sub: "s", ExpiresAt: exp} }
	tests := []struct {
		name    string
		expired int // entries already expired when the cache is full
		wantLen int // after inserting one more
	}{
		{"expired entries are dropped first", 3, 6},
		{"still full drops half", 0, 5},
		{"all expired", 8, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newTokenCache(8, time.Second)
			for i := range 8 {
				exp := now.Add(time.Hour)
				if i < tc.expired {
					exp = now.Add(-time.Minute)
				}
				c.put(key(i), ident(exp), now)
			}
			c.put(key(100), ident(now.Add(time.Hour)), now)
			if got := c.len(); got != tc.wantLen {
				t.Errorf("len = %d, want %d", got, tc.wantLen)
			}
			if _, ok := c.get(key(100)); !ok {
				t.Error("new entry missing")
			}
		})
	}
	t.Run("overwrite does not evict", func(t *testing.T) {
		c := newTokenCache(2, 0)
		c.put(key(1), ident(now.Add(time.Hour)), now)
		c.put(key(2), ident(now.Add(time.Hour)), now)
		c.put(key(2), ident(now.Add(2*time.Hour)), now)
		if got := c.len(); got != 2 {
			t.Errorf("len = %d, want 2", got)
		}
	})
}

func TestVerifyConcurrent(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.CacheSize = 16 })
	toks := make([]string, 32)
	for i := range toks {
		c := e.idClaims()
		c["jti"] = fmt.Sprint(i)
		toks[i] = e.token(t, c)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 64 {
				tok := toks[(g*7+i)%len(toks)]
				if _, err := e.v.Verify(context.Background(), tok); err != nil {
					t.Errorf("Verify: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
}
