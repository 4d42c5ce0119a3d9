package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unsafe"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"
)

// maxTokenBytes bounds the raw token length accepted by Verify.
const maxTokenBytes = 64 << 10

// algRS256 is the only accepted JWS "alg".
const algRS256 = "RS256"

// Verifier checks Cognito-style RS256 JWTs and caches verified tokens until
// they expire. It is safe for concurrent use.
type Verifier struct {
	issuer    string
	clientIDs []string
	leeway    time.Duration
	now       func() time.Time
	keys      KeySource
	cache     *tokenCache
}

// NewVerifier returns a Verifier for cfg. When keys is nil it uses a
// RemoteKeySource built from cfg.JWKSURL, cfg.HTTPClient,
// cfg.MinRefreshInterval and cfg.Now; no I/O happens until the first Verify.
// It returns an error if cfg is invalid (missing Issuer, negative Leeway).
func NewVerifier(cfg Config, keys KeySource) (*Verifier, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if keys == nil {
		keys = NewRemoteKeySource(cfg.JWKSURL, cfg.HTTPClient, cfg.MinRefreshInterval, cfg.Now)
	}
	return &Verifier{
		issuer:    cfg.Issuer,
		clientIDs: cfg.ClientIDs,
		leeway:    cfg.Leeway,
		now:       cfg.Now,
		keys:      keys,
		cache:     newTokenCache(cfg.CacheSize, cfg.Leeway),
	}, nil
}

// Verify returns the Identity for a raw compact JWS token. Every error it
// returns is a *TokenError whose Reason is one of the Reason* constants.
// A token verified earlier is served from the cache without parsing or RSA,
// but is still rejected with ReasonExpired once its exp (plus leeway) passes.
// Verify never panics on malformed input.
func (v *Verifier) Verify(ctx context.Context, raw string) (Identity, error) {
	if raw == "" {
		return Identity{}, tokenErr(ReasonMissingToken, nil)
	}
	if len(raw) > maxTokenBytes {
		return Identity{}, tokenErr(ReasonMalformed, fmt.Errorf("token longer than %d bytes", maxTokenBytes))
	}
	now := v.now()
	// The hash reads the string's bytes in place: sha256 neither retains nor
	// modifies its input, and this avoids copying the token on every call.
	key := sha256.Sum256(unsafe.Slice(unsafe.StringData(raw), len(raw)))
	if id, ok := v.cache.get(key); ok {
		if isExpired(now, id.ExpiresAt, v.leeway) {
			v.cache.remove(key)
			return Identity{}, tokenErr(ReasonExpired, errors.New("cached token expired"))
		}
		return id, nil
	}
	id, err := v.verifyUncached(ctx, raw, now)
	if err != nil {
		return Identity{}, err
	}
	v.cache.put(key, id, now)
	return id, nil
}

// joseHeader is the part of the protected header Verify inspects.
type joseHeader struct {
	Alg  string          `json:"alg"`
	Kid  string          `json:"kid"`
	Crit json.RawMessage `json:"crit"`
	B64  json.RawMessage `json:"b64"`
}

// verifyUncached runs the full check: header, key lookup, signature, claims.
func (v *Verifier) verifyUncached(ctx context.Context, raw string, now time.Time) (Identity, error) {
	hdr, err := parseHeader(raw)
	switch {
	case errors.Is(err, errDuplicateName):
		return Identity{}, tokenErr(ReasonDuplicateHeader, err)
	case err != nil:
		return Identity{}, tokenErr(ReasonMalformed, err)
	}
	if hdr.Alg != algRS256 {
		return Identity{}, tokenErr(ReasonUnsupportedAlg, fmt.Errorf("alg %.32q", hdr.Alg))
	}
	if hdr.Crit != nil || hdr.B64 != nil {
		return Identity{}, tokenErr(ReasonMalformed, errors.New("crit and b64 headers are not supported"))
	}
	if hdr.Kid == "" {
		return Identity{}, tokenErr(ReasonUnknownKey, errors.New("missing kid"))
	}
	pub, err := v.keys.LookupKey(ctx, hdr.Kid)
	switch {
	case errors.Is(err, ErrUnknownKey):
		return Identity{}, tokenErr(ReasonUnknownKey, err)
	case err != nil:
		return Identity{}, tokenErr(ReasonKeysUnavailable, err)
	case pub == nil:
		return Identity{}, tokenErr(ReasonKeysUnavailable, errors.New("key source returned a nil key"))
	}
	// The algorithm is fixed by us, never inferred from the header or key:
	// VerifyCompactFast also cross-checks the header alg against it.
	payload, err := jws.VerifyCompactFast(pub, []byte(raw), jwa.RS256())
	if err != nil {
		return Identity{}, tokenErr(ReasonInvalidSignature, err)
	}
	claims, err := decodeObject(payload)
	switch {
	case errors.Is(err, errDuplicateName):
		return Identity{}, tokenErr(ReasonDuplicateClaim, err)
	case err != nil:
		return Identity{}, tokenErr(ReasonMalformed, fmt.Errorf("payload: %w", err))
	}
	return v.checkClaims(claims, now)
}

// parseHeader splits a compact JWS and decodes its protected header. It
// returns an error unless raw has exactly three non-empty-header segments
// and a base64url JSON object header; the error wraps errDuplicateName when
// the header names a parameter twice.
func parseHeader(raw string) (joseHeader, error) {
	var hdr joseHeader
	h, rest, ok := strings.Cut(raw, ".")
	if !ok || h == "" {
		return hdr, errors.New("not a compact JWS")
	}
	if _, sig, ok := strings.Cut(rest, "."); !ok || strings.Contains(sig, ".") {
		return hdr, errors.New("not a compact JWS")
	}
	decoded, err := base64.RawURLEncoding.DecodeString(h)
	if err != nil {
		return hdr, fmt.Errorf("header encoding: %w", err)
	}
	// decodeObject refuses repeated names, which json.Unmarshal would
	// resolve silently (and another parser perhaps differently).
	if _, err := decodeObject(decoded); err != nil {
		return hdr, fmt.Errorf("header: %w", err)
	}
	if err := json.Unmarshal(decoded, &hdr); err != nil {
		return hdr, fmt.Errorf("header json: %w", err)
	}
	return hdr, nil
}
