package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
)

// TestExecute: an in-process operation runs with the handler's rules:
// data for what the caller may read, the presented error (extensions.code)
// for the rest, and a refusal before running for a bad document.
func TestExecute(t *testing.T) {
	st, err := bolt.Open(t.TempDir()+"/dayline.db", store.NewPageTokens([]byte("execute-test-secret")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	admin := domain.User{ID: "m", OrganisationID: "o", Name: "M", Email: scalars.Email("m@example.com"), Role: domain.RoleAdmin,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateOrganisation(t.Context(), domain.Organisation{ID: "o", Name: "O", CreatedAt: now}, admin); err != nil {
		t.Fatal(err)
	}
	h := api.New(api.Config{Store: st, Now: time.Now, NewID: func() string { return "id" }})
	ctx := auth.WithIdentity(api.WithRequestID(context.Background(), "r1"), auth.Identity{Sub: "m", Groups: []string{domain.GroupAdmins}})

	tests := []struct {
		name, query string
		vars        map[string]any
		wantData    string
		wantCode    string
		wantPath    string
	}{
		{name: "data", query: `query($id: ID!) { a: user(id: $id) { id name } }`, vars: map[string]any{"id": "m"},
			wantData: `{"a":{"id":"m","name":"M"}}`},
		{name: "field error on its path", query: `{ a: user(id: "nobody") { id } }`,
			wantData: `{"a":null}`, wantCode: "NotFound", wantPath: "a"},
		{name: "refused before running", query: `{ me { nope } }`, wantCode: "BadRequest"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := h.Execute(ctx, &graphql.RawParams{Query: tc.query, Variables: tc.vars})
			if string(resp.Data) != tc.wantData {
				t.Errorf("data %s, want %s", resp.Data, tc.wantData)
			}
			if tc.wantCode == "" {
				if len(resp.Errors) > 0 {
					t.Errorf("errors %v", resp.Errors)
				}
				return
			}
			if len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != tc.wantCode || resp.Errors[0].Path.String() != tc.wantPath {
				t.Errorf("errors %v, want one %s at %q", resp.Errors, tc.wantCode, tc.wantPath)
			}
		})
	}
}
