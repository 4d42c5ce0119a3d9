package fastexec

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// ResolveField resolves one field as graphql.ResolveField (gqlgen
// v0.17.95) does: same signature, same results and null propagation, same
// errors at the same paths, panics recovered the same way. It saves two
// things:
//
//   - A field without a selection set (a scalar or enum, a leaf) hands its
//     resolver to the field middleware as is. gqlgen wraps the resolver in
//     a closure that keeps the context the middleware passed on, and then
//     marshals the value, reports errors and recovers panics with that
//     context; a leaf does all three with the field's own context. That
//     differs only under a middleware that replaces the context, and no
//     middleware of Dayline's does. Fields with a selection set behave as
//     gqlgen's, contexts included.
//   - The FieldContext's Result is the value the resolver returned, not a
//     second boxed copy of it.
func ResolveField[T any](
	ctx context.Context,
	oc *graphql.OperationContext,
	field graphql.CollectedField,
	initializeFieldContext func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error),
	fieldResolver func(ctx context.Context) (any, error),
	middlewareChain func(ctx context.Context, next graphql.Resolver) graphql.Resolver,
	marshal func(ctx context.Context, sel ast.SelectionSet, v T) graphql.Marshaler,
	recoverFromPanic bool,
	nonNull bool,
) (ret graphql.Marshaler) {
	fc, err := initializeFieldContext(ctx, field)
	if err != nil {
		return graphql.Null
	}
	ctx = graphql.WithFieldContext(ctx, fc)
	if len(field.Selections) == 0 {
		return resolveLeaf(ctx, oc, fc, field, fieldResolver, middlewareChain, marshal, recoverFromPanic, nonNull)
	}
	return resolveParent(ctx, oc, fc, field, fieldResolver, middlewareChain, marshal, recoverFromPanic, nonNull)
}

// resolveLeaf resolves a field without children, all with ctx (the
// field's context). Nothing here may capture a variable in a closure that
// escapes: that would cost a heap allocation on every leaf.
func resolveLeaf[T any](ctx context.Context, oc *graphql.OperationContext, fc *graphql.FieldContext, field graphql.CollectedField,
	fieldResolver graphql.Resolver, middlewareChain func(ctx context.Context, next graphql.Resolver) graphql.Resolver,
	marshal func(ctx context.Context, sel ast.SelectionSet, v T) graphql.Marshaler, recoverFromPanic, nonNull bool,
) (ret graphql.Marshaler) {
	if recoverFromPanic {
		defer func() {
			if r := recover(); r != nil {
				oc.Error(ctx, oc.Recover(ctx, r))
				ret = graphql.Null
			}
		}()
	}
	res, err := runMiddleware(ctx, oc, fieldResolver, middlewareChain)
	return result(ctx, oc, fc, field, res, err, marshal, nonNull)
}

// resolveParent resolves a field with children as gqlgen does: the
// context the middleware passes on is the one its children, its errors and
// a recovered panic see.
func resolveParent[T any](ctx context.Context, oc *graphql.OperationContext, fc *graphql.FieldContext, field graphql.CollectedField,
	fieldResolver graphql.Resolver, middlewareChain func(ctx context.Context, next graphql.Resolver) graphql.Resolver,
	marshal func(ctx context.Context, sel ast.SelectionSet, v T) graphql.Marshaler, recoverFromPanic, nonNull bool,
) (ret graphql.Marshaler) {
	childCtx := ctx
	if recoverFromPanic {
		defer func() {
			if r := recover(); r != nil {
				oc.Error(childCtx, oc.Recover(childCtx, r))
				ret = graphql.Null
			}
		}()
	}
	res, err := runMiddleware(ctx, oc, func(rctx context.Context) (any, error) {
		childCtx = rctx
		return fieldResolver(rctx)
	}, middlewareChain)
	return result(childCtx, oc, fc, field, res, err, marshal, nonNull)
}

// runMiddleware runs the field's directive chain, if any, inside the
// operation's field middleware.
func runMiddleware(ctx context.Context, oc *graphql.OperationContext, next graphql.Resolver,
	middlewareChain func(ctx context.Context, next graphql.Resolver) graphql.Resolver,
) (any, error) {
	if middlewareChain != nil {
		next = middlewareChain(ctx, next)
	}
	return oc.ResolverMiddleware(ctx, next)
}

// result turns what the middleware returned into the field's marshaller,
// recording errors as gqlgen's resolveField does: an error or a nil for a
// non-null field makes the field null (RequiredNull when the null must
// bubble up).
func result[T any](ctx context.Context, oc *graphql.OperationContext, fc *graphql.FieldContext,
	field graphql.CollectedField, res any, err error,
	marshal func(ctx context.Context, sel ast.SelectionSet, v T) graphql.Marshaler, nonNull bool,
) graphql.Marshaler {
	if err != nil {
		oc.Error(ctx, graphql.AddFieldLocationToError(ctx, err))
		if fc.NonNull && !nonNull {
			return graphql.RequiredNull
		}
		return graphql.Null
	}
	if res == nil {
		if (nonNull || fc.NonNull) && !graphql.HasFieldError(ctx, fc) {
			graphql.AddErrorf(ctx, "must not be null")
		}
		if fc.NonNull && !nonNull {
			return graphql.RequiredNull
		}
		return graphql.Null
	}
	if v, ok := res.(T); ok {
		fc.Result = res
		return marshal(ctx, field.Selections, v)
	}
	if m, ok := res.(graphql.Marshaler); ok {
		fc.Result = res
		return m
	}
	var t T
	graphql.AddErrorf(ctx, `unexpected type %T from middleware/directive chain, should be %T`, res, t)
	return graphql.Null
}
