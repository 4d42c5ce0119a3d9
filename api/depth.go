package api

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// depthLimit rejects operations whose selections nest deeper than max
// (AppSync's query depth limit). Introspection subtrees are not counted so
// tools like GraphiQL keep working.
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (d depthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if depth := selectionDepth(oc.Operation.SelectionSet, 0); depth > d.max {
		return gqlerror.Errorf("query is nested %d levels deep; the limit is %d", depth, d.max)
	}
	return nil
}

// selectionDepth returns the deepest field nesting in set; visited guards
// against fragment cycles (validation rejects them, this never loops).
func selectionDepth(set ast.SelectionSet, seen int) int {
	if seen > 100 {
		return seen
	}
	deepest := 0
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue
			}
			d = 1 + selectionDepth(s.SelectionSet, seen+1)
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, seen+1)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				d = selectionDepth(s.Definition.SelectionSet, seen+1)
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}
