package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestMiddleware(t *testing.T) {
	unauthorized := func(reason string) string {
		return `{"errors":[{"errorType":"UnauthorizedException","message":"Unauthorized: ` + reason + `"}]}`
	}
	tests := []struct {
		name       string
		header     func(t *testing.T, e *testEnv) (string, bool) // value, present
		wantStatus int
		wantBody   string
	}{
		{"missing header", func(*testing.T, *testEnv) (string, bool) { return "", false },
			http.StatusUnauthorized, unauthorized("missing authorization token")},
		{"empty header", func(*testing.T, *testEnv) (string, bool) { return "", true },
			http.StatusUnauthorized, unauthorized("missing authorization token")},
		{"bearer without token", func(*testing.T, *testEnv) (string, bool) { return "Bearer ", true },
			http.StatusUnauthorized, unauthorized("missing authorization token")},
		{"garbage", func(*testing.T, *testEnv) (string, bool) { return "Bearer garbage", true },
			http.StatusUnauthorized, unauthorized("malformed token")},
		{"expired", func(t *testing.T, e *testEnv) (string, bool) {
			c := e.idClaims()
			c["exp"] = e.clock.Now().Add(-time.Hour).Unix()
			return e.token(t, c), true
		}, http.StatusUnauthorized, unauthorized("token expired")},
		{"wrong issuer", func(t *testing.T, e *testEnv) (string, bool) {
			c := e.idClaims()
			c["iss"] = "https://evil.example"
			return "Bearer " + e.token(t, c), true
		}, http.StatusUnauthorized, unauthorized("wrong issuer")},
		{"raw token as AppSync sends it", func(t *testing.T, e *testEnv) (string, bool) {
			return e.token(t, e.idClaims()), true
		}, http.StatusOK, "sub=1111-2222 groups=[admin editors]"},
		{"bearer token", func(t *testing.T, e *testEnv) (string, bool) {
			return "Bearer " + e.token(t, e.idClaims()), true
		}, http.StatusOK, "sub=1111-2222 groups=[admin editors]"},
		{"lowercase bearer with extra spaces", func(t *testing.T, e *testEnv) (string, bool) {
			return "  bearer   " + e.token(t, e.idClaims()) + " ", true
		}, http.StatusOK, "sub=1111-2222 groups=[admin editors]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, nil)
			next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				id, err := IdentityFrom(r.Context())
				if err != nil {
					t.Errorf("IdentityFrom: %v", err)
					return
				}
				_, _ = io.WriteString(w, "sub="+id.Sub+" groups="+fmt.Sprint(id.Groups))
			})
			req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
			if v, ok := tc.header(t, e); ok {
				req.Header.Set("Authorization", v)
			}
			rec := httptest.NewRecorder()
			Middleware(e.v)(next).ServeHTTP(rec, req)

			if rec.Code != tc.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tc.wantStatus)
			}
			if got := rec.Body.String(); got != tc.wantBody {
				t.Errorf("body = %s\nwant   %s", got, tc.wantBody)
			}
			if tc.wantStatus == http.StatusUnauthorized {
				if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type = %q", ct)
				}
			}
		})
	}
}

func TestTokenFromHeader(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"Bearer", ""},
		{"Bearer ", ""},
		{"Bearer abc", "abc"},
		{"BEARER\tabc", "abc"},
		{"abc.def.ghi", "abc.def.ghi"},
		{"Bearerabc", "Bearerabc"},
		{" abc ", "abc"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := TokenFromHeader(tc.in); got != tc.want {
				t.Errorf("TokenFromHeader(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestIdentityContext(t *testing.T) {
	if _, err := IdentityFrom(context.Background()); !errors.Is(err, ErrNoIdentity) {
		t.Fatalf("empty context: err = %v, want ErrNoIdentity", err)
	}
	want := Identity{Sub: "s", Groups: []string{"a"}}
	got, err := IdentityFrom(WithIdentity(context.Background(), want))
	if err != nil || got.Sub != "s" {
		t.Fatalf("IdentityFrom = %+v, %v", got, err)
	}
}

func TestIdentityInGroup(t *testing.T) {
	id := Identity{Groups: []string{"admin", "editors"}}
	tests := []struct {
		name   string
		id     Identity
		groups []string
		want   bool
	}{
		{"one matching", id, []string{"admin"}, true},
		{"any matching", id, []string{"x", "editors"}, true},
		{"none matching", id, []string{"x", "Admin"}, false},
		{"no groups asked", id, nil, false},
		{"identity without groups", Identity{}, []string{"admin"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.id.InGroup(tc.groups...); got != tc.want {
				t.Errorf("InGroup(%v) = %v, want %v", tc.groups, got, tc.want)
			}
		})
	}
}

func TestReasonOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"token error", tokenErr(ReasonExpired, nil), ReasonExpired},
		{"wrapped token error", errors.Join(errors.New("x"), tokenErr(ReasonWrongIssuer, nil)), ReasonWrongIssuer},
		{"other error", errors.New("boom"), ReasonMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ReasonOf(tc.err); got != tc.want {
				t.Errorf("ReasonOf = %q, want %q", got, tc.want)
			}
		})
	}
}
