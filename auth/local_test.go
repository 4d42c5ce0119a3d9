package auth

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

const localIssuerURL = "http://127.0.0.1:8080"

func openTestIssuer(t *testing.T, dir string, clock *fakeClock) *LocalIssuer {
	t.Helper()
	l, err := OpenLocalIssuer(dir, localIssuerURL, "local-client", clock.Now)
	if err != nil {
		t.Fatalf("OpenLocalIssuer: %v", err)
	}
	return l
}

// decodeSegment JSON-decodes one base64url segment of a compact token.
func decodeSegment(t *testing.T, tok string, i int) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatalf("decode segment %d: %v", i, err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("segment %d JSON: %v", i, err)
	}
	return m
}

func TestOpenLocalIssuerCreatesKeyOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "keys")
	clock := newFakeClock()
	first := openTestIssuer(t, dir, clock)

	path := filepath.Join(dir, "dev-signing-key.pem")
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("key file: %v", err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("key file mode = %o, want 600", mode)
	}
	pemBytes, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pemBytes, []byte(pemBegin("PRIVATE KEY"))) {
		t.Errorf("key file is not PKCS#8 PEM: %.40q", pemBytes)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("dir has %d entries, want only the key file", len(entries))
	}

	second := openTestIssuer(t, dir, clock)
	again, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pemBytes, again) {
		t.Error("key file rewritten on reopen")
	}
	kid := func(l *LocalIssuer) string {
		tok, err := l.Mint("u", nil, "", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		kid, ok := decodeSegment(t, tok, 0)["kid"].(string)
		if !ok {
			t.Fatalf("token header has no string kid: %s", tok)
		}
		return kid
	}
	if k1, k2 := kid(first), kid(second); k1 == "" || k1 != k2 {
		t.Errorf("kid changed across reopen: %q vs %q", k1, k2)
	}
	// Tokens from the first instance verify with the second's keys.
	tok, err := first.Mint("u", nil, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(second.Config(), second.KeySource())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Errorf("cross-instance Verify: %v", err)
	}
}

func TestOpenLocalIssuerErrors(t *testing.T) {
	tests := []struct {
		name     string
		issuer   string
		clientID string
		keyFile  []byte // written before opening when non-nil
	}{
		{"empty issuer", "", "c", nil},
		{"empty client id", localIssuerURL, "", nil},
		{"not PEM", localIssuerURL, "c", []byte("hello")},
		{"wrong PEM type", localIssuerURL, "c", []byte(pemBegin("RSA PRIVATE KEY") + "\nAAAA\n" + pemEnd("RSA PRIVATE KEY") + "\n")},
		{"bad PKCS#8", localIssuerURL, "c", []byte(pemBegin("PRIVATE KEY") + "\nAAAA\n" + pemEnd("PRIVATE KEY") + "\n")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.keyFile != nil {
				if err := os.WriteFile(filepath.Join(dir, "dev-signing-key.pem"), tc.keyFile, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := OpenLocalIssuer(dir, tc.issuer, tc.clientID, nil); err == nil {
				t.Fatal("want error")
			}
		})
	}
}

func TestLocalIssuerMint(t *testing.T) {
	clock := newFakeClock()
	l := openTestIssuer(t, t.TempDir(), clock)
	v, err := NewVerifier(l.Config(), l.KeySource())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		groups []string
		email  string
	}{
		{"with groups and email", []string{"admin", "editors"}, "dev@example.com"},
		{"no groups no email", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := l.Mint("dev-user", tc.groups, tc.email, time.Hour)
			if err != nil {
				t.Fatalf("Mint: %v", err)
			}
			hdr := decodeSegment(t, tok, 0)
			if hdr["alg"] != "RS256" || hdr["kid"] == "" || len(hdr) != 2 {
				t.Errorf("header = %v, want exactly alg RS256 and kid", hdr)
			}
			claims := decodeSegment(t, tok, 1)
			for _, name := range []string{"iss", "sub", "aud", "token_use", "cognito:username", "iat", "exp", "auth_time", "jti"} {
				if _, ok := claims[name]; !ok {
					t.Errorf("claim %q missing", name)
				}
			}
			if _, ok := claims["cognito:groups"]; ok != (len(tc.groups) > 0) {
				t.Errorf("cognito:groups present = %v with groups %v", ok, tc.groups)
			}
			id, err := v.Verify(context.Background(), tok)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if id.Sub != "dev-user" || id.Username != "dev-user" || id.Email != tc.email || id.TokenUse != "id" ||
				id.Issuer != localIssuerURL || !slices.Equal(id.Groups, tc.groups) {
				t.Errorf("identity = %+v", id)
			}
			if want := clock.Now().Add(time.Hour); !id.ExpiresAt.Equal(want) {
				t.Errorf("ExpiresAt = %v, want %v", id.ExpiresAt, want)
			}
		})
	}
	t.Run("expires", func(t *testing.T) {
		tok, err := l.Mint("u", nil, "", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Minute + DefaultLeeway)
		_, err = v.Verify(context.Background(), tok)
		wantReason(t, err, ReasonExpired)
	})
	t.Run("other local key is unknown", func(t *testing.T) {
		other := openTestIssuer(t, t.TempDir(), clock)
		tok, err := other.Mint("u", nil, "", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		_, err = v.Verify(context.Background(), tok)
		wantReason(t, err, ReasonUnknownKey)
	})
	t.Run("invalid arguments", func(t *testing.T) {
		if _, err := l.Mint("", nil, "", time.Hour); err == nil {
			t.Error("empty sub: want error")
		}
		if _, err := l.Mint("u", nil, "", 0); err == nil {
			t.Error("zero ttl: want error")
		}
	})
}

func TestLocalIssuerJWKSHandler(t *testing.T) {
	l := openTestIssuer(t, t.TempDir(), newFakeClock())
	tests := []struct {
		method     string
		wantStatus int
	}{
		{http.MethodGet, http.StatusOK},
		{http.MethodHead, http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.method, func(t *testing.T) {
			rec := httptest.NewRecorder()
			l.JWKSHandler().ServeHTTP(rec, httptest.NewRequest(tc.method, "/.well-known/jwks.json", nil))
			if rec.Code != tc.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tc.wantStatus)
			}
			if tc.method != http.MethodGet {
				return
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			body := rec.Body.Bytes()
			set, err := jwk.Parse(body)
			if err != nil {
				t.Fatalf("jwk.Parse: %v", err)
			}
			if set.Len() != 1 {
				t.Fatalf("set has %d keys, want 1", set.Len())
			}
			key, _ := set.Key(0)
			if priv, err := jwk.IsPrivateKey(key); err != nil || priv {
				t.Errorf("IsPrivateKey = %v, %v", priv, err)
			}
			var doc struct {
				Keys []map[string]any `json:"keys"`
			}
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			var members []string
			for name := range doc.Keys[0] {
				members = append(members, name)
			}
			slices.Sort(members)
			if want := []string{"alg", "e", "kid", "kty", "n", "use"}; !slices.Equal(members, want) {
				t.Errorf("JWK members = %v, want %v", members, want)
			}
			// The served set is usable as a key source on its own.
			if _, err := NewStaticKeySource(body); err != nil {
				t.Errorf("NewStaticKeySource: %v", err)
			}
		})
	}
}

// pemBegin and pemEnd build PEM armour lines, so that fake keys in these
// tests do not look like committed secrets to scanners.
func pemBegin(typ string) string { return "-----" + "BEGIN " + typ + "-----" }
func pemEnd(typ string) string   { return "-----" + "END " + typ + "-----" }
