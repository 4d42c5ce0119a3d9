package fastexec

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/graphql"
)

// NoChildren returns the Child function of a scalar field's context: it
// always fails with msg. Generated code makes one per message, once.
func NoChildren(msg string) func(context.Context, graphql.CollectedField) (*graphql.FieldContext, error) {
	err := errors.New(msg)
	return func(context.Context, graphql.CollectedField) (*graphql.FieldContext, error) { return nil, err }
}

// ScalarFieldContext is graphql.NewScalarFieldContext with the Child
// function made once (by NoChildren) instead of per call.
func ScalarFieldContext(objectName string, field graphql.CollectedField, isMethod, isResolver bool,
	child func(context.Context, graphql.CollectedField) (*graphql.FieldContext, error),
) (*graphql.FieldContext, error) {
	return &graphql.FieldContext{
		Object: objectName, Field: field, IsMethod: isMethod, IsResolver: isResolver, Child: child,
	}, nil
}
