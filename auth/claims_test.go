package auth

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestVerifyIDTokenAudience checks OpenID Connect Core 3.1.3.7 for id
// tokens: aud must name an allowed client and nothing else. The test env
// allows "other-client" and testClientID.
func TestVerifyIDTokenAudience(t *testing.T) {
	tests := []struct {
		name string
		aud  any
		want string // "" means accepted
	}{
		{"single allowed audience as a string", testClientID, ""},
		{"single allowed audience in an array", []string{testClientID}, ""},
		{"only allowed audiences", []string{"other-client", testClientID}, ""},
		{"allowed audience repeated", []string{testClientID, testClientID}, ""},
		{"allowed audience plus an untrusted one", []string{testClientID, "evil-client"}, ReasonUntrustedAudience},
		{"untrusted audience before the allowed one", []string{"evil-client", testClientID}, ReasonUntrustedAudience},
		{"both allowed audiences plus an untrusted one", []string{"other-client", "evil-client", testClientID}, ReasonUntrustedAudience},
		{"allowed audience plus an empty string", []string{testClientID, ""}, ReasonUntrustedAudience},
		{"allowed audience plus its upper-case spelling", []string{testClientID, strings.ToUpper(testClientID)}, ReasonUntrustedAudience},
		{"only untrusted audiences", []string{"evil-a", "evil-b"}, ReasonWrongAudience},
		{"empty array", []string{}, ReasonWrongAudience},
		{"allowed audience beside a number", []any{testClientID, 42}, ReasonWrongAudience},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, nil)
			c := e.idClaims()
			c["aud"] = tc.aud
			id, err := e.v.Verify(context.Background(), e.token(t, c))
			if tc.want != "" {
				wantReason(t, err, tc.want)
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if id.Sub != "1111-2222" || id.TokenUse != tokenUseID {
				t.Errorf("identity = %+v", id)
			}
		})
	}
}

// TestVerifyGroupsClaim checks that cognito:groups is taken only as an
// array of strings: every other shape is refused, none is coerced.
func TestVerifyGroupsClaim(t *testing.T) {
	tests := []struct {
		name       string
		omit       bool // leave the claim out
		groups     any
		want       string // "" means accepted
		wantGroups []string
	}{
		{name: "absent", omit: true, wantGroups: nil},
		{name: "empty array", groups: []string{}, wantGroups: nil},
		{name: "array of strings", groups: []string{"Admins", "Members"}, wantGroups: []string{"Admins", "Members"}},
		{name: "string", groups: "Admins", want: ReasonInvalidGroups},
		{name: "comma-separated string", groups: "Admins,Members", want: ReasonInvalidGroups},
		{name: "number", groups: 42, want: ReasonInvalidGroups},
		{name: "array with a number", groups: []any{"Members", 1}, want: ReasonInvalidGroups},
		{name: "array with null", groups: []any{"Members", nil}, want: ReasonInvalidGroups},
		{name: "nested array", groups: []any{[]string{"Admins"}}, want: ReasonInvalidGroups},
		{name: "object", groups: map[string]any{"0": "Admins"}, want: ReasonInvalidGroups},
		{name: "boolean", groups: true, want: ReasonInvalidGroups},
		{name: "null", groups: nil, want: ReasonInvalidGroups},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, nil)
			c := e.idClaims()
			if tc.omit {
				delete(c, "cognito:groups")
			} else {
				c["cognito:groups"] = tc.groups
			}
			id, err := e.v.Verify(context.Background(), e.token(t, c))
			if tc.want != "" {
				wantReason(t, err, tc.want)
				if n := e.v.cache.len(); n != 0 {
					t.Errorf("refused token cached: %d entries", n)
				}
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !slices.Equal(id.Groups, tc.wantGroups) {
				t.Errorf("groups = %q, want %q", id.Groups, tc.wantGroups)
			}
		})
	}
}

// TestVerifyDuplicateNames checks that a validly signed token naming a
// claim or header parameter twice is refused, whichever copy a JSON parser
// would keep.
func TestVerifyDuplicateNames(t *testing.T) {
	const header = `{"alg":"RS256","kid":"kid-A"}`
	// first puts member before the others, last after them.
	first := func(member string) func(string) string {
		return func(payload string) string { return "{" + member + "," + payload[1:] }
	}
	last := func(member string) func(string) string {
		return func(payload string) string { return payload[:len(payload)-1] + "," + member + "}" }
	}
	same := func(payload string) string { return payload }
	tests := []struct {
		name    string
		header  string
		payload func(valid string) string
		want    string // "" means accepted
	}{
		{"control: extra claim", header, first(`"custom:tier":"gold"`), ""},
		{"control: extra header parameter", `{"alg":"RS256","kid":"kid-A","typ":"JWT"}`, same, ""},
		{"sub twice, forged copy first", header, first(`"sub":"someone-else"`), ReasonDuplicateClaim},
		{"sub twice, forged copy last", header, last(`"sub":"someone-else"`), ReasonDuplicateClaim},
		{"cognito:groups twice", header, last(`"cognito:groups":["Admins"]`), ReasonDuplicateClaim},
		{"cognito:groups twice with the same value", header, last(`"cognito:groups":["admin","editors"]`), ReasonDuplicateClaim},
		{"exp twice", header, first(`"exp":1`), ReasonDuplicateClaim},
		{"aud twice", header, last(`"aud":"evil-client"`), ReasonDuplicateClaim},
		{"sub twice, second spelled with an escape", header, last(`"s\u0075b":"someone-else"`), ReasonDuplicateClaim},
		{"kid twice", `{"alg":"RS256","kid":"kid-A","kid":"kid-A"}`, same, ReasonDuplicateHeader},
		{"alg twice", `{"alg":"none","alg":"RS256","kid":"kid-A"}`, same, ReasonDuplicateHeader},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, nil)
			valid, err := json.Marshal(e.idClaims())
			if err != nil {
				t.Fatal(err)
			}
			tok := makeRawToken(tc.header, tc.payload(string(valid)), signRS256(e.key))
			id, err := e.v.Verify(context.Background(), tok)
			if tc.want != "" {
				wantReason(t, err, tc.want)
				if n := e.v.cache.len(); n != 0 {
					t.Errorf("refused token cached: %d entries", n)
				}
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if id.Sub != "1111-2222" {
				t.Errorf("sub = %q", id.Sub)
			}
		})
	}
}
