package resolvers

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dayline/dayline/auth"
)

// FieldAuthorizer is a gqlgen handler extension (see its doc).
var (
	_ graphql.HandlerExtension        = (*FieldAuthorizer)(nil)
	_ graphql.OperationContextMutator = (*FieldAuthorizer)(nil)
)

// ExtensionName names the extension for gqlgen.
func (*FieldAuthorizer) ExtensionName() string { return "AppSyncFieldAuthorization" }

// Validate accepts every schema: rules come from NewFieldAuthorizer.
func (*FieldAuthorizer) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext adds the per-field check to oc's field middleware,
// unless MayDeny proves it unnecessary (an operation it cannot read gets
// the check): a field the check denies goes no further than the check; an
// allowed one goes on through the middleware already there. A caller
// without an identity is checked as one in no group. It never rejects the
// operation.
func (fa *FieldAuthorizer) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	caller, _ := auth.IdentityFrom(ctx) // none: the zero identity, in no group
	if oc.Operation != nil && !fa.MayDeny(oc.Operation, caller) {
		return nil
	}
	inner := oc.ResolverMiddleware
	oc.ResolverMiddleware = func(ctx context.Context, next graphql.Resolver) (any, error) {
		if err := fa.checkField(ctx); err != nil {
			return nil, err
		}
		return inner(ctx, next)
	}
	return nil
}

// MayDeny reports whether running op could reach a field caller may not
// resolve. It answers false only when it can place every field op selects
// (in every fragment, whatever @skip and @include decide) on an object type
// and the caller may resolve each one. A field it cannot place (one on an
// interface or union, or one the validator did not annotate) counts as a
// possible denial. op must be validated (fragment spreads resolved).
func (fa *FieldAuthorizer) MayDeny(op *ast.OperationDefinition, caller auth.Identity) bool {
	w := denialWalk{fa: fa, caller: caller}
	return w.selections(op.SelectionSet)
}

// denialWalk walks one operation's selections; seen guards against
// fragment cycles (the validator rejects them; this does not rely on it).
type denialWalk struct {
	fa     *FieldAuthorizer
	caller auth.Identity
	seen   []*ast.FragmentDefinition
}

func (w *denialWalk) selections(set ast.SelectionSet) bool {
	for _, sel := range set {
		if w.selection(sel) {
			return true
		}
	}
	return false
}

func (w *denialWalk) selection(sel ast.Selection) bool {
	switch s := sel.(type) {
	case *ast.Field:
		if s.Name == "__typename" {
			return false // answered by the executor itself, no field check runs
		}
		parent := s.ObjectDefinition
		if parent == nil || parent.Kind != ast.Object {
			return true
		}
		if !w.fa.rules[parent.Name][s.Name].allows(func() auth.Identity { return w.caller }) {
			return true
		}
		return w.selections(s.SelectionSet)
	case *ast.InlineFragment:
		return w.selections(s.SelectionSet)
	case *ast.FragmentSpread:
		def := s.Definition
		if def == nil {
			return true
		}
		for _, d := range w.seen {
			if d == def {
				return false // already walked: its fields were allowed
			}
		}
		w.seen = append(w.seen, def)
		return w.selections(def.SelectionSet)
	}
	return true
}
