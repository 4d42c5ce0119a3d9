package api

import (
	"context"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// Limits on the shape of a query document, checked before gqlgen validates
// it: validation and complexity both walk the document with fragments
// expanded, and some of gqlparser's rules are quadratic in the fields of one
// selection set, so a small hostile document could otherwise cost seconds
// of CPU before any limit applied.
const (
	// MaxQueryTokens bounds the lexer tokens of a document.
	MaxQueryTokens = 5000
	// MaxSelectionFields bounds the fields of one selection set.
	MaxSelectionFields = 200
	// MaxExpandedFields bounds the fields of an operation with every
	// fragment spread expanded.
	MaxExpandedFields = 5000
)

// shapeLimit rejects documents that are too large, too deep or expand to
// too many fields, in time linear in the document (fragment sizes and
// depths are computed once each). Introspection fields (__schema, __type)
// do not count towards the depth so tools like GraphiQL keep working.
// Documents that passed are remembered, so repeated queries (a watch
// polling its agenda) are checked once.
type shapeLimit struct {
	maxDepth int
	mu       sync.RWMutex
	passed   map[string]struct{}
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = (*shapeLimit)(nil)

// passedLimit bounds the remembered documents.
const passedLimit = 1000

func newShapeLimit(maxDepth int) *shapeLimit {
	return &shapeLimit{maxDepth: maxDepth, passed: map[string]struct{}{}}
}

func (*shapeLimit) ExtensionName() string                   { return "ShapeLimit" }
func (*shapeLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters checks the document; a parse error is left to
// gqlgen, which reports it in full.
func (s *shapeLimit) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	s.mu.RLock()
	_, ok := s.passed[p.Query]
	s.mu.RUnlock()
	if ok {
		return nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, MaxQueryTokens)
	if err != nil {
		if strings.Contains(err.Error(), "exceeds token limit") {
			return gqlerror.Errorf("query is too large: at most %d tokens", MaxQueryTokens)
		}
		return nil
	}
	if gqlErr := s.check(doc); gqlErr != nil {
		return gqlErr
	}
	s.mu.Lock()
	if len(s.passed) >= passedLimit {
		s.passed = map[string]struct{}{}
	}
	s.passed[p.Query] = struct{}{}
	s.mu.Unlock()
	return nil
}

// measure is the size of a selection set with fragments expanded.
type measure struct{ depth, fields int }

type shapeWalker struct {
	fragments map[string]*ast.FragmentDefinition
	memo      map[string]measure
	visiting  map[string]bool
	err       *gqlerror.Error
}

func (s *shapeLimit) check(doc *ast.QueryDocument) *gqlerror.Error {
	w := &shapeWalker{fragments: map[string]*ast.FragmentDefinition{}, memo: map[string]measure{}, visiting: map[string]bool{}}
	for _, f := range doc.Fragments {
		w.fragments[f.Name] = f
	}
	for _, op := range doc.Operations {
		m := w.selection(op.SelectionSet)
		if w.err != nil {
			return w.err
		}
		if m.depth > s.maxDepth {
			return gqlerror.Errorf("query is nested %d levels deep; the limit is %d", m.depth, s.maxDepth)
		}
		if m.fields > MaxExpandedFields {
			return gqlerror.Errorf("query expands to more than %d fields", MaxExpandedFields)
		}
	}
	return nil
}

func (w *shapeWalker) selection(set ast.SelectionSet) measure {
	var out measure
	direct := 0
	for _, sel := range set {
		if w.err != nil || out.fields > MaxExpandedFields {
			return out
		}
		var m measure
		switch s := sel.(type) {
		case *ast.Field:
			direct++
			if strings.HasPrefix(s.Name, "__") {
				m = measure{fields: 1}
				break
			}
			child := w.selection(s.SelectionSet)
			m = measure{depth: 1 + child.depth, fields: 1 + child.fields}
		case *ast.InlineFragment:
			m = w.selection(s.SelectionSet)
		case *ast.FragmentSpread:
			m = w.fragment(s.Name)
		}
		out.depth = max(out.depth, m.depth)
		out.fields += m.fields
	}
	if direct > MaxSelectionFields {
		w.err = gqlerror.Errorf("a selection set holds more than %d fields", MaxSelectionFields)
	}
	return out
}

// fragment measures a named fragment once; cycles and unknown names are
// left to validation (they measure as empty here).
func (w *shapeWalker) fragment(name string) measure {
	if m, ok := w.memo[name]; ok {
		return m
	}
	def, ok := w.fragments[name]
	if !ok || w.visiting[name] {
		return measure{}
	}
	w.visiting[name] = true
	m := w.selection(def.SelectionSet)
	w.visiting[name] = false
	w.memo[name] = m
	return m
}
