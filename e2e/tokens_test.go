package e2e_test

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/dayline/dayline/auth"
)

// tokenKit forges tokens for one env: it holds the env's real signing key
// (so it can produce validly signed tokens with bad claims) and the public
// material an attacker would know (the JWKS).
type tokenKit struct {
	key    *rsa.PrivateKey
	kid    string
	jwksN  string           // base64url modulus as published in the JWKS
	pubPEM []byte           // PKIX "PUBLIC KEY" PEM of the signing key
	now    func() time.Time // the env's token clock
}

func newTokenKit(t *testing.T, e *env) tokenKit {
	t.Helper()
	pemBytes, err := os.ReadFile(filepath.Join(e.KeyDir, "dev-signing-key.pem"))
	if err != nil {
		t.Fatalf("read signing key: %v", err)
	}
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		t.Fatal("signing key file holds no PEM block")
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatalf("parse signing key: %v", err)
	}
	key, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		t.Fatalf("signing key is %T, want RSA", parsed)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatalf("marshal public key: %v", err)
	}
	k := tokenKit{key: key, pubPEM: pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}), now: e.TokenNow}

	// The kid valid tokens carry.
	minted, err := e.Issuer.Mint("kid-probe", nil, "", time.Minute)
	if err != nil {
		t.Fatalf("mint: %v", err)
	}
	var hdr struct {
		Kid string `json:"kid"`
	}
	decodeSegment(t, strings.Split(minted, ".")[0], &hdr)
	if hdr.Kid == "" {
		t.Fatal("minted token carries no kid")
	}
	k.kid = hdr.Kid

	// The JWKS as Cognito would publish it.
	rec := httptest.NewRecorder()
	e.Issuer.JWKSHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/.well-known/jwks.json", nil))
	var set struct {
		Keys []struct {
			Kid string `json:"kid"`
			N   string `json:"n"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &set); err != nil || len(set.Keys) != 1 || set.Keys[0].Kid != k.kid {
		t.Fatalf("jwks: %v %s", err, rec.Body)
	}
	k.jwksN = set.Keys[0].N
	return k
}

// claims returns valid id-token claims for sub at the env's token time.
func (k tokenKit) claims(sub string, groups ...string) map[string]any {
	now := k.now().Unix()
	c := map[string]any{
		"sub": sub, "iss": testIssuer, "aud": testClientID, "token_use": "id",
		"cognito:username": sub, "auth_time": now, "iat": now, "exp": now + 3600,
	}
	if len(groups) > 0 {
		c["cognito:groups"] = groups
	}
	return c
}

func (k tokenKit) header() map[string]any {
	return map[string]any{"alg": "RS256", "kid": k.kid, "typ": "JWT"}
}

// sign signs claims with the env's real key under header (RS256 by hand:
// PKCS#1 v1.5 over SHA-256 of the signing input).
func (k tokenKit) sign(t *testing.T, header, claims map[string]any) string {
	t.Helper()
	return signRS256(t, k.key, header, claims)
}

func signRS256(t *testing.T, key *rsa.PrivateKey, header, claims map[string]any) string {
	t.Helper()
	input := encodeSegment(t, header) + "." + encodeSegment(t, claims)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// signHS256 forges an HMAC token whose secret is public material.
func signHS256(t *testing.T, kid string, secret []byte, claims map[string]any) string {
	t.Helper()
	input := encodeSegment(t, map[string]any{"alg": "HS256", "kid": kid, "typ": "JWT"}) + "." + encodeSegment(t, claims)
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(input))
	return input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func encodeSegment(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode segment: %v", err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeSegment(t *testing.T, seg string, dst any) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatalf("decode segment: %v", err)
	}
	if err := json.Unmarshal(b, dst); err != nil {
		t.Fatalf("decode segment json: %v", err)
	}
}

// withClaims returns a copy of m with the given keys set (a nil value deletes).
func withClaims(m map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
			continue
		}
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// authCall is the outcome of one /graphql request with a chosen
// Authorization header.
type authCall struct {
	status      int
	contentType string
	raw         []byte
	doc         map[string]json.RawMessage
	errors      []struct {
		ErrorType string `json:"errorType"`
		Message   string `json:"message"`
	}
	data struct {
		Me *struct {
			ID string `json:"id"`
		} `json:"me"`
	}
}

// callMe sends `{ me { id } }` with the Authorization header set to authz
// (no header at all when set is false). It reports failures on t, so it is
// safe in subtests.
func callMe(t *testing.T, url string, set bool, authz string) authCall {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/graphql", strings.NewReader(`{"query":"{ me { id } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if set {
		req.Header.Set("Authorization", authz)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	defer res.Body.Close()
	out := authCall{status: res.StatusCode, contentType: res.Header.Get("Content-Type")}
	out.raw, _ = io.ReadAll(res.Body)
	if err := json.Unmarshal(out.raw, &out.doc); err != nil {
		t.Fatalf("status %d: body is not a JSON object: %q", res.StatusCode, out.raw)
	}
	if e, ok := out.doc["errors"]; ok {
		if err := json.Unmarshal(e, &out.errors); err != nil {
			t.Fatalf("errors is not a list: %s", out.raw)
		}
	}
	if d, ok := out.doc["data"]; ok {
		_ = json.Unmarshal(d, &out.data)
	}
	return out
}

// stillServes fails t unless the server is healthy and a valid token for
// a-member-1 still answers.
func stillServes(t *testing.T, url, validToken string) {
	t.Helper()
	res, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatalf("healthz: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("healthz: status %d", res.StatusCode)
	}
	c := callMe(t, url, true, "Bearer "+validToken)
	if c.status != http.StatusOK || len(c.errors) > 0 || c.data.Me == nil || c.data.Me.ID != "a-member-1" {
		t.Fatalf("valid token no longer works: %d %s", c.status, c.raw)
	}
}

// TestRejectedTokens sends forged, expired, misaddressed and malformed
// tokens through real HTTP: each gets 401 with an AppSync-shaped
// UnauthorizedException and no data, and the server keeps serving.
func TestRejectedTokens(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		k := newTokenKit(t, e)
		valid := e.token("a-member-1")
		now := k.now().Unix()
		base := k.claims("a-member-1", "Members")
		parts := strings.Split(valid, ".")

		// A fresh key the server has never seen, signing through jwx.
		strangerKey, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		strangerHeaders := jws.NewHeaders()
		if err := strangerHeaders.Set(jws.KeyIDKey, "stranger-"+randomKid()); err != nil {
			t.Fatal(err)
		}
		payload, _ := json.Marshal(base)
		strangerTok, err := jws.Sign(payload, jws.WithKey(jwa.RS256(), strangerKey, jws.WithProtectedHeaders(strangerHeaders)))
		if err != nil {
			t.Fatal(err)
		}

		// The valid token's payload with the Admins group added: the
		// signature no longer matches.
		var validClaims map[string]any
		decodeSegment(t, parts[1], &validClaims)
		tampered := parts[0] + "." + encodeSegment(t, withClaims(validClaims, "cognito:groups", []string{"Admins"})) + "." + parts[2]

		// Header tricks: a key embedded in the header (jwk), a key set URL
		// the attacker controls (jku), extensions the verifier must not
		// honour (crit, b64).
		strangerJWK, err := jwk.Import(&strangerKey.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		if err := strangerJWK.Set(jwk.KeyIDKey, "attacker-kid"); err != nil {
			t.Fatal(err)
		}
		attackerSet := jwk.NewSet()
		if err := attackerSet.AddKey(strangerJWK); err != nil {
			t.Fatal(err)
		}
		attackerJWKS, err := json.Marshal(attackerSet)
		if err != nil {
			t.Fatal(err)
		}
		var attackerHits atomic.Int64
		attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			attackerHits.Add(1)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(attackerJWKS)
		}))
		defer attacker.Close()
		withHeader := func(kv ...any) map[string]any { return withClaims(k.header(), kv...) }

		nBytes, err := base64.RawURLEncoding.DecodeString(k.jwksN)
		if err != nil {
			t.Fatalf("jwks n: %v", err)
		}
		pkcs1PEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&k.key.PublicKey)})
		noneHeader := encodeSegment(t, map[string]any{"alg": "none", "typ": "JWT"})
		noneKidHeader := encodeSegment(t, map[string]any{"alg": "none", "kid": k.kid, "typ": "JWT"})
		body := encodeSegment(t, base)
		junk := strings.Repeat("junk!~*()<>?;:'[]{}|", 512)[:10<<10]

		cases := []struct {
			name   string
			noAuth bool   // send no Authorization header
			header string // the Authorization header value
			reason string // the client-safe reason in the message
		}{
			{name: "missing header", noAuth: true, reason: auth.ReasonMissingToken},
			{name: "empty header", header: "", reason: auth.ReasonMissingToken},
			{name: "Bearer only", header: "Bearer ", reason: auth.ReasonMissingToken},
			{name: "expired", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "iat", now-7200, "auth_time", now-7200, "exp", now-600)), reason: auth.ReasonExpired},
			{name: "expired just past leeway", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "iat", now-3600, "exp", now-90)), reason: auth.ReasonExpired},
			{name: "not yet valid", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "nbf", now+600)), reason: auth.ReasonNotYetValid},
			{name: "iat far in the future", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "iat", now+86400, "exp", now+90000)), reason: auth.ReasonNotYetValid},
			{name: "exp missing", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "exp", nil)), reason: auth.ReasonMalformed},
			{name: "exp not a number", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "exp", "tomorrow")), reason: auth.ReasonMalformed},
			{name: "sub missing", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "sub", nil)), reason: auth.ReasonMalformed},
			{name: "wrong issuer", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "iss", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other")), reason: auth.ReasonWrongIssuer},
			{name: "issuer with trailing slash", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "iss", testIssuer+"/")), reason: auth.ReasonWrongIssuer},
			{name: "wrong audience", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "aud", "another-client-id")), reason: auth.ReasonWrongAudience},
			{name: "audience missing", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "aud", nil)), reason: auth.ReasonWrongAudience},
			{name: "access token with wrong client_id", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "token_use", "access", "aud", nil, "client_id", "another-client-id")), reason: auth.ReasonWrongAudience},
			{name: "access token with the client id only in aud", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "token_use", "access")), reason: auth.ReasonWrongAudience},
			{name: "token_use refresh", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "token_use", "refresh")), reason: auth.ReasonWrongTokenUse},
			{name: "token_use missing", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "token_use", nil)), reason: auth.ReasonWrongTokenUse},
			{name: "alg none, empty signature", header: "Bearer " + noneHeader + "." + body + ".", reason: auth.ReasonUnsupportedAlg},
			{name: "alg none with kid, empty signature", header: "Bearer " + noneKidHeader + "." + body + ".", reason: auth.ReasonUnsupportedAlg},
			{name: "alg none, no signature segment", header: "Bearer " + noneHeader + "." + body, reason: auth.ReasonMalformed},
			{name: "RS256 header, empty signature", header: "Bearer " + encodeSegment(t, k.header()) + "." + body + ".", reason: auth.ReasonInvalidSignature},
			{name: "HS256 keyed with the public key PEM", header: "Bearer " + signHS256(t, k.kid, k.pubPEM, base), reason: auth.ReasonUnsupportedAlg},
			{name: "HS256 keyed with the PKCS1 public key PEM", header: "Bearer " + signHS256(t, k.kid, pkcs1PEM, base), reason: auth.ReasonUnsupportedAlg},
			{name: "HS256 keyed with the JWKS n bytes", header: "Bearer " + signHS256(t, k.kid, nBytes, base), reason: auth.ReasonUnsupportedAlg},
			{name: "HS256 keyed with the JWKS n string", header: "Bearer " + signHS256(t, k.kid, []byte(k.jwksN), base), reason: auth.ReasonUnsupportedAlg},
			{name: "unknown kid", header: "Bearer " + string(strangerTok), reason: auth.ReasonUnknownKey},
			{name: "missing kid", header: "Bearer " + k.sign(t, map[string]any{"alg": "RS256", "typ": "JWT"}, base), reason: auth.ReasonUnknownKey},
			{name: "known kid, foreign key", header: "Bearer " + signRS256(t, strangerKey, k.header(), base), reason: auth.ReasonInvalidSignature},
			{name: "embedded jwk with our kid", header: "Bearer " + signRS256(t, strangerKey, withHeader("jwk", strangerJWK), base), reason: auth.ReasonInvalidSignature},
			{name: "embedded jwk with its own kid", header: "Bearer " + signRS256(t, strangerKey, withHeader("jwk", strangerJWK, "kid", "attacker-kid"), base), reason: auth.ReasonUnknownKey},
			{name: "jku naming an attacker's key set", header: "Bearer " + signRS256(t, strangerKey, withHeader("jku", attacker.URL, "kid", "attacker-kid"), base), reason: auth.ReasonUnknownKey},
			{name: "x5u naming an attacker's URL", header: "Bearer " + signRS256(t, strangerKey, withHeader("x5u", attacker.URL, "kid", "attacker-kid"), base), reason: auth.ReasonUnknownKey},
			{name: "crit header", header: "Bearer " + k.sign(t, withHeader("crit", []string{"exp"}), base), reason: auth.ReasonMalformed},
			{name: "b64 false header", header: "Bearer " + k.sign(t, withHeader("b64", false, "crit", []string{"b64"}), base), reason: auth.ReasonMalformed},
			{name: "alg lower-case rs256", header: "Bearer " + k.sign(t, withHeader("alg", "rs256"), base), reason: auth.ReasonUnsupportedAlg},
			{name: "alg PS256 with our key", header: "Bearer " + k.sign(t, withHeader("alg", "PS256"), base), reason: auth.ReasonUnsupportedAlg},
			{name: "tampered payload", header: "Bearer " + tampered, reason: auth.ReasonInvalidSignature},
			{name: "signature of another token", header: "Bearer " + parts[0] + "." + body + "." + parts[2], reason: auth.ReasonInvalidSignature},
			{name: "garbage abc", header: "Bearer abc", reason: auth.ReasonMalformed},
			{name: "garbage a.b.c", header: "Bearer a.b.c", reason: auth.ReasonMalformed},
			{name: "four segments", header: "Bearer " + valid + ".x", reason: auth.ReasonMalformed},
			{name: "10 KB of junk", header: "Bearer " + junk, reason: auth.ReasonMalformed},
			{name: "70 KB token", header: "Bearer " + parts[0] + "." + strings.Repeat("A", 70<<10) + "." + parts[2], reason: auth.ReasonMalformed},
			{name: "valid token in Basic form", header: "Basic " + valid, reason: auth.ReasonMalformed},
			{name: "valid token twice", header: "Bearer " + valid + " " + valid, reason: auth.ReasonMalformed},
			{name: "audience list with our client id and an untrusted one", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "aud", []string{testClientID, "another-client-id"})), reason: auth.ReasonUntrustedAudience},
			{name: "groups as a string", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "cognito:groups", "Admins")), reason: auth.ReasonInvalidGroups},
			{name: "groups as a number", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "cognito:groups", 1)), reason: auth.ReasonInvalidGroups},
			{name: "groups array with a number", header: "Bearer " + k.sign(t, k.header(), withClaims(base, "cognito:groups", []any{"Members", 1})), reason: auth.ReasonInvalidGroups},
			{name: "sub twice", header: "Bearer " + signRawPayload(t, k, `{"sub":"a-admin",`+strings.TrimPrefix(string(mustJSON(t, base)), "{")), reason: auth.ReasonDuplicateClaim},
			{name: "cognito:groups twice", header: "Bearer " + signRawPayload(t, k, strings.TrimSuffix(string(mustJSON(t, base)), "}")+`,"cognito:groups":["Admins"]}`), reason: auth.ReasonDuplicateClaim},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c := callMe(t, e.URL, !tc.noAuth, tc.header)
				if c.status != http.StatusUnauthorized {
					t.Fatalf("status %d, want 401: %s", c.status, c.raw)
				}
				if !strings.HasPrefix(c.contentType, "application/json") {
					t.Errorf("Content-Type %q, want application/json", c.contentType)
				}
				if _, ok := c.doc["data"]; ok {
					t.Errorf("401 body has data: %s", c.raw)
				}
				if len(c.errors) == 0 || c.errors[0].ErrorType != "UnauthorizedException" {
					t.Fatalf("want errors[0].errorType UnauthorizedException: %s", c.raw)
				}
				if want := "Unauthorized: " + tc.reason; c.errors[0].Message != want {
					t.Errorf("message %q, want %q", c.errors[0].Message, want)
				}
				stillServes(t, e.URL, valid)
			})
		}
		if n := attackerHits.Load(); n != 0 {
			t.Errorf("the server fetched keys from a URL named in a token header (%d requests)", n)
		}
		e.healthy()
	})
}

// TestAcceptedTokens is the control group of TestRejectedTokens: the same
// hand-built tokens with nothing wrong pass, so each rejection above is
// caused by the one thing its case changes. It also covers the header
// forms AppSync clients send.
func TestAcceptedTokens(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		k := newTokenKit(t, e)
		valid := e.token("a-member-1")
		now := k.now().Unix()
		base := k.claims("a-member-1", "Members")

		cases := []struct{ name, header string }{
			{"minted, Bearer", "Bearer " + valid},
			{"minted, raw (AppSync style)", valid},
			{"minted, lower-case bearer", "bearer " + valid},
			{"minted, surrounding spaces", "  Bearer   " + valid + "  "},
			{"hand-signed id token", "Bearer " + k.sign(t, k.header(), base)},
			{"hand-signed, raw", k.sign(t, k.header(), base)},
			{"hand-signed via jwx", "Bearer " + signWithJWX(t, k, base)},
			{"access token with our client_id", "Bearer " + k.sign(t, k.header(), withClaims(base, "token_use", "access", "aud", nil, "client_id", testClientID, "cognito:username", nil, "username", "a-member-1"))},
			{"audience list holding only our client id", "Bearer " + k.sign(t, k.header(), withClaims(base, "aud", []string{testClientID}))},
			{"expired within the leeway", "Bearer " + k.sign(t, k.header(), withClaims(base, "iat", now-3600, "exp", now-5))},
			{"nbf within the leeway", "Bearer " + k.sign(t, k.header(), withClaims(base, "nbf", now+5))},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c := callMe(t, e.URL, true, tc.header)
				if c.status != http.StatusOK || len(c.errors) > 0 {
					t.Fatalf("status %d: %s", c.status, c.raw)
				}
				if c.data.Me == nil || c.data.Me.ID != "a-member-1" {
					t.Errorf("me = %s, want a-member-1", c.raw)
				}
			})
		}
	})
}

// TestRejectedTokensUnderLoad fires every kind of bad token concurrently
// at one server, then checks that a valid token still works.
func TestRejectedTokensUnderLoad(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		k := newTokenKit(t, e)
		valid := e.token("a-member-1")
		base := k.claims("a-member-1", "Members")
		bad := []string{
			"Bearer ", "Bearer abc", "Bearer a.b.c", "Basic " + valid,
			"Bearer " + k.sign(t, k.header(), withClaims(base, "exp", k.now().Unix()-600)),
			"Bearer " + k.sign(t, k.header(), withClaims(base, "aud", "x")),
			"Bearer " + signHS256(t, k.kid, k.pubPEM, base),
			"Bearer " + signRS256(t, mustRSAKey(t), map[string]any{"alg": "RS256", "kid": "random-" + randomKid()}, base),
		}
		const n = 160
		statuses := make(chan int, n)
		for i := range n {
			go func() {
				req, _ := http.NewRequest(http.MethodPost, e.URL+"/graphql", strings.NewReader(`{"query":"{ me { id } }"}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", bad[i%len(bad)])
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					statuses <- -1
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				statuses <- res.StatusCode
			}()
		}
		for range n {
			if s := <-statuses; s != http.StatusUnauthorized {
				t.Errorf("bad token answered %d, want 401", s)
			}
		}
		stillServes(t, e.URL, valid)
	})
}

func signWithJWX(t *testing.T, k tokenKit, claims map[string]any) string {
	t.Helper()
	hdrs := jws.NewHeaders()
	if err := hdrs.Set(jws.KeyIDKey, k.kid); err != nil {
		t.Fatal(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jws.Sign(payload, jws.WithKey(jwa.RS256(), k.key, jws.WithProtectedHeaders(hdrs)))
	if err != nil {
		t.Fatalf("jws sign: %v", err)
	}
	return string(tok)
}

func mustRSAKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// randomKid returns a random base64url string for kids nobody knows.
func randomKid() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// signRawPayload signs payload, raw JSON that json.Marshal could not
// produce (a repeated name), with the env's key under a valid header.
func signRawPayload(t *testing.T, k tokenKit, payload string) string {
	t.Helper()
	input := encodeSegment(t, k.header()) + "." + base64.RawURLEncoding.EncodeToString([]byte(payload))
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, k.key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}
