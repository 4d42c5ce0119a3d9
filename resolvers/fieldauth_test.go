package resolvers

import (
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/dayline/dayline/auth"
)

const authSchema = `
directive @aws_cognito_user_pools(cognito_groups: [String]) on OBJECT | FIELD_DEFINITION
directive @aws_api_key on OBJECT | FIELD_DEFINITION
type Query { open: String, t: T, u: U, i: I }
interface I { x: String }
type V implements I { x: String }
type T @aws_cognito_user_pools(cognito_groups: ["Members"]) {
  inherited: String
  override: String @aws_cognito_user_pools(cognito_groups: ["Admins"])
  single: String @aws_cognito_user_pools(cognito_groups: "Admins")
  anyUser: String @aws_cognito_user_pools
  empty: String @aws_cognito_user_pools(cognito_groups: [])
  apiKeyOnly: String @aws_api_key
}
type U { plain: String }
`

// TestFieldAuthorizerPrecedence: AppSync's rule (field, else type, else the
// default mode), single-value groups, and failing closed.
func TestFieldAuthorizerPrecedence(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Name: "auth.graphql", Input: authSchema})
	fa := NewFieldAuthorizer(schema)
	member := auth.Identity{Groups: []string{"Members"}}
	admin := auth.Identity{Groups: []string{"Admins"}}
	nobody := auth.Identity{}
	tests := []struct {
		typ, field              string
		member, admin, noGroups bool
	}{
		{"Query", "open", true, true, true},      // no directive anywhere: default mode
		{"U", "plain", true, true, true},         // ditto
		{"T", "inherited", true, false, false},   // type's directive
		{"T", "override", false, true, false},    // field's directive wins over the type's
		{"T", "single", false, true, false},      // "Admins" means ["Admins"]
		{"T", "anyUser", true, true, true},       // no groups named: any signed-in user
		{"T", "empty", false, false, false},      // an empty list admits nobody
		{"T", "apiKeyOnly", false, false, false}, // another mode only: Cognito users denied
	}
	for _, tc := range tests {
		t.Run(tc.typ+"."+tc.field, func(t *testing.T) {
			for who, want := range map[string]bool{"member": tc.member, "admin": tc.admin, "no groups": tc.noGroups} {
				id := map[string]auth.Identity{"member": member, "admin": admin, "no groups": nobody}[who]
				if got := fa.Allowed(tc.typ, tc.field, id); got != want {
					t.Errorf("%s: Allowed = %v, want %v", who, got, want)
				}
			}
		})
	}
}
