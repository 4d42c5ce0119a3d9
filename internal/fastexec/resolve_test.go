package fastexec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// resolveFunc is the signature graphql.ResolveField and ResolveField share
// (for string results).
type resolveFunc func(
	ctx context.Context,
	oc *graphql.OperationContext,
	field graphql.CollectedField,
	initializeFieldContext func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error),
	fieldResolver func(ctx context.Context) (any, error),
	middlewareChain func(ctx context.Context, next graphql.Resolver) graphql.Resolver,
	marshal func(ctx context.Context, sel ast.SelectionSet, v string) graphql.Marshaler,
	recoverFromPanic bool,
	nonNull bool,
) graphql.Marshaler

type ctxKey struct{}

// outcome is what resolving one field produced: the JSON written, whether
// it was Null or RequiredNull, the errors recorded and the FieldContext's
// Result.
type outcome struct {
	json, null, errs, result string
}

// resolveOnce resolves one field named "f" under a parent field "parent"
// with resolve and reports the outcome.
func resolveOnce(resolve resolveFunc, leaf, fcNonNull, nonNull bool, resolver graphql.Resolver, middleware graphql.FieldMiddleware) outcome {
	return resolveWith(resolve, leaf, fcNonNull, nonNull, resolver, middleware, nil)
}

// resolveWith is resolveOnce with a directive chain.
func resolveWith(resolve resolveFunc, leaf, fcNonNull, nonNull bool, resolver graphql.Resolver, middleware graphql.FieldMiddleware,
	chain func(ctx context.Context, next graphql.Resolver) graphql.Resolver,
) outcome {
	oc := &graphql.OperationContext{
		RecoverFunc:        func(_ context.Context, r any) error { return fmt.Errorf("panic: %v", r) },
		ResolverMiddleware: middleware,
	}
	ctx := graphql.WithOperationContext(context.Background(), oc)
	ctx = graphql.WithResponseContext(ctx, graphql.DefaultErrorPresenter, oc.RecoverFunc)
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{Field: &ast.Field{Alias: "parent"}}})
	field := graphql.CollectedField{Field: &ast.Field{Alias: "f", Name: "f"}}
	if !leaf {
		field.Selections = ast.SelectionSet{&ast.Field{Alias: "child", Name: "child"}}
	}
	var fc *graphql.FieldContext
	init := func(_ context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) {
		fc = &graphql.FieldContext{Object: "T", Field: field, NonNull: fcNonNull}
		return fc, nil
	}
	marshal := func(ctx context.Context, _ ast.SelectionSet, v string) graphql.Marshaler {
		seen, _ := ctx.Value(ctxKey{}).(string)
		return graphql.MarshalString(v + "|ctx=" + seen + "|path=" + graphql.GetPath(ctx).String())
	}
	m := resolve(ctx, oc, field, init, resolver, chain, marshal, true, nonNull)
	var o outcome
	switch m {
	case graphql.Null:
		o.null = "Null"
	case graphql.RequiredNull:
		o.null = "RequiredNull"
	default:
		var b bytes.Buffer
		m.MarshalGQL(&b)
		o.json = b.String()
	}
	for _, e := range graphql.GetErrors(ctx) {
		o.errs += e.Message + " at " + e.Path.String() + ";"
	}
	if fc != nil {
		o.result = fmt.Sprintf("%T %v", fc.Result, fc.Result)
	}
	return o
}

// TestResolveFieldMatchesGqlgen: every path through ResolveField (value,
// error, nil, panic, wrong type; non-null or not; leaf or not; with a
// middleware that passes a context on) produces what graphql.ResolveField
// produces, except that a leaf's marshaller sees the field's own context.
func TestResolveFieldMatchesGqlgen(t *testing.T) {
	resolvers := map[string]graphql.Resolver{
		"value":      func(context.Context) (any, error) { return "v", nil },
		"error":      func(context.Context) (any, error) { return nil, errors.New("boom") },
		"nil":        func(context.Context) (any, error) { return nil, nil },
		"panic":      func(context.Context) (any, error) { panic("oops") },
		"wrong type": func(context.Context) (any, error) { return 42, nil },
		"marshaler":  func(context.Context) (any, error) { return graphql.MarshalString("m"), nil },
	}
	middlewares := map[string]graphql.FieldMiddleware{
		"plain": func(ctx context.Context, next graphql.Resolver) (any, error) { return next(ctx) },
		"with context": func(ctx context.Context, next graphql.Resolver) (any, error) {
			return next(context.WithValue(ctx, ctxKey{}, "middleware"))
		},
	}
	for rname, resolver := range resolvers {
		for mname, mw := range middlewares {
			for _, leaf := range []bool{true, false} {
				for _, nn := range [][2]bool{{false, false}, {true, false}, {true, true}, {false, true}} {
					name := fmt.Sprintf("%s/%s/leaf=%v/fcNonNull=%v/nonNull=%v", rname, mname, leaf, nn[0], nn[1])
					t.Run(name, func(t *testing.T) {
						want := resolveOnce(graphql.ResolveField[string], leaf, nn[0], nn[1], resolver, mw)
						got := resolveOnce(ResolveField[string], leaf, nn[0], nn[1], resolver, mw)
						if leaf && mname == "with context" {
							// the documented difference: a leaf marshals with its own context
							want.json = string(bytes.Replace([]byte(want.json), []byte("ctx=middleware"), []byte("ctx="), 1))
						}
						if got != want {
							t.Errorf("got  %+v\nwant %+v", got, want)
						}
					})
				}
			}
		}
	}
}

// TestResolveFieldOutcomes pins a few outcomes, so that the side-by-side
// test above cannot pass by both sides doing nothing.
func TestResolveFieldOutcomes(t *testing.T) {
	plain := func(ctx context.Context, next graphql.Resolver) (any, error) { return next(ctx) }
	withCtx := func(ctx context.Context, next graphql.Resolver) (any, error) {
		return next(context.WithValue(ctx, ctxKey{}, "middleware"))
	}
	value := func(context.Context) (any, error) { return "v", nil }
	tests := []struct {
		name     string
		leaf     bool
		nonNull  bool
		resolver graphql.Resolver
		mw       graphql.FieldMiddleware
		want     outcome
	}{
		{"leaf value", true, true, value, plain, outcome{json: `"v|ctx=|path=parent.f"`, result: "string v"}},
		{"children see the middleware's context", false, true, value, withCtx, outcome{json: `"v|ctx=middleware|path=parent.f"`, result: "string v"}},
		{"error", true, true, func(context.Context) (any, error) { return nil, errors.New("boom") }, plain,
			outcome{null: "Null", errs: "boom at parent.f;", result: "<nil> <nil>"}},
		{"nil for non-null", true, true, func(context.Context) (any, error) { return nil, nil }, plain,
			outcome{null: "Null", errs: "must not be null at parent.f;", result: "<nil> <nil>"}},
		{"panic", true, false, func(context.Context) (any, error) { panic("oops") }, plain,
			outcome{null: "Null", errs: "panic: oops at parent.f;", result: "<nil> <nil>"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := resolveOnce(ResolveField[string], tc.leaf, false, tc.nonNull, tc.resolver, tc.mw); got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestResolveFieldMatchesGqlgenWithDirectiveChain: a directive chain (one
// that changes the value, one that fails) runs inside the field middleware
// as in gqlgen, for leaves and fields with children.
func TestResolveFieldMatchesGqlgenWithDirectiveChain(t *testing.T) {
	value := func(context.Context) (any, error) { return "v", nil }
	plain := func(ctx context.Context, next graphql.Resolver) (any, error) { return next(ctx) }
	chains := map[string]func(ctx context.Context, next graphql.Resolver) graphql.Resolver{
		"changes the value": func(_ context.Context, next graphql.Resolver) graphql.Resolver {
			return func(ctx context.Context) (any, error) {
				v, err := next(ctx)
				return fmt.Sprint(v) + "+directive", err
			}
		},
		"fails": func(_ context.Context, next graphql.Resolver) graphql.Resolver {
			return func(context.Context) (any, error) { return nil, errors.New("denied by directive") }
		},
	}
	for name, chain := range chains {
		for _, leaf := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/leaf=%v", name, leaf), func(t *testing.T) {
				want := resolveWith(graphql.ResolveField[string], leaf, false, true, value, plain, chain)
				got := resolveWith(ResolveField[string], leaf, false, true, value, plain, chain)
				if got != want {
					t.Errorf("got  %+v\nwant %+v", got, want)
				}
				if got.json == "" && got.errs == "" {
					t.Errorf("the chain left no trace: %+v", got)
				}
			})
		}
	}
}

// TestResolveFieldWhenFieldContextFails: no field context, no value and no
// error, as in gqlgen.
func TestResolveFieldWhenFieldContextFails(t *testing.T) {
	oc := &graphql.OperationContext{ResolverMiddleware: func(ctx context.Context, next graphql.Resolver) (any, error) { return next(ctx) }}
	ctx := graphql.WithResponseContext(graphql.WithOperationContext(context.Background(), oc), graphql.DefaultErrorPresenter, nil)
	init := func(context.Context, graphql.CollectedField) (*graphql.FieldContext, error) {
		return nil, errors.New("no context")
	}
	called := false
	resolver := func(context.Context) (any, error) { called = true; return "v", nil }
	marshal := func(_ context.Context, _ ast.SelectionSet, v string) graphql.Marshaler {
		return graphql.MarshalString(v)
	}
	field := graphql.CollectedField{Field: &ast.Field{Alias: "f", Name: "f"}}
	if m := ResolveField(ctx, oc, field, init, resolver, nil, marshal, true, true); m != graphql.Null || called {
		t.Errorf("got %v (resolver called: %v), want Null without resolving", m, called)
	}
	if errs := graphql.GetErrors(ctx); len(errs) != 0 {
		t.Errorf("errors %v", errs)
	}
}
