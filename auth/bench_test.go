package auth

import (
	"context"
	"testing"
)

// benchVerifier returns a verifier over a static key set and a valid token.
func benchVerifier(b *testing.B, cacheSize int) (*Verifier, string) {
	b.Helper()
	e := &testEnv{clock: newFakeClock(), key: testRSAKeys()[0], kid: "kid-A"}
	keys, err := NewStaticKeySource(jwksDoc(jwkEntry{kid: e.kid, pub: &e.key.PublicKey, alg: "RS256"}))
	if err != nil {
		b.Fatal(err)
	}
	v, err := NewVerifier(Config{
		Issuer: testIssuer, ClientIDs: []string{testClientID}, Now: e.clock.Now, CacheSize: cacheSize,
	}, keys)
	if err != nil {
		b.Fatal(err)
	}
	return v, e.token(b, e.idClaims())
}

func BenchmarkVerifyCached(b *testing.B) {
	v, tok := benchVerifier(b, 0)
	ctx := context.Background()
	if _, err := v.Verify(ctx, tok); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyUncached(b *testing.B) {
	v, tok := benchVerifier(b, -1)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}
