package main

import (
	"os"
	"strings"
	"testing"
)

// sample holds one of each form Patch rewrites, as gqlgen writes them.
const sample = `package graph

import (
	"context"
	"errors"
	"math"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

func (ec *executionContext) _Task_title(ctx context.Context, field graphql.CollectedField, obj *Task) (ret graphql.Marshaler) {
	return graphql.ResolveField(
		ctx,
		ec.OperationContext,
		field,
		func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) {
			return ec.fieldContext_Task_title(ctx, field)
		},
		func(ctx context.Context) (any, error) {
			return obj.Title, nil
		},
		nil,
		func(ctx context.Context, selections ast.SelectionSet, v string) graphql.Marshaler {
			return ec.marshalNString2string(ctx, selections, v)
		},
		true,
		true,
	)
}
func (ec *executionContext) fieldContext_Task_title(_ context.Context, field graphql.CollectedField) (fc *graphql.FieldContext, err error) {
	return graphql.NewScalarFieldContext("Task", field, false, false, errors.New("field of type String does not have child fields"))
}

func (ec *executionContext) fieldContext_Task_id(_ context.Context, field graphql.CollectedField) (fc *graphql.FieldContext, err error) {
	return graphql.NewScalarFieldContext("Task", field, false, false, errors.New("field of type ID does not have child fields"))
}

func (ec *executionContext) fieldContext_User_name(_ context.Context, field graphql.CollectedField) (fc *graphql.FieldContext, err error) {
	return graphql.NewScalarFieldContext("User", field, false, true, errors.New("field of type String does not have child fields"))
}

func (ec *executionContext) _Task(ctx context.Context, sel ast.SelectionSet, obj *Task) graphql.Marshaler {
	fields := graphql.CollectFields(ec.OperationContext, sel, taskImplementors)

	out := graphql.NewFieldSet(fields)
	deferredFieldSet := graphql.NewFieldSet(nil)
	deferLabelToView := make(map[string]*graphql.FieldSetView)
	for i, field := range fields {
		out.Values[i] = ec._Task_title(ctx, field, obj)
	}
	out.Dispatch(ctx)
	if out.Invalids > 0 {
		return graphql.Null
	}

	atomic.AddInt32(&ec.Deferred, int32(min(len(deferLabelToView), math.MaxInt32)))

	ec.ProcessDeferredGroup(graphql.DeferredGroup{
		Defers:   deferLabelToView,
		Path:     graphql.GetPath(ctx),
		FieldSet: deferredFieldSet,
		Context:  ctx,
	})

	return out
}
`

// TestPatchRewritesEachForm: each form is rewritten, one Child function is
// made per message, the errors import goes once unused, and patching the
// result again changes nothing.
func TestPatchRewritesEachForm(t *testing.T) {
	out, n, err := Patch([]byte(sample), runtimePackage)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Counts{ResolveField: 1, ScalarFieldContext: 3, DeferredGroup: 1, Object: 1, WithoutDefer: 1}); n != want {
		t.Errorf("counts %+v, want %+v", n, want)
	}
	s := string(out)
	for _, want := range []string{
		"return fastexec.ResolveField(\n",
		`fastexec.ScalarFieldContext("Task", field, false, false, noChildren0)`,
		`fastexec.ScalarFieldContext("Task", field, false, false, noChildren1)`,
		`fastexec.ScalarFieldContext("User", field, false, true, noChildren0)`,
		`noChildren0 = fastexec.NoChildren("field of type String does not have child fields")`,
		`noChildren1 = fastexec.NoChildren("field of type ID does not have child fields")`,
		"\tif len(deferLabelToView) > 0 {\n\t\tatomic.AddInt32(",
		"\treturn fastexec.Object(fields, out.Values)\n}",
		"\tvar deferredFieldSet *graphql.FieldSet",
		"\tvar deferLabelToView map[string]*graphql.FieldSetView\n",
		`"github.com/dayline/dayline/internal/fastexec"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("patched source lacks %q:\n%s", want, s)
		}
	}
	for _, gone := range []string{"graphql.ResolveField(", "graphql.NewScalarFieldContext(", "\"errors\"", "return out\n", "graphql.NewFieldSet(nil)"} {
		if strings.Contains(s, gone) {
			t.Errorf("patched source still holds %q", gone)
		}
	}
	again, n, err := Patch(out, runtimePackage)
	if err != nil || string(again) != s || n != (Counts{}) {
		t.Errorf("patching again: err %v, counts %+v, changed %v", err, n, string(again) != s)
	}
}

// TestPatchRefusesUnknownForms: a call of a kind Patch rewrites, written in
// a form it does not recognise, is an error rather than left as it is.
func TestPatchRefusesUnknownForms(t *testing.T) {
	tests := map[string][2]string{
		"resolve on one line": {"return graphql.ResolveField(\n", "return graphql.ResolveField(ctx,\n"},
		"scalar context with a variable error": {
			`errors.New("field of type ID does not have child fields")`, `errID`},
		"deferred group reordered":        {"\t\tPath:     graphql.GetPath(ctx),\n", ""},
		"object returned otherwise":       {"\treturn out\n}\n", "\treturn out // done\n}\n"},
		"object returned before dispatch": {"\tout.Dispatch(ctx)\n", "\tif len(fields) == 0 {\n\t\treturn out\n\t}\n\tout.Dispatch(ctx)\n"},
		"object not dispatched":           {"\tout.Dispatch(ctx)\n", ""},
		"resolve with type arguments":     {"return graphql.ResolveField(\n", "return graphql.ResolveField[string](\n"},
	}
	for name, edit := range tests {
		t.Run(name, func(t *testing.T) {
			src := strings.Replace(sample, edit[0], edit[1], 1)
			if src == sample {
				t.Fatalf("edit %q does not apply", edit[0])
			}
			if _, _, err := Patch([]byte(src), runtimePackage); err == nil {
				t.Error("no error")
			}
		})
	}
}

// TestCommittedExecutorIsPatched: graph/generated.go as committed is this
// tool's output: nothing left to patch, and the patched calls are there.
func TestCommittedExecutorIsPatched(t *testing.T) {
	src, err := os.ReadFile("../../../graph/generated.go")
	if err != nil {
		t.Fatal(err)
	}
	out, n, err := Patch(src, runtimePackage)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != string(src) || n != (Counts{}) {
		t.Errorf("graph/generated.go is not patched; run go generate ./... (would patch %+v)", n)
	}
	for _, want := range []string{"fastexec.ResolveField(", "fastexec.ScalarFieldContext(", "fastexec.Object(fields, out.Values)"} {
		if !strings.Contains(string(src), want) {
			t.Errorf("graph/generated.go never calls %s", want)
		}
	}
}

// TestPatchKeepsDeferredFieldsOfDeferrableObjects: an object marshaller
// that may defer a field (gqlgen's form) keeps making its deferred field
// set and map.
func TestPatchKeepsDeferredFieldsOfDeferrableObjects(t *testing.T) {
	const deferrable = `		if field.IsDeferred() {
			deferredFieldSet.AddField(field)
			fieldIndex := len(deferredFieldSet.Values) - 1
			for _, deferrable := range field.Deferrables {
				view, ok := deferLabelToView[deferrable.Label]
				if !ok {
					view = deferredFieldSet.NewView()
					deferLabelToView[deferrable.Label] = view
				}
				view.AddIndices(fieldIndex)
			}
			out.Values[i] = graphql.Null
			continue
		}
`
	src := strings.Replace(sample, "\t\tout.Values[i] = ec._Task_title(ctx, field, obj)\n",
		deferrable+"\t\tout.Values[i] = ec._Task_title(ctx, field, obj)\n", 1)
	out, n, err := Patch([]byte(src), runtimePackage)
	if err != nil {
		t.Fatal(err)
	}
	if n.WithoutDefer != 0 || !strings.Contains(string(out), "deferredFieldSet := graphql.NewFieldSet(nil)") ||
		!strings.Contains(string(out), "deferLabelToView := make(map[string]*graphql.FieldSetView)") {
		t.Errorf("the deferred field set of a deferrable object was changed (counts %+v)", n)
	}
}
