package main

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// executorSource is gqlgen's output in miniature: Item has only plain
// fields, Box holds Items, User has a concurrent (resolver) field and Team
// holds Users.
const executorSource = `package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

type executionContext struct{}

func (ec *executionContext) _Item(ctx context.Context, out *graphql.FieldSet) graphql.Marshaler {
	return ec.marshalNString2string(ctx)
}

func (ec *executionContext) _Box(ctx context.Context, out *graphql.FieldSet) graphql.Marshaler {
	return ec.marshalNItem2ᚕItemᚄ(ctx, nil)
}

func (ec *executionContext) _User(ctx context.Context, out *graphql.FieldSet) graphql.Marshaler {
	out.Concurrently(0, func(ctx context.Context) graphql.Marshaler { return nil })
	return out
}

func (ec *executionContext) marshalNString2string(ctx context.Context) graphql.Marshaler { return nil }

func (ec *executionContext) marshalNItem2ᚕItemᚄ(ctx context.Context, v []int) graphql.Marshaler {
	return graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return ec._Item(ctx, nil)
	})
}

func (ec *executionContext) marshalOBox2ᚕBoxᚄ(ctx context.Context, v []int) graphql.Marshaler {
	return graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return ec._Box(ctx, nil)
	})
}

func (ec *executionContext) marshalNUser2ᚕUserᚄ(ctx context.Context, v []int) graphql.Marshaler {
	return graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return ec._User(ctx, nil)
	})
}

func (ec *executionContext) marshalNTeam2ᚕTeamᚄ(ctx context.Context, v []int) graphql.Marshaler {
	return graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return ec.marshalNUser2ᚕUserᚄ(ctx, nil)
	})
}
`

func TestRewrite(t *testing.T) {
	out, res, err := Rewrite([]byte(executorSource), "example.com/listmarshal")
	if err != nil {
		t.Fatal(err)
	}
	wantInOrder := []string{"marshalNItem2ᚕItemᚄ", "marshalOBox2ᚕBoxᚄ"}
	wantConcurrent := []string{"marshalNTeam2ᚕTeamᚄ", "marshalNUser2ᚕUserᚄ"}
	if !slices.Equal(res.InOrder, wantInOrder) || !slices.Equal(res.Concurrent, wantConcurrent) {
		t.Errorf("in order %v, concurrent %v; want %v and %v", res.InOrder, res.Concurrent, wantInOrder, wantConcurrent)
	}
	src := string(out)
	if n := strings.Count(src, "listmarshal.InOrder("); n != 2 {
		t.Errorf("%d calls of listmarshal.InOrder, want 2:\n%s", n, src)
	}
	if n := strings.Count(src, "graphql.MarshalSliceConcurrently("); n != 2 {
		t.Errorf("%d calls of graphql.MarshalSliceConcurrently left, want 2:\n%s", n, src)
	}
	if !strings.Contains(src, `"example.com/listmarshal"`) {
		t.Errorf("import not added:\n%s", src)
	}

	again, res2, err := Rewrite(out, "example.com/listmarshal")
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != src || len(res2.InOrder) != 0 {
		t.Errorf("a second run changed the source (in order again: %v)", res2.InOrder)
	}
}

// TestRewriteKeepsWhatMayWaitConcurrent: a list stays concurrent when its
// elements reach a resolver, a runtime directive, or a call the analysis
// cannot follow.
func TestRewriteKeepsWhatMayWaitConcurrent(t *testing.T) {
	for name, element := range map[string]string{
		"resolver":                 `_, _ = ec.Resolvers.Item().Name(ctx)`,
		"runtime directive":        `_ = ec.Directives`,
		"middleware chain":         `return graphql.ResolveField(ctx, nil, nil, nil, nil, func() {}, nil, false, false)`,
		"patched middleware chain": `return fastexec.ResolveField(ctx, nil, nil, nil, nil, func() {}, nil, false, false)`,
		"unknown call":             `ec.somethingElsewhere(ctx)`,
	} {
		t.Run(name, func(t *testing.T) {
			src := `package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

type executionContext struct{}

func (ec *executionContext) _Item(ctx context.Context) graphql.Marshaler {
	` + element + `
	return nil
}

func (ec *executionContext) marshalNItem2ᚕItemᚄ(ctx context.Context, v []int) graphql.Marshaler {
	return graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return ec._Item(ctx)
	})
}
`
			out, res, err := Rewrite([]byte(src), "example.com/listmarshal")
			if err != nil {
				t.Fatal(err)
			}
			if len(res.InOrder) != 0 || strings.Contains(string(out), "InOrder") {
				t.Errorf("rewritten although its elements may wait: %v", res.InOrder)
			}
		})
	}
}

// TestRewriteRefusesInOrderListThatMayWait: a list already marshalled in
// order whose elements may wait (a hand edit, or a resolver added without
// regenerating from gqlgen's output) is an error, not silently kept.
func TestRewriteRefusesInOrderListThatMayWait(t *testing.T) {
	src := `package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"example.com/listmarshal"
)

type executionContext struct{}

func (ec *executionContext) _User(ctx context.Context, out *graphql.FieldSet) graphql.Marshaler {
	out.Concurrently(0, func(ctx context.Context) graphql.Marshaler { return nil })
	return out
}

func (ec *executionContext) marshalNUser2ᚕUserᚄ(ctx context.Context, v []int) graphql.Marshaler {
	return listmarshal.InOrder(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return ec._User(ctx, nil)
	})
}
`
	if _, _, err := Rewrite([]byte(src), "example.com/listmarshal"); err == nil {
		t.Error("no error for an in-order list of users")
	}
}

func TestRewriteRefusesOtherSource(t *testing.T) {
	for name, src := range map[string]string{
		"not Go":        "this is not Go",
		"no executor":   "package graph\n\nfunc marshalNItem2ᚕItem() {}\n",
		"empty package": "package graph\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := Rewrite([]byte(src), "example.com/listmarshal"); err == nil {
				t.Error("no error")
			}
		})
	}
}

// TestCommittedExecutorIsRewritten: graph/generated.go as committed is this
// tool's output (running it again changes nothing), the agenda and task
// lists are marshalled in order, and the lists of users and schedules,
// whose fields read through loaders, stay concurrent.
func TestCommittedExecutorIsRewritten(t *testing.T) {
	src, err := os.ReadFile("../../../graph/generated.go")
	if err != nil {
		t.Fatal(err)
	}
	out, res, err := Rewrite(src, runtimePackage)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != string(src) || len(res.InOrder) != 0 {
		t.Errorf("graph/generated.go is not rewritten; run go generate ./... (would rewrite %v)", res.InOrder)
	}
	for _, fn := range []string{"marshalOAgendaItem2ᚕ", "marshalNTask2ᚕ"} {
		_, body, found := strings.Cut(string(src), "func (ec *executionContext) "+fn)
		body, _, _ = strings.Cut(body, "\n}\n")
		if !found || !strings.Contains(body, "listmarshal.InOrder(") {
			t.Errorf("%s… does not marshal with listmarshal.InOrder", fn)
		}
	}
	concurrent := typeNames(res.Concurrent)
	for _, list := range []string{"User", "Schedule"} {
		if !strings.Contains(concurrent, list) {
			t.Errorf("the list of %s is not concurrent (concurrent: %s)", list, concurrent)
		}
	}
	for _, list := range []string{"AgendaItem", "Task"} {
		if strings.Contains(concurrent, list) {
			t.Errorf("the list of %s is concurrent", list)
		}
	}
}
