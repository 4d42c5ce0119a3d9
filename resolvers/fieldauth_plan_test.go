package resolvers

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
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

// TestMutateOperationContext: the per-field check is installed, before the
// middleware already there, exactly when the document may be denied (or
// cannot be read), and then denies what the rules deny.
func TestMutateOperationContext(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Name: "auth.graphql", Input: authSchema})
	fa := NewFieldAuthorizer(schema)
	member := auth.WithIdentity(context.Background(), auth.Identity{Sub: "m", Groups: []string{"Members"}})
	fieldCtx := func(object, field string) context.Context {
		return graphql.WithFieldContext(member, &graphql.FieldContext{Object: object, Field: graphql.CollectedField{Field: &ast.Field{Name: field}}})
	}
	tests := []struct {
		name         string
		query        string // "" for an operation gqlgen could not read
		object, fld  string // the field then resolved
		wantResolved bool
	}{
		// resolving a denied field shows that no check was installed
		{"allowed document: no check", `{ t { inherited } }`, "T", "override", true},
		{"document with a denied field: checked, denied", `{ t { inherited override } }`, "T", "override", false},
		{"document with a denied field: checked, allowed", `{ t { inherited override } }`, "T", "inherited", true},
		{"unreadable operation: checked", "", "T", "override", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			innerCalls := 0
			oc := &graphql.OperationContext{ResolverMiddleware: func(ctx context.Context, next graphql.Resolver) (any, error) {
				innerCalls++
				return next(ctx)
			}}
			if tc.query != "" {
				doc, errs := gqlparser.LoadQuery(schema, tc.query)
				if errs != nil {
					t.Fatal(errs)
				}
				oc.Operation = doc.Operations[0]
			}
			if err := fa.MutateOperationContext(member, oc); err != nil {
				t.Fatal(err)
			}
			resolved := false
			_, err := oc.ResolverMiddleware(fieldCtx(tc.object, tc.fld), func(context.Context) (any, error) {
				resolved = true
				return "v", nil
			})
			if resolved != tc.wantResolved || (err != nil) == tc.wantResolved {
				t.Errorf("resolved %v, err %v; want resolved %v", resolved, err, tc.wantResolved)
			}
			if tc.wantResolved && innerCalls != 1 {
				t.Errorf("the middleware already there ran %d times, want 1", innerCalls)
			}
		})
	}
}
