package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestRemoteKeySourceFetchesLazily(t *testing.T) {
	e := newTestEnv(t, nil)
	if got := e.idp.hits.Load(); got != 0 {
		t.Fatalf("jwks hits after NewVerifier = %d, want 0", got)
	}
	for range 3 {
		if _, err := e.v.Verify(context.Background(), e.token(t, e.idClaims())); err != nil {
			t.Fatalf("Verify: %v", err)
		}
	}
	if got := e.idp.hits.Load(); got != 1 {
		t.Errorf("jwks hits = %d, want 1", got)
	}
}

func TestUnknownKidIsRateLimited(t *testing.T) {
	junk := func(t *testing.T, e *testEnv, n int) {
		t.Helper()
		for i := range n {
			h := map[string]any{"alg": "RS256", "kid": fmt.Sprintf("junk-%d", i)}
			_, err := e.v.Verify(context.Background(), makeToken(t, h, e.idClaims(), nil))
			wantReason(t, err, ReasonUnknownKey)
		}
	}
	tests := []struct {
		name     string
		run      func(t *testing.T, e *testEnv)
		wantHits int64
	}{
		{"50 sequential junk tokens", func(t *testing.T, e *testEnv) { junk(t, e, 50) }, 1},
		{"50 concurrent junk tokens", func(t *testing.T, e *testEnv) {
			var wg sync.WaitGroup
			for range 5 {
				wg.Go(func() { junk(t, e, 10) })
			}
			wg.Wait()
		}, 1},
		{"50 junk tokens per interval over three intervals", func(t *testing.T, e *testEnv) {
			for range 3 {
				junk(t, e, 50)
				e.clock.Advance(testRefresh)
			}
		}, 3},
		{"junk after a valid token", func(t *testing.T, e *testEnv) {
			if _, err := e.v.Verify(context.Background(), e.token(t, e.idClaims())); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			junk(t, e, 50)
		}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, nil)
			tc.run(t, e)
			if got := e.idp.hits.Load(); got != tc.wantHits {
				t.Errorf("jwks hits = %d, want %d", got, tc.wantHits)
			}
		})
	}
}

func TestKeyRotation(t *testing.T) {
	e := newTestEnv(t, nil)
	ctx := context.Background()
	oldKey, newKey := e.key, testRSAKeys()[1]
	oldTok := e.token(t, e.idClaims())
	newTok := makeToken(t, map[string]any{"alg": "RS256", "kid": "kid-B"}, e.idClaims(), signRS256(newKey))

	if _, err := e.v.Verify(ctx, oldTok); err != nil {
		t.Fatalf("old key before rotation: %v", err)
	}
	_, err := e.v.Verify(ctx, newTok)
	wantReason(t, err, ReasonUnknownKey)

	e.idp.setKeys(jwkEntry{kid: "kid-A", pub: &oldKey.PublicKey, alg: "RS256"},
		jwkEntry{kid: "kid-B", pub: &newKey.PublicKey, alg: "RS256"})
	_, err = e.v.Verify(ctx, newTok)
	wantReason(t, err, ReasonUnknownKey) // still inside the refresh interval
	if got := e.idp.hits.Load(); got != 1 {
		t.Fatalf("jwks hits inside interval = %d, want 1", got)
	}

	e.clock.Advance(testRefresh)
	id, err := e.v.Verify(ctx, newTok)
	if err != nil {
		t.Fatalf("new key after refresh: %v", err)
	}
	if id.Sub != "1111-2222" {
		t.Errorf("sub = %q", id.Sub)
	}
	if got := e.idp.hits.Load(); got != 2 {
		t.Errorf("jwks hits = %d, want 2", got)
	}
}

func TestRemoteKeySourceFailures(t *testing.T) {
	tests := []struct {
		name  string
		setup func(p *fakeIdP)
	}{
		{"server error", func(p *fakeIdP) { p.setStatus(http.StatusInternalServerError) }},
		{"not a key set", func(p *fakeIdP) {
			p.mu.Lock()
			p.doc = []byte(`<html>`)
			p.mu.Unlock()
		}},
		{"empty key set", func(p *fakeIdP) { p.setKeys() }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, nil)
			tc.setup(e.idp)
			_, err := e.v.Verify(context.Background(), e.token(t, e.idClaims()))
			wantReason(t, err, ReasonKeysUnavailable)
		})
	}
	t.Run("failure keeps previous keys", func(t *testing.T) {
		e := newTestEnv(t, func(c *Config) { c.CacheSize = -1 })
		ctx := context.Background()
		tok := e.token(t, e.idClaims())
		if _, err := e.v.Verify(ctx, tok); err != nil {
			t.Fatal(err)
		}
		e.idp.setStatus(http.StatusBadGateway)
		e.clock.Advance(testRefresh)
		junk := makeToken(t, map[string]any{"alg": "RS256", "kid": "junk"}, e.idClaims(), signRS256(e.key))
		_, err := e.v.Verify(ctx, junk)
		wantReason(t, err, ReasonKeysUnavailable)
		if _, err := e.v.Verify(ctx, tok); err != nil {
			t.Fatalf("known key after failed refresh: %v", err)
		}
	})
}

// hangTimeout only turns a hang into a failure: a healthy run never waits
// for it, however slow the machine.
const hangTimeout = 2 * time.Minute

func TestRemoteKeySourceConcurrentFirstUse(t *testing.T) {
	e := newTestEnv(t, nil)
	fetching, release := e.idp.holdFetches(t)
	src := NewRemoteKeySource(e.idp.jwksURL(), e.idp.srv.Client(), time.Minute, e.clock.Now)
	const callers = 20
	var wg sync.WaitGroup
	started := make(chan struct{}, callers)
	errs := make(chan error, callers)
	for range callers {
		wg.Go(func() {
			started <- struct{}{}
			if _, err := src.LookupKey(context.Background(), "kid-A"); err != nil {
				errs <- err
			}
		})
	}
	// The first fetch is held until every caller has started: none can
	// get the key before it ends, so they all arrive while it is in flight.
	for range callers {
		<-started
	}
	select {
	case <-fetching:
	case <-time.After(hangTimeout): // a hang turned into a failure
		t.Fatal("no caller fetched the JWKS")
	}
	release()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("LookupKey: %v", err)
	}
	if got := e.idp.hits.Load(); got != 1 {
		t.Errorf("jwks hits = %d, want 1", got)
	}
}

func TestRemoteKeySourceContextCanceled(t *testing.T) {
	e := newTestEnv(t, nil)
	fetching, release := e.idp.holdFetches(t)
	src := NewRemoteKeySource(e.idp.jwksURL(), e.idp.srv.Client(), time.Minute, e.clock.Now)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := src.LookupKey(ctx, "kid-A")
		done <- err
	}()
	select {
	case <-fetching: // the shared fetch is in flight, held
	case err := <-done:
		t.Fatalf("LookupKey returned %v before fetching", err)
	}
	cancel()
	var err error
	select {
	case err = <-done:
	case <-time.After(hangTimeout): // a hang turned into a failure
		t.Fatal("LookupKey still waiting after its context was cancelled")
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context canceled", err)
	}
	// The shared fetch continues without the canceled caller: the next
	// lookup gets its keys, with no second fetch.
	release()
	if _, err := src.LookupKey(context.Background(), "kid-A"); err != nil {
		t.Fatalf("LookupKey after cancel: %v", err)
	}
	if got := e.idp.hits.Load(); got != 1 {
		t.Errorf("jwks hits = %d, want 1 (the fetch the canceled caller started)", got)
	}
}

func TestStaticKeySource(t *testing.T) {
	keys := testRSAKeys()
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		doc     []byte
		kid     string
		wantErr error
		newErr  bool
	}{
		{"known kid", jwksDoc(jwkEntry{kid: "a", pub: &keys[0].PublicKey, alg: "RS256"}), "a", nil, false},
		{"unknown kid", jwksDoc(jwkEntry{kid: "a", pub: &keys[0].PublicKey}), "b", ErrUnknownKey, false},
		{"no usable keys", jwksDoc(jwkEntry{kid: "a", pub: &keys[0].PublicKey, alg: "PS256"}), "a", nil, true},
		{"RSA key below 2048 bits", jwksDoc(jwkEntry{kid: "a", pub: &weak.PublicKey}), "a", nil, true},
		{"symmetric key only", []byte(`{"keys":[{"kty":"oct","kid":"a","k":"c2VjcmV0"}]}`), "a", nil, true},
		{"garbage", []byte(`nope`), "a", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, err := NewStaticKeySource(tc.doc)
			if tc.newErr {
				if err == nil {
					t.Fatal("NewStaticKeySource: want error")
				}
				return
			}
			if err != nil {
				t.Fatalf("NewStaticKeySource: %v", err)
			}
			k, err := src.LookupKey(context.Background(), tc.kid)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("LookupKey err = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr == nil && !k.Equal(&keys[0].PublicKey) {
				t.Error("wrong key")
			}
		})
	}
}
