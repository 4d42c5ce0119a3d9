package auth

import (
	"context"
	"errors"
	"testing"
)

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
