package listmarshal_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/dayline/dayline/internal/listmarshal"
)

// listContext is a context as gqlgen's executor has it when it marshals
// the list field "agenda".
func listContext() context.Context {
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
	return graphql.WithFieldContext(ctx, &graphql.FieldContext{
		Object: "Query",
		Field:  graphql.CollectedField{Field: &ast.Field{Name: "agenda", Alias: "agenda"}},
	})
}

func TestInOrder(t *testing.T) {
	t.Run("elements in order, each with its own index", func(t *testing.T) {
		ctx := listContext()
		got := listmarshal.InOrder(ctx, 3, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
			return graphql.MarshalString(graphql.GetFieldContext(ctx).Path().String() + "#" + strconv.Itoa(i))
		})
		var b strings.Builder
		got.MarshalGQL(&b)
		if want := `["agenda[0]#0","agenda[1]#1","agenda[2]#2"]`; b.String() != want {
			t.Errorf("got %s, want %s", b.String(), want)
		}
	})

	t.Run("no elements", func(t *testing.T) {
		got := listmarshal.InOrder(listContext(), 0, 0, false, func(context.Context, int) graphql.Marshaler {
			t.Fatal("called for an empty list")
			return nil
		})
		if got == nil || len(got) != 0 {
			t.Errorf("got %#v, want an empty array", got)
		}
	})

	t.Run("a panic is the element's error and the result nil", func(t *testing.T) {
		ctx := listContext()
		calls := 0
		got := listmarshal.InOrder(ctx, 4, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
			calls++
			if i == 1 || i == 2 {
				panic("boom")
			}
			return graphql.MarshalInt(i)
		})
		if got != nil {
			t.Errorf("got %v, want nil", got)
		}
		if calls != 4 {
			t.Errorf("marshalled %d elements, want all 4 (as gqlgen does)", calls)
		}
		errs := graphql.GetErrors(ctx)
		if len(errs) != 2 || errs[0].Path.String() != "agenda[1]" || errs[1].Path.String() != "agenda[2]" {
			t.Fatalf("errors %v, want one at agenda[1] and one at agenda[2]", errs)
		}
	})

	t.Run("omitPanicHandler lets the panic through", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not reach the caller")
			}
		}()
		listmarshal.InOrder(listContext(), 2, 0, true, func(context.Context, int) graphql.Marshaler { panic("boom") })
	})
}
