package api

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"
)

// shapeLimit checks a document's shape (Limits: tokens, depth, fields per
// selection set, fields and aliases with fragments expanded, mutation root
// fields, introspection aliases) before gqlgen parses and validates it.
// gqlparser's validation walks the document with fragments expanded and
// some of its rules are quadratic in the fields of one selection set, so
// it must only ever see a document already known to be small.
//
// The check is linear in the document: tokens are counted by the lexer
// before anything is parsed, the parse itself is capped, and each fragment
// is measured once. Documents that passed are remembered, so repeated
// queries (a watch polling its agenda) are checked once.
type shapeLimit struct {
	limits Limits
	mu     sync.RWMutex
	passed map[string]struct{}
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = (*shapeLimit)(nil)

// passedLimit bounds the remembered documents.
const passedLimit = 1000

func newShapeLimit(l Limits) *shapeLimit {
	return &shapeLimit{limits: l, passed: map[string]struct{}{}}
}

func (*shapeLimit) ExtensionName() string                   { return "ShapeLimit" }
func (*shapeLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters refuses a document over a shape limit, one
// that does not parse (with the parser's error), or any document once ctx
// has ended.
func (s *shapeLimit) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if err := ctx.Err(); err != nil {
		return cancelled()
	}
	s.mu.RLock()
	_, ok := s.passed[p.Query]
	s.mu.RUnlock()
	if ok {
		return nil
	}
	if _, gqlErr := CheckShape(ctx, p.Query, s.limits); gqlErr != nil {
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

// ShapeWork is what checking one document's shape cost.
type ShapeWork struct {
	// Tokens is the number of lexer tokens read (at most MaxTokens+1).
	Tokens int
	// Selections is the number of selections (fields, fragment spreads,
	// inline fragments) visited; each is visited once, whatever the
	// fragment fan-out.
	Selections int
}

// CheckShape checks query against l's shape limits, in time linear in the
// query, and reports the work it did. It returns a BadRequest error naming
// the limit a document exceeds, the parser's error for a document that
// does not parse, or a ServiceUnavailable error if ctx ends meanwhile.
func CheckShape(ctx context.Context, query string, l Limits) (ShapeWork, *gqlerror.Error) {
	l = l.withDefaults()
	var work ShapeWork
	work.Tokens = countTokens(query, l.MaxTokens+1)
	if work.Tokens > l.MaxTokens {
		return work, limitError("query is too large: the limit is %d tokens", l.MaxTokens)
	}
	// Capped as well: the lexer's count and the parser's may differ by
	// the end-of-file token.
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, l.MaxTokens+1)
	if err != nil {
		if gqlErr, ok := err.(*gqlerror.Error); ok {
			return work, gqlErr
		}
		return work, limitError("query could not be parsed")
	}
	w := shapeWalker{ctx: ctx, limits: l, fragments: map[string]*ast.FragmentDefinition{}, memo: map[string]measure{}, visiting: map[string]bool{}}
	for _, f := range doc.Fragments {
		w.fragments[f.Name] = f
	}
	for _, op := range doc.Operations {
		m := w.selection(op.SelectionSet)
		work.Selections = w.visited
		if w.err != nil {
			return work, w.err
		}
		if gqlErr := l.checkOperation(op, m); gqlErr != nil {
			return work, gqlErr
		}
		// Within MaxExpandedFields now: expanding the operation is cheap.
		w.repeats(op.SelectionSet, 0, &mergedPaths{ids: map[mergedPath]int{}, count: map[int]int{}})
		work.Selections = w.visited
		if w.err != nil {
			return work, w.err
		}
	}
	// Fragments no operation uses are refused by validation, which walks
	// them too: they must be within the limits as well.
	for _, f := range doc.Fragments {
		m := w.fragment(f.Name)
		work.Selections = w.visited
		if w.err != nil {
			return work, w.err
		}
		if gqlErr := l.checkFragment(m); gqlErr != nil {
			return work, gqlErr
		}
	}
	return work, nil
}

// countTokens counts query's lexer tokens, stopping at max or at the first
// lexer error (the parser reports that one).
func countTokens(query string, max int) int {
	lx := lexer.New(&ast.Source{Input: query})
	n := 0
	for n < max {
		tok, err := lx.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			break
		}
		n++
	}
	return n
}

// checkOperation applies the per-operation limits to op's measure.
func (l Limits) checkOperation(op *ast.OperationDefinition, m measure) *gqlerror.Error {
	if gqlErr := l.checkFragment(m); gqlErr != nil {
		return gqlErr
	}
	if op.Operation == ast.Mutation && m.rootFields > l.MaxMutationFields {
		return limitError("a mutation runs at most %d fields; this one asks for %d", l.MaxMutationFields, m.rootFields)
	}
	if m.schemaFields > 1 || m.typeFields > 1 {
		return limitError("__schema and __type may each be selected at most once per operation (the limit is 1)")
	}
	return nil
}

// checkFragment applies the limits that hold for any selection set.
func (l Limits) checkFragment(m measure) *gqlerror.Error {
	switch {
	case m.depth > l.MaxDepth:
		return limitError("query is nested %d levels deep; the limit is %d", m.depth, l.MaxDepth)
	case m.fields > l.MaxExpandedFields:
		return limitError("query expands to more than %d selections (the limit), counting each fragment spread in full", l.MaxExpandedFields)
	case m.aliases > l.MaxAliases:
		return limitError("query uses more than %d aliases (the limit), counting each fragment spread in full", l.MaxAliases)
	}
	return nil
}

// measure is the size of a selection set with fragments expanded.
type measure struct {
	depth, fields, aliases int
	// rootFields counts the fields at the set's own level (through
	// fragments and inline fragments, not below fields).
	rootFields int
	// schemaFields and typeFields count __schema and __type fields at the
	// set's own level.
	schemaFields, typeFields int
}

// add adds a sibling's measure (depth is the deeper of the two).
func (m *measure) add(o measure) {
	m.depth = max(m.depth, o.depth)
	m.fields = saturatingAdd(m.fields, o.fields)
	m.aliases = saturatingAdd(m.aliases, o.aliases)
	m.rootFields = saturatingAdd(m.rootFields, o.rootFields)
	m.schemaFields = saturatingAdd(m.schemaFields, o.schemaFields)
	m.typeFields = saturatingAdd(m.typeFields, o.typeFields)
}

// shapeWalker measures selection sets; each fragment is measured once
// (memo).
type shapeWalker struct {
	ctx       context.Context
	limits    Limits
	fragments map[string]*ast.FragmentDefinition
	memo      map[string]measure
	visiting  map[string]bool
	visited   int
	err       *gqlerror.Error
}

// ctxCheckEvery is how many selections the walkers visit between two
// looks at the request's context.
const ctxCheckEvery = 256

func (w *shapeWalker) selection(set ast.SelectionSet) measure {
	var out measure
	if len(set) > w.limits.MaxSelectionFields {
		w.err = limitError("a selection set holds %d fields; the limit is %d", len(set), w.limits.MaxSelectionFields)
		return out
	}
	defer func() {
		// Inline fragments and spreads merge into this set: validation
		// compares its fields pairwise, so the merged count is bounded too.
		if w.err == nil && out.rootFields > w.limits.MaxSelectionFields {
			w.err = limitError("a selection set holds %d fields with its fragments merged; the limit is %d", out.rootFields, w.limits.MaxSelectionFields)
		}
	}()
	for _, sel := range set {
		if w.err != nil {
			return out
		}
		w.visited++
		if w.visited%ctxCheckEvery == 0 && w.ctx.Err() != nil {
			w.err = cancelled()
			return out
		}
		switch s := sel.(type) {
		case *ast.Field:
			out.add(w.field(s))
		case *ast.InlineFragment:
			m := w.selection(s.SelectionSet)
			m.fields = saturatingAdd(m.fields, 1)
			out.add(m)
		case *ast.FragmentSpread:
			m := w.fragment(s.Name)
			m.fields = saturatingAdd(m.fields, 1)
			out.add(m)
		}
	}
	return out
}

// field measures one field: its subtree one level deeper, itself one field
// (and one alias if aliased) at the current level.
func (w *shapeWalker) field(f *ast.Field) measure {
	child := w.selection(f.SelectionSet)
	m := measure{depth: 1 + child.depth, fields: saturatingAdd(1, child.fields), aliases: child.aliases, rootFields: 1}
	aliased := f.Alias != "" && f.Alias != f.Name
	if aliased {
		m.aliases++
	}
	if f.Name == "__schema" || f.Name == "__type" {
		if aliased || child.aliases > 0 {
			w.err = limitError("introspection (%s) allows no aliases: each of its fields is selected once", f.Name)
		}
		if f.Name == "__schema" {
			m.schemaFields = 1
		} else {
			m.typeFields = 1
		}
	}
	return m
}

// fragment measures a named fragment once. An unknown fragment or a cycle
// is refused here, not left to validation: some validation rules follow
// every spread path without memo before they refuse either.
func (w *shapeWalker) fragment(name string) measure {
	if m, ok := w.memo[name]; ok {
		return m
	}
	def, ok := w.fragments[name]
	switch {
	case !ok:
		w.err = limitError("Unknown fragment %q.", name)
		return measure{}
	case w.visiting[name]:
		w.err = limitError("Cannot spread fragment %q within itself.", name)
		return measure{}
	}
	w.visiting[name] = true
	m := w.selection(def.SelectionSet)
	w.visiting[name] = false
	w.memo[name] = m
	return m
}

// mergedPath is one place in an operation once fragments and same-named
// fields merge: the place of the parent and a response key.
type mergedPath struct {
	parent int
	key    string
}

// mergedPaths numbers merged paths (0 is the operation's root) and counts
// the fields selected at each.
type mergedPaths struct {
	ids   map[mergedPath]int
	count map[int]int
}

// repeats walks set with every fragment expanded and refuses a field
// selected more than MaxFieldRepeats times at one merged path. It must
// only run on a set already measured within MaxExpandedFields (it visits
// each expanded selection once) and free of cycles and unknown fragments.
func (w *shapeWalker) repeats(set ast.SelectionSet, parent int, p *mergedPaths) {
	for _, sel := range set {
		if w.err != nil {
			return
		}
		w.visited++
		switch s := sel.(type) {
		case *ast.Field:
			key := mergedPath{parent: parent, key: s.Alias}
			id, ok := p.ids[key]
			if !ok {
				id = len(p.ids) + 1
				p.ids[key] = id
			}
			p.count[id]++
			if p.count[id] > w.limits.MaxFieldRepeats {
				w.err = limitError("%q is selected more than %d times at one place (the limit), counting fragments", s.Alias, w.limits.MaxFieldRepeats)
				return
			}
			w.repeats(s.SelectionSet, id, p)
		case *ast.InlineFragment:
			w.repeats(s.SelectionSet, parent, p)
		case *ast.FragmentSpread:
			if def := w.fragments[s.Name]; def != nil {
				w.repeats(def.SelectionSet, parent, p)
			}
		}
	}
}

// saturatingAdd adds non-negative a and b, stopping at the largest int.
func saturatingAdd(a, b int) int {
	if c := a + b; c >= a {
		return c
	}
	return int(^uint(0) >> 1)
}
