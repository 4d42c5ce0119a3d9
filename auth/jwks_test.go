package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// testWeakRSAKey is a 1024-bit key, below minRSABits.
var testWeakRSAKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		panic(err)
	}
	return k
})

// unusableJWK is one JWKS entry parseJWKS must skip. kid is the kid a
// token would name to reach it ("" when the entry has none); sign signs
// such a token (nil: the env's good key, which must not help).
type unusableJWK struct {
	name  string
	kid   string
	entry jwkEntry
	sign  func([]byte) []byte
}

// unusableJWKs lists entries that must be skipped alone.
func unusableJWKs(t testing.TB) []unusableJWK {
	t.Helper()
	weak := testWeakRSAKey()
	good := testRSAKeys()[1]
	n := base64.RawURLEncoding.EncodeToString(good.N.Bytes())
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecPub, err := ec.PublicKey.Bytes() // 0x04 || X || Y
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	raw := func(format string, args ...any) jwkEntry { return jwkEntry{raw: fmt.Sprintf(format, args...)} }
	return []unusableJWK{
		{"RSA key of 1024 bits", "weak", jwkEntry{kid: "weak", pub: &weak.PublicKey, alg: "RS256"}, signRS256(weak)},
		{"unsupported kty", "odd", raw(`{"kty":"XYZ","kid":"odd","x":"abc"}`), nil},
		{"Ed25519 key", "ed", raw(`{"kty":"OKP","crv":"Ed25519","kid":"ed","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`), nil},
		{"EC P-256 key", "ec", raw(`{"kty":"EC","crv":"P-256","kid":"ec","x":%q,"y":%q}`, b64(ecPub[1:33]), b64(ecPub[33:])), nil},
		{"symmetric key", "hmac", raw(`{"kty":"oct","kid":"hmac","k":"c2VjcmV0"}`), nil},
		{"RSA without n", "no-n", raw(`{"kty":"RSA","kid":"no-n","e":"AQAB"}`), signRS256(good)},
		{"RSA without e", "no-e", raw(`{"kty":"RSA","kid":"no-e","n":%q}`, n), signRS256(good)},
		{"RSA n not base64url", "bad-n", raw(`{"kty":"RSA","kid":"bad-n","n":"!!!","e":"AQAB"}`), nil},
		{"RSA n a number", "num-n", raw(`{"kty":"RSA","kid":"num-n","n":12345,"e":"AQAB"}`), nil},
		{"RSA even exponent", "even-e", raw(`{"kty":"RSA","kid":"even-e","n":%q,"e":"AAI"}`, n), signRS256(good)},
		{"RSA without kty", "no-kty", raw(`{"kid":"no-kty","n":%q,"e":"AQAB"}`, n), signRS256(good)},
		{"RSA without kid", "", raw(`{"kty":"RSA","n":%q,"e":"AQAB"}`, n), signRS256(good)},
		{"RSA with a numeric kid", "", raw(`{"kty":"RSA","kid":7,"n":%q,"e":"AQAB"}`, n), signRS256(good)},
		{"RSA for encryption", "enc", raw(`{"kty":"RSA","kid":"enc","use":"enc","n":%q,"e":"AQAB"}`, n), signRS256(good)},
		{"entry not an object", "", raw(`"RS256"`), nil},
		{"entry null", "", raw(`null`), nil},
	}
}

// TestRemoteJWKSSkipsUnusableKeys serves each unusable key before a good
// one: tokens of the good key verify, tokens naming the bad one are
// refused as signed by an unknown key, and no extra fetch happens.
func TestRemoteJWKSSkipsUnusableKeys(t *testing.T) {
	for _, bad := range unusableJWKs(t) {
		t.Run(bad.name, func(t *testing.T) {
			e := newTestEnv(t, nil)
			e.idp.setKeys(bad.entry, jwkEntry{kid: e.kid, pub: &e.key.PublicKey, alg: "RS256"})
			ctx := context.Background()

			id, err := e.v.Verify(ctx, e.token(t, e.idClaims()))
			if err != nil {
				t.Fatalf("token of the good key: %v", err)
			}
			if id.Sub != "1111-2222" {
				t.Errorf("sub = %q", id.Sub)
			}

			sign := bad.sign
			if sign == nil {
				sign = signRS256(e.key)
			}
			h := map[string]any{"alg": "RS256", "kid": bad.kid}
			if bad.kid == "" {
				h["kid"] = "kid-none"
			}
			_, err = e.v.Verify(ctx, makeToken(t, h, e.idClaims(), sign))
			wantReason(t, err, ReasonUnknownKey)
			if bad.kid != "" && !strings.Contains(err.Error(), "was skipped") {
				t.Errorf("error does not say the key was skipped: %v", err)
			}
			if got := e.idp.hits.Load(); got != 1 {
				t.Errorf("jwks hits = %d, want 1", got)
			}
		})
	}
}

// TestStaticJWKSSkipsUnusableKeys is TestRemoteJWKSSkipsUnusableKeys for
// NewStaticKeySource, the local issuer's key source.
func TestStaticJWKSSkipsUnusableKeys(t *testing.T) {
	good := testRSAKeys()[0]
	for _, bad := range unusableJWKs(t) {
		t.Run(bad.name, func(t *testing.T) {
			src, err := NewStaticKeySource(jwksDoc(bad.entry, jwkEntry{kid: "good", pub: &good.PublicKey, alg: "RS256"}))
			if err != nil {
				t.Fatalf("NewStaticKeySource: %v", err)
			}
			k, err := src.LookupKey(context.Background(), "good")
			if err != nil {
				t.Fatalf("LookupKey(good): %v", err)
			}
			if !k.Equal(&good.PublicKey) {
				t.Error("LookupKey(good) returned another key")
			}
			if bad.kid == "" {
				return
			}
			if _, err := src.LookupKey(context.Background(), bad.kid); !errors.Is(err, ErrUnknownKey) {
				t.Errorf("LookupKey(%q) err = %v, want ErrUnknownKey", bad.kid, err)
			}
		})
	}
}

// TestJWKSWithoutUsableKeys checks that a set whose keys are all unusable,
// or that is not a key set, is an error that says so, for both sources.
func TestJWKSWithoutUsableKeys(t *testing.T) {
	var allBad []jwkEntry
	for _, bad := range unusableJWKs(t) {
		allBad = append(allBad, bad.entry)
	}
	tooMany := make([]jwkEntry, maxJWKSKeys+1)
	for i := range tooMany {
		tooMany[i] = jwkEntry{kid: fmt.Sprintf("k%d", i), pub: &testRSAKeys()[0].PublicKey}
	}
	tests := []struct {
		name    string
		doc     []byte
		wantErr string
	}{
		{"every key unusable", jwksDoc(allBad...), "no usable RS256 key among the 16 keys"},
		{"only a 1024-bit key", jwksDoc(jwkEntry{kid: "weak", pub: &testWeakRSAKey().PublicKey}), "1024 bits"},
		{"empty key set", jwksDoc(), "no usable RS256 key among the 0 keys"},
		{"no keys member", []byte(`{"kty":"RSA"}`), `no "keys" array`},
		{"keys not an array", []byte(`{"keys":{"kid":"a"}}`), "not a key set"},
		{"not JSON", []byte(`<html>`), "not a key set"},
		{"more keys than allowed", jwksDoc(tooMany...), "more than 100"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewStaticKeySource(tc.doc); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("NewStaticKeySource err = %v, want one containing %q", err, tc.wantErr)
			}
			e := newTestEnv(t, nil)
			e.idp.mu.Lock()
			e.idp.doc = tc.doc
			e.idp.mu.Unlock()
			_, err := e.v.Verify(context.Background(), e.token(t, e.idClaims()))
			wantReason(t, err, ReasonKeysUnavailable)
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Verify err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}
