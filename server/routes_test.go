package server

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/dayline/dayline/api"
)

// TestNoRoute: paths no route serves, and methods a GET route does not
// take, answer in the same error body as every other error.
func TestNoRoute(t *testing.T) {
	s := newStack(t, Config{Playground: true, JWKS: testIssuerFor(t).JWKSHandler()})
	cases := []struct {
		name, method, path string
		status             int
		errorType, message string
		allow              string
	}{
		{"unknown path", http.MethodGet, "/nope", http.StatusNotFound, "NotFound", "nothing is served at /nope: GraphQL is at /graphql", ""},
		{"POST /healthz", http.MethodPost, "/healthz", http.StatusMethodNotAllowed, "BadRequest", "method POST is not allowed on /healthz", "GET, HEAD"},
		{"DELETE jwks", http.MethodDelete, "/.well-known/jwks.json", http.StatusMethodNotAllowed, "BadRequest", "method DELETE is not allowed on /.well-known/jwks.json", "GET, HEAD"},
		{"PUT playground", http.MethodPut, "/", http.StatusMethodNotAllowed, "BadRequest", "method PUT is not allowed on /", "GET, HEAD"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, newRequest(t, tc.method, s.URL+tc.path, nil))
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if got := r.header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow %q, want %q", got, tc.allow)
			}
			var doc api.Response
			if err := json.Unmarshal(r.body, &doc); err != nil {
				t.Fatalf("body is not a response: %v: %s", err, r.body)
			}
			if len(doc.Errors) != 1 || doc.Errors[0].ErrorType != tc.errorType || doc.Errors[0].Message != tc.message ||
				doc.Errors[0].Extensions["code"] != tc.errorType {
				t.Errorf("errors %+v, want one %s %q", doc.Errors, tc.errorType, tc.message)
			}
		})
	}
}
