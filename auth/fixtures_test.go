package auth

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testIssuer   = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test"
	testClientID = "client-abc"
	testRefresh  = time.Minute
)

// testRSAKeys are generated once per test binary: RSA generation is slow.
var testRSAKeys = sync.OnceValue(func() []*rsa.PrivateKey {
	keys := make([]*rsa.PrivateKey, 3)
	for i := range keys {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		keys[i] = k
	}
	return keys
})

// fakeClock is an injectable, manually advanced clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Unix(1_750_000_000, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// jwkEntry describes one key of a hand-built JWKS document.
type jwkEntry struct {
	kid string
	pub *rsa.PublicKey
	alg string // "" omits the alg member
	raw string // when set, the entry's JSON verbatim; the other fields are ignored
}

// jwksDoc builds a JWKS JSON document independently of jwx.
func jwksDoc(entries ...jwkEntry) []byte {
	keys := make([]any, 0, len(entries))
	for _, e := range entries {
		if e.raw != "" {
			keys = append(keys, json.RawMessage(e.raw))
			continue
		}
		k := map[string]any{
			"kty": "RSA",
			"kid": e.kid,
			"use": "sig",
			"n":   base64.RawURLEncoding.EncodeToString(e.pub.N.Bytes()),
			"e":   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(e.pub.E)).Bytes()),
		}
		if e.alg != "" {
			k["alg"] = e.alg
		}
		keys = append(keys, k)
	}
	doc, err := json.Marshal(map[string]any{"keys": keys})
	if err != nil {
		panic(err)
	}
	return doc
}

// fakeIdP stands in for Cognito's /.well-known/jwks.json endpoint.
type fakeIdP struct {
	srv  *httptest.Server
	hits atomic.Int64
	// hold, when set (holdFetches), keeps every fetch in flight until the
	// test closes it; each held fetch first sends on fetching.
	hold     chan struct{}
	fetching chan struct{}

	mu     sync.Mutex
	doc    []byte
	status int
}

func newFakeIdP(t testing.TB, entries ...jwkEntry) *fakeIdP {
	t.Helper()
	p := &fakeIdP{doc: jwksDoc(entries...), status: http.StatusOK}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		p.hits.Add(1)
		if p.hold != nil {
			p.fetching <- struct{}{}
			<-p.hold
		}
		p.mu.Lock()
		doc, status := p.doc, p.status
		p.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(doc)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// holdFetches makes the fetches that arrive from now on wait until
// release is called (at the latest when t ends, before the server closes).
// fetching receives once per fetch that reached the JWKS endpoint.
func (p *fakeIdP) holdFetches(t testing.TB) (fetching <-chan struct{}, release func()) {
	t.Helper()
	p.hold, p.fetching = make(chan struct{}), make(chan struct{}, 100)
	release = sync.OnceFunc(func() { close(p.hold) })
	t.Cleanup(release)
	return p.fetching, release
}

func (p *fakeIdP) jwksURL() string { return p.srv.URL + "/.well-known/jwks.json" }

func (p *fakeIdP) setKeys(entries ...jwkEntry) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.doc = jwksDoc(entries...)
}

func (p *fakeIdP) setStatus(code int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.status = code
}

// testEnv is a verifier wired to a fake Cognito with one key.
type testEnv struct {
	clock *fakeClock
	idp   *fakeIdP
	v     *Verifier
	key   *rsa.PrivateKey
	kid   string
}

// newTestEnv builds a testEnv; mod may adjust the Config before use.
func newTestEnv(t testing.TB, mod func(*Config)) *testEnv {
	t.Helper()
	e := &testEnv{clock: newFakeClock(), key: testRSAKeys()[0], kid: "kid-A"}
	e.idp = newFakeIdP(t, jwkEntry{kid: e.kid, pub: &e.key.PublicKey, alg: "RS256"})
	cfg := Config{
		Issuer:             testIssuer,
		JWKSURL:            e.idp.jwksURL(),
		ClientIDs:          []string{"other-client", testClientID},
		Now:                e.clock.Now,
		HTTPClient:         e.idp.srv.Client(),
		MinRefreshInterval: testRefresh,
	}
	if mod != nil {
		mod(&cfg)
	}
	v, err := NewVerifier(cfg, nil)
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	e.v = v
	return e
}

// idClaims returns fresh claims of a valid Cognito id token.
func (e *testEnv) idClaims() map[string]any {
	now := e.clock.Now().Unix()
	return map[string]any{
		"sub":              "1111-2222",
		"iss":              testIssuer,
		"aud":              testClientID,
		"token_use":        "id",
		"cognito:username": "alice",
		"cognito:groups":   []string{"admin", "editors"},
		"email":            "alice@example.com",
		"email_verified":   true,
		"auth_time":        now,
		"iat":              now,
		"exp":              now + 3600,
		"jti":              "jti-1",
	}
}

// accessClaims returns fresh claims of a valid Cognito access token.
func (e *testEnv) accessClaims() map[string]any {
	now := e.clock.Now().Unix()
	return map[string]any{
		"sub":            "1111-2222",
		"iss":            testIssuer,
		"client_id":      testClientID,
		"token_use":      "access",
		"scope":          "aws.cognito.signin.user.admin",
		"username":       "alice",
		"cognito:groups": []string{"readers"},
		"auth_time":      now,
		"iat":            now,
		"exp":            now + 3600,
		"jti":            "jti-2",
	}
}

// header returns a valid protected header for the env's key.
func (e *testEnv) header() map[string]any { return map[string]any{"alg": "RS256", "kid": e.kid} }

// token signs claims with the env's key under a valid header.
func (e *testEnv) token(t testing.TB, claims map[string]any) string {
	t.Helper()
	return makeToken(t, e.header(), claims, signRS256(e.key))
}

// signRS256 returns a signer using RSASSA-PKCS1-v1_5 with SHA-256.
func signRS256(key *rsa.PrivateKey) func([]byte) []byte {
	return func(input []byte) []byte {
		sum := sha256.Sum256(input)
		sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
		if err != nil {
			panic(err)
		}
		return sig
	}
}

// b64json base64url-encodes the JSON of v.
func b64json(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// makeToken assembles a compact JWS by hand; sign may be nil for an empty
// signature.
func makeToken(t testing.TB, header, claims any, sign func([]byte) []byte) string {
	t.Helper()
	input := b64json(t, header) + "." + b64json(t, claims)
	var sig []byte
	if sign != nil {
		sig = sign([]byte(input))
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// makeRawToken is makeToken with header and payload given as raw JSON, for
// documents json.Marshal cannot produce (repeated member names).
func makeRawToken(header, payload string, sign func([]byte) []byte) string {
	enc := base64.RawURLEncoding
	input := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	var sig []byte
	if sign != nil {
		sig = sign([]byte(input))
	}
	return input + "." + enc.EncodeToString(sig)
}

// countingKeySource counts lookups on an inner KeySource.
type countingKeySource struct {
	inner KeySource
	n     atomic.Int64
}

func (c *countingKeySource) LookupKey(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	c.n.Add(1)
	return c.inner.LookupKey(ctx, kid)
}

// wantReason fails t unless err is a *TokenError with the given reason.
func wantReason(t testing.TB, err error, reason string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got nil error, want reason %q", reason)
	}
	te, ok := err.(*TokenError)
	if !ok {
		t.Fatalf("got error %T (%v), want *TokenError", err, err)
	}
	if te.Reason != reason {
		t.Fatalf("reason = %q, want %q (err: %v)", te.Reason, reason, err)
	}
	if strings.TrimSpace(te.Error()) == "" {
		t.Fatal("empty error string")
	}
}
