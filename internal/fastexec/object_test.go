package fastexec

import (
	"bytes"
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

func collected(aliases ...string) []graphql.CollectedField {
	fields := make([]graphql.CollectedField, len(aliases))
	for i, a := range aliases {
		fields[i] = graphql.CollectedField{Field: &ast.Field{Alias: a, Name: a}}
	}
	return fields
}

// TestObjectMatchesFieldSet: Object writes what *graphql.FieldSet writes
// for the same fields and values, repeated aliases and a key that needs
// escaping included.
func TestObjectMatchesFieldSet(t *testing.T) {
	tests := map[string][]string{
		"none":            {},
		"one":             {"id"},
		"several":         {"id", "title", "__typename", "startsAt2"},
		"repeated alias":  {"a", "b", "a"},
		"key to escape":   {"we\"ird", "ok"},
		"non-ASCII alias": {"é"},
	}
	for name, aliases := range tests {
		t.Run(name, func(t *testing.T) {
			fields := collected(aliases...)
			fs := graphql.NewFieldSet(fields)
			values := make([]graphql.Marshaler, len(fields))
			for i := range fields {
				values[i] = graphql.MarshalInt(i)
				fs.Values[i] = values[i]
			}
			var want, got bytes.Buffer
			fs.MarshalGQL(&want)
			Object(fields, values).MarshalGQL(&got)
			if got.String() != want.String() {
				t.Errorf("Object wrote %s, FieldSet %s", got.String(), want.String())
			}
		})
	}
}

// TestObjectWritesMissingValueAsNull: a value never set is null (FieldSet
// would panic; generated code sets every value before returning).
func TestObjectWritesMissingValueAsNull(t *testing.T) {
	var b bytes.Buffer
	Object(collected("a", "b"), []graphql.Marshaler{graphql.MarshalBoolean(true), nil}).MarshalGQL(&b)
	if b.String() != `{"a":true,"b":null}` {
		t.Errorf("wrote %s", b.String())
	}
}

// TestScalarFieldContextMatchesGqlgen: the same context, and a Child that
// fails with the message given.
func TestScalarFieldContextMatchesGqlgen(t *testing.T) {
	field := collected("title")[0]
	const msg = "field of type String does not have child fields"
	want, _ := graphql.NewScalarFieldContext("Task", field, true, false, errStr(msg))
	got, err := ScalarFieldContext("Task", field, true, false, NoChildren(msg))
	if err != nil {
		t.Fatal(err)
	}
	if got.Object != want.Object || got.Field.Alias != want.Field.Alias || got.IsMethod != want.IsMethod || got.IsResolver != want.IsResolver {
		t.Errorf("got %+v, want %+v", got, want)
	}
	child, err := got.Child(context.Background(), field)
	if child != nil || err == nil || err.Error() != msg {
		t.Errorf("Child = %v, %v; want nil, %q", child, err, msg)
	}
}

type errStr string

func (e errStr) Error() string { return string(e) }
