package auth

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

const (
	// maxJWKSBytes bounds the JWKS response body.
	maxJWKSBytes = 1 << 20
	// fetchTimeout bounds one shared JWKS fetch, independent of the
	// cancellation of whichever caller happened to start it.
	fetchTimeout = 10 * time.Second
)

// RemoteKeySource serves keys from a JWKS URL such as Cognito's
// /.well-known/jwks.json. The first fetch happens lazily on the first lookup.
// A lookup for an unknown kid triggers a refetch at most once per
// MinRefreshInterval (successful or not), so tokens with random kids cannot
// hammer the identity provider; concurrent callers share one fetch. A failed
// fetch keeps the previously fetched keys. Unusable keys in the set are
// skipped one by one (see parseJWKS). It is safe for concurrent use.
type RemoteKeySource struct {
	url        string
	client     *http.Client
	minRefresh time.Duration
	now        func() time.Time
	flight     singleflight.Group

	mu          sync.RWMutex
	set         keySet    // keys of the latest successful fetch
	attempted   bool      // a fetch has completed at least once
	lastAttempt time.Time // start time of the latest completed fetch
	lastErr     error     // outcome of the latest completed fetch
}

// NewRemoteKeySource returns a key source for the JWKS at url. A nil client
// gets a 5s-timeout client, minRefresh <= 0 becomes one minute and a nil now
// becomes time.Now. It performs no I/O.
func NewRemoteKeySource(url string, client *http.Client, minRefresh time.Duration, now func() time.Time) *RemoteKeySource {
	if client == nil {
		client = &http.Client{Timeout: DefaultHTTPTimeout}
	}
	if minRefresh <= 0 {
		minRefresh = DefaultMinRefreshInterval
	}
	if now == nil {
		now = time.Now
	}
	return &RemoteKeySource{url: url, client: client, minRefresh: minRefresh, now: now}
}

// LookupKey returns the key for kid, refetching the JWKS if kid is unknown and
// the rate limit allows. It returns an error wrapping ErrUnknownKey if kid is
// still unknown, the fetch error if the keys could not be obtained, or the
// context error if ctx ends while waiting for a shared fetch.
func (s *RemoteKeySource) LookupKey(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	if k, ok := s.cached(kid); ok {
		return k, nil
	}
	if s.refreshDue() {
		ch := s.flight.DoChan("jwks", func() (any, error) {
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), fetchTimeout)
			defer cancel()
			s.refresh(fctx)
			return nil, nil
		})
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, fmt.Errorf("auth: waiting for jwks: %w", ctx.Err())
		}
		if k, ok := s.cached(kid); ok {
			return k, nil
		}
	}
	s.mu.RLock()
	set, lastErr := s.set, s.lastErr
	s.mu.RUnlock()
	if lastErr != nil {
		return nil, fmt.Errorf("auth: jwks %s: %w", s.url, lastErr)
	}
	return set.lookup(kid)
}

// cached returns the key for kid from the last successful fetch.
func (s *RemoteKeySource) cached(kid string) (*rsa.PublicKey, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	k, ok := s.set.keys[kid]
	return k, ok
}

// refreshDue reports whether the rate limit allows a fetch now.
func (s *RemoteKeySource) refreshDue() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return !s.attempted || s.now().Sub(s.lastAttempt) >= s.minRefresh
}

// refresh fetches the JWKS unless a fetch started within the rate-limit
// window, and records the outcome. Only successful fetches replace the keys.
// The attempt is recorded when the fetch completes, so callers arriving while
// it is in flight still see refreshDue and join it through the singleflight.
func (s *RemoteKeySource) refresh(ctx context.Context) {
	if !s.refreshDue() {
		return
	}
	start := s.now()
	set, err := s.fetch(ctx)

	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempted, s.lastAttempt, s.lastErr = true, start, err
	if err == nil {
		s.set = set
	}
}

// fetch downloads and parses the JWKS, skipping unusable keys one by one
// (see parseJWKS). It returns an error on transport failure, a non-200
// status, an oversized body, or a document that is not a key set or has no
// usable key.
func (s *RemoteKeySource) fetch(ctx context.Context) (keySet, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return keySet{}, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return keySet{}, fmt.Errorf("fetch: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return keySet{}, fmt.Errorf("fetch: status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return keySet{}, fmt.Errorf("read body: %w", err)
	}
	if len(body) > maxJWKSBytes {
		return keySet{}, errors.New("body exceeds 1 MiB")
	}
	return parseJWKS(body)
}
