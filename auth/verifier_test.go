package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestVerifyAccepts(t *testing.T) {
	tests := []struct {
		name       string
		claims     func(e *testEnv) map[string]any
		wantUse    string
		wantUser   string
		wantEmail  string
		wantGroups []string
	}{
		{
			name:       "id token",
			claims:     (*testEnv).idClaims,
			wantUse:    "id",
			wantUser:   "alice",
			wantEmail:  "alice@example.com",
			wantGroups: []string{"admin", "editors"},
		},
		{
			name:       "access token",
			claims:     (*testEnv).accessClaims,
			wantUse:    "access",
			wantUser:   "alice",
			wantGroups: []string{"readers"},
		},
		{
			name: "id token with aud array and no groups",
			claims: func(e *testEnv) map[string]any {
				c := e.idClaims()
				c["aud"] = []string{"other-client", testClientID}
				delete(c, "cognito:groups")
				return c
			},
			wantUse: "id", wantUser: "alice", wantEmail: "alice@example.com",
		},
		{
			name: "username falls back to sub",
			claims: func(e *testEnv) map[string]any {
				c := e.accessClaims()
				delete(c, "username")
				return c
			},
			wantUse: "access", wantUser: "1111-2222", wantGroups: []string{"readers"},
		},
		{
			name: "expired within leeway",
			claims: func(e *testEnv) map[string]any {
				c := e.idClaims()
				c["exp"] = e.clock.Now().Unix() - 10
				c["iat"] = e.clock.Now().Unix() - 3600
				return c
			},
			wantUse: "id", wantUser: "alice", wantEmail: "alice@example.com", wantGroups: []string{"admin", "editors"},
		},
		{
			name: "iat and nbf slightly in the future within leeway",
			claims: func(e *testEnv) map[string]any {
				c := e.idClaims()
				c["iat"] = e.clock.Now().Unix() + 10
				c["nbf"] = e.clock.Now().Unix() + 10
				return c
			},
			wantUse: "id", wantUser: "alice", wantEmail: "alice@example.com", wantGroups: []string{"admin", "editors"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, nil)
			claims := tc.claims(e)
			id, err := e.v.Verify(context.Background(), e.token(t, claims))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if id.Sub != "1111-2222" || id.Issuer != testIssuer || id.TokenUse != tc.wantUse {
				t.Errorf("identity = %+v", id)
			}
			if id.Username != tc.wantUser || id.Email != tc.wantEmail {
				t.Errorf("username/email = %q/%q, want %q/%q", id.Username, id.Email, tc.wantUser, tc.wantEmail)
			}
			if !slices.Equal(id.Groups, tc.wantGroups) {
				t.Errorf("groups = %v, want %v", id.Groups, tc.wantGroups)
			}
			wantExp := time.Unix(int64(claims["exp"].(int64)), 0)
			if !id.ExpiresAt.Equal(wantExp) {
				t.Errorf("ExpiresAt = %v, want %v", id.ExpiresAt, wantExp)
			}
			if id.Claims["jti"] == nil || id.Claims["sub"] != "1111-2222" {
				t.Errorf("claims = %v", id.Claims)
			}
		})
	}
}

func TestVerifyRejects(t *testing.T) {
	other := testRSAKeys()[1]
	pubDER, err := x509.MarshalPKIXPublicKey(&testRSAKeys()[0].PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	hs256 := func(secret []byte) func([]byte) []byte {
		return func(input []byte) []byte {
			m := hmac.New(sha256.New, secret)
			m.Write(input)
			return m.Sum(nil)
		}
	}
	withClaims := func(base func(*testEnv) map[string]any, edit func(e *testEnv, c map[string]any)) func(*testing.T, *testEnv) string {
		return func(t *testing.T, e *testEnv) string {
			c := base(e)
			edit(e, c)
			return e.token(t, c)
		}
	}
	withHeader := func(edit func(h map[string]any), sign func(e *testEnv) func([]byte) []byte) func(*testing.T, *testEnv) string {
		return func(t *testing.T, e *testEnv) string {
			h := e.header()
			edit(h)
			var s func([]byte) []byte
			if sign != nil {
				s = sign(e)
			}
			return makeToken(t, h, e.idClaims(), s)
		}
	}
	rsSigner := func(e *testEnv) func([]byte) []byte { return signRS256(e.key) }
	literal := func(s string) func(*testing.T, *testEnv) string {
		return func(*testing.T, *testEnv) string { return s }
	}
	id, access := (*testEnv).idClaims, (*testEnv).accessClaims

	tests := []struct {
		name  string
		token func(*testing.T, *testEnv) string
		want  string
	}{
		{"expired", withClaims(id, func(e *testEnv, c map[string]any) {
			c["exp"] = e.clock.Now().Add(-2 * time.Minute).Unix()
			c["iat"] = e.clock.Now().Add(-time.Hour).Unix()
		}), ReasonExpired},
		{"expired exactly at leeway", withClaims(id, func(e *testEnv, c map[string]any) {
			c["exp"] = e.clock.Now().Add(-DefaultLeeway).Unix()
		}), ReasonExpired},
		{"not yet valid nbf", withClaims(id, func(e *testEnv, c map[string]any) {
			c["nbf"] = e.clock.Now().Add(5 * time.Minute).Unix()
		}), ReasonNotYetValid},
		{"iat in future", withClaims(id, func(e *testEnv, c map[string]any) {
			c["iat"] = e.clock.Now().Add(5 * time.Minute).Unix()
		}), ReasonNotYetValid},
		{"wrong issuer", withClaims(id, func(_ *testEnv, c map[string]any) {
			c["iss"] = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Evil"
		}), ReasonWrongIssuer},
		{"issuer with trailing slash", withClaims(id, func(_ *testEnv, c map[string]any) {
			c["iss"] = testIssuer + "/"
		}), ReasonWrongIssuer},
		{"missing issuer", withClaims(id, func(_ *testEnv, c map[string]any) { delete(c, "iss") }), ReasonWrongIssuer},
		{"wrong audience", withClaims(id, func(_ *testEnv, c map[string]any) { c["aud"] = "evil-client" }), ReasonWrongAudience},
		{"missing audience", withClaims(id, func(_ *testEnv, c map[string]any) { delete(c, "aud") }), ReasonWrongAudience},
		{"audience of wrong type", withClaims(id, func(_ *testEnv, c map[string]any) { c["aud"] = 42 }), ReasonWrongAudience},
		{"access token wrong client_id", withClaims(access, func(_ *testEnv, c map[string]any) {
			c["client_id"] = "evil-client"
		}), ReasonWrongAudience},
		{"access token with aud but wrong client_id", withClaims(access, func(_ *testEnv, c map[string]any) {
			c["client_id"] = "evil-client"
			c["aud"] = testClientID
		}), ReasonWrongAudience},
		{"access token missing client_id", withClaims(access, func(_ *testEnv, c map[string]any) {
			delete(c, "client_id")
		}), ReasonWrongAudience},
		{"wrong token_use", withClaims(id, func(_ *testEnv, c map[string]any) { c["token_use"] = "refresh" }), ReasonWrongTokenUse},
		{"missing token_use", withClaims(id, func(_ *testEnv, c map[string]any) { delete(c, "token_use") }), ReasonWrongTokenUse},
		{"missing exp", withClaims(id, func(_ *testEnv, c map[string]any) { delete(c, "exp") }), ReasonMalformed},
		{"exp not a number", withClaims(id, func(_ *testEnv, c map[string]any) { c["exp"] = "tomorrow" }), ReasonMalformed},
		{"exp absurdly large", withClaims(id, func(_ *testEnv, c map[string]any) { c["exp"] = 1e300 }), ReasonMalformed},
		{"missing sub", withClaims(id, func(_ *testEnv, c map[string]any) { delete(c, "sub") }), ReasonMalformed},
		{"groups not strings", withClaims(id, func(_ *testEnv, c map[string]any) { c["cognito:groups"] = []any{1, 2} }), ReasonInvalidGroups},
		{"alg none", withHeader(func(h map[string]any) { h["alg"] = "none" }, nil), ReasonUnsupportedAlg},
		{"alg None mixed case", withHeader(func(h map[string]any) { h["alg"] = "nOnE" }, nil), ReasonUnsupportedAlg},
		{"alg missing", withHeader(func(h map[string]any) { delete(h, "alg") }, rsSigner), ReasonUnsupportedAlg},
		{"alg lowercase rs256", withHeader(func(h map[string]any) { h["alg"] = "rs256" }, rsSigner), ReasonUnsupportedAlg},
		{"HS256 with public key PEM as secret", withHeader(func(h map[string]any) { h["alg"] = "HS256" },
			func(*testEnv) func([]byte) []byte { return hs256(pubPEM) }), ReasonUnsupportedAlg},
		{"HS256 with public key DER as secret", withHeader(func(h map[string]any) { h["alg"] = "HS256" },
			func(*testEnv) func([]byte) []byte { return hs256(pubDER) }), ReasonUnsupportedAlg},
		{"RS512", withHeader(func(h map[string]any) { h["alg"] = "RS512" }, rsSigner), ReasonUnsupportedAlg},
		{"PS256", withHeader(func(h map[string]any) { h["alg"] = "PS256" }, rsSigner), ReasonUnsupportedAlg},
		{"ES256", withHeader(func(h map[string]any) { h["alg"] = "ES256" }, rsSigner), ReasonUnsupportedAlg},
		{"missing kid", withHeader(func(h map[string]any) { delete(h, "kid") }, rsSigner), ReasonUnknownKey},
		{"unknown kid", withHeader(func(h map[string]any) { h["kid"] = "kid-nope" }, rsSigner), ReasonUnknownKey},
		{"crit header", withHeader(func(h map[string]any) { h["crit"] = []string{"exp"}; h["exp"] = 1 }, rsSigner), ReasonMalformed},
		{"signed by another key", withHeader(func(map[string]any) {},
			func(*testEnv) func([]byte) []byte { return signRS256(other) }), ReasonInvalidSignature},
		{"empty signature", withHeader(func(map[string]any) {}, nil), ReasonInvalidSignature},
		{"tampered payload", func(t *testing.T, e *testEnv) string {
			tok := e.token(t, e.idClaims())
			parts := strings.Split(tok, ".")
			c := e.idClaims()
			c["cognito:groups"] = []string{"admin", "superuser"}
			parts[1] = b64json(t, c)
			return strings.Join(parts, ".")
		}, ReasonInvalidSignature},
		{"truncated signature", func(t *testing.T, e *testEnv) string {
			tok := e.token(t, e.idClaims())
			return tok[:len(tok)-8]
		}, ReasonInvalidSignature},
		{"signature not base64", func(t *testing.T, e *testEnv) string {
			tok := e.token(t, e.idClaims())
			return tok[:strings.LastIndex(tok, ".")+1] + "!!!***"
		}, ReasonInvalidSignature},
		{"payload not JSON", func(t *testing.T, e *testEnv) string {
			input := b64json(t, e.header()) + "." + base64.RawURLEncoding.EncodeToString([]byte("not json"))
			return input + "." + base64.RawURLEncoding.EncodeToString(signRS256(e.key)([]byte(input)))
		}, ReasonMalformed},
		{"payload JSON null", func(t *testing.T, e *testEnv) string { return makeToken(t, e.header(), nil, signRS256(e.key)) }, ReasonMalformed},
		{"payload JSON array", func(t *testing.T, e *testEnv) string {
			return makeToken(t, e.header(), []int{1}, signRS256(e.key))
		}, ReasonMalformed},
		{"header JSON array", func(t *testing.T, e *testEnv) string {
			return makeToken(t, []string{"RS256"}, e.idClaims(), signRS256(e.key))
		}, ReasonMalformed},
		{"empty", literal(""), ReasonMissingToken},
		{"garbage word", literal("garbage"), ReasonMalformed},
		{"two segments", literal("a.b"), ReasonMalformed},
		{"four segments", literal("a.b.c.d"), ReasonMalformed},
		{"only dots", literal(".."), ReasonMalformed},
		{"bad base64 header", literal("!!!.e30.sig"), ReasonMalformed},
		{"header not JSON", literal(base64.RawURLEncoding.EncodeToString([]byte("{not")) + ".e30.c2ln"), ReasonMalformed},
		{"unicode junk", literal("ünï.cødé.☃"), ReasonMalformed},
		{"huge", literal(strings.Repeat("a", maxTokenBytes+1)), ReasonMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, nil)
			_, err := e.v.Verify(context.Background(), tc.token(t, e))
			wantReason(t, err, tc.want)
		})
	}
}

func TestVerifyKeyConstraints(t *testing.T) {
	keys := testRSAKeys()
	tests := []struct {
		name  string
		entry jwkEntry
		want  string
	}{
		{"jwk alg RS512 is not used for RS256", jwkEntry{kid: "k", pub: &keys[0].PublicKey, alg: "RS512"}, ReasonKeysUnavailable},
		{"jwk alg HS256 is not used", jwkEntry{kid: "k", pub: &keys[0].PublicKey, alg: "HS256"}, ReasonKeysUnavailable},
		{"jwk without alg is accepted", jwkEntry{kid: "k", pub: &keys[0].PublicKey}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, nil)
			e.idp.setKeys(tc.entry)
			e.kid = "k"
			_, err := e.v.Verify(context.Background(), e.token(t, e.idClaims()))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			// The only key is unusable, so the fetched set counts as a failed fetch.
			wantReason(t, err, tc.want)
		})
	}
	t.Run("unusable key next to a usable one is unknown", func(t *testing.T) {
		e := newTestEnv(t, nil)
		e.idp.setKeys(jwkEntry{kid: "good", pub: &keys[1].PublicKey, alg: "RS256"},
			jwkEntry{kid: e.kid, pub: &e.key.PublicKey, alg: "RS384"})
		_, err := e.v.Verify(context.Background(), e.token(t, e.idClaims()))
		wantReason(t, err, ReasonUnknownKey)
	})
}

func TestVerifyNoClientCheckWhenClientIDsEmpty(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.ClientIDs = nil })
	c := e.idClaims()
	c["aud"] = "anything"
	if _, err := e.v.Verify(context.Background(), e.token(t, c)); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func TestNewVerifier(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr bool
	}{
		{"missing issuer", Config{}, true},
		{"negative leeway", Config{Issuer: testIssuer, Leeway: -time.Second}, true},
		{"defaults", Config{Issuer: testIssuer}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := NewVerifier(tc.cfg, nil)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if v.leeway != DefaultLeeway || v.cache.max != DefaultCacheSize {
				t.Errorf("defaults not applied: leeway %v cache %d", v.leeway, v.cache.max)
			}
			rs, ok := v.keys.(*RemoteKeySource)
			if !ok || rs.url != testIssuer+"/.well-known/jwks.json" || rs.minRefresh != DefaultMinRefreshInterval {
				t.Errorf("key source = %#v", v.keys)
			}
		})
	}
}

func TestVerifyDefaultJWKSURLFromIssuer(t *testing.T) {
	e := newTestEnv(t, nil)
	issuer := e.idp.srv.URL
	v, err := NewVerifier(Config{Issuer: issuer, Now: e.clock.Now, HTTPClient: e.idp.srv.Client()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := e.idClaims()
	c["iss"] = issuer
	if _, err := v.Verify(context.Background(), e.token(t, c)); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if got := e.idp.hits.Load(); got != 1 {
		t.Errorf("jwks hits = %d, want 1", got)
	}
}
