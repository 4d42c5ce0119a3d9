package resolvers

import (
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/dayline/dayline/auth"
)

// TestMayDeny: the per-field check is skipped only for documents whose
// every field the caller may resolve, wherever fragments put it; anything
// it cannot place on an object type counts as a possible denial.
func TestMayDeny(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Name: "auth.graphql", Input: authSchema})
	fa := NewFieldAuthorizer(schema)
	member := auth.Identity{Groups: []string{"Members"}}
	admin := auth.Identity{Groups: []string{"Admins"}}
	tests := []struct {
		name   string
		caller auth.Identity
		query  string
		want   bool
	}{
		{"all allowed", member, `{ open t { inherited anyUser } u { plain } }`, false},
		{"typename only", member, `{ __typename t { __typename } }`, false},
		{"field's groups", member, `{ t { override } }`, true},
		{"type's groups", admin, `{ t { inherited } }`, true},
		{"another mode only", member, `{ t { apiKeyOnly } }`, true},
		{"in a fragment", member, `{ t { ...F } } fragment F on T { override }`, true},
		{"fragment used twice", member, `{ a: t { ...F } b: t { ...F } } fragment F on T { inherited }`, false},
		{"in an inline fragment", member, `{ t { ... on T { override } } }`, true},
		{"skipped still counts", member, `{ t { override @skip(if: true) } }`, true},
		{"on an interface", member, `{ i { x } }`, true},
		{"admin's field", admin, `{ open u { plain } }`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, errs := gqlparser.LoadQuery(schema, tc.query)
			if errs != nil {
				t.Fatal(errs)
			}
			if got := fa.MayDeny(doc.Operations[0], tc.caller); got != tc.want {
				t.Errorf("MayDeny = %v, want %v", got, tc.want)
			}
		})
	}
}
