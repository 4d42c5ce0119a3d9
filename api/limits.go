package api

import (
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dayline/dayline/domain"
)

// Limits bound what one GraphQL request may cost. Every document is checked
// against all of them, introspection included, before it runs:
//
//   - MaxTokens, MaxSelectionFields, MaxExpandedFields, MaxFieldRepeats,
//     MaxAliases, MaxMutationFields and MaxDepth are checked on the parsed
//     document,
//     before gqlgen validates it (validation walks the document with
//     fragments expanded, so it must only ever see a bounded one);
//   - MaxComplexity is checked on the validated operation with its
//     variables (see cost.go for what each field costs);
//   - MaxResponseBytes is checked while the operation runs.
//
// A document over a limit is refused with a BadRequest error that names
// the limit (HTTP 400); a response that outgrows MaxResponseBytes is
// replaced by one such error.
type Limits struct {
	// MaxTokens bounds the lexer tokens of a document; the parser stops at
	// the first token over it.
	MaxTokens int
	// MaxDepth bounds selection nesting; a leaf field counts as one level.
	MaxDepth int
	// MaxSelectionFields bounds the fields written in one selection set.
	MaxSelectionFields int
	// MaxExpandedFields bounds the selections (fields, fragment spreads
	// and inline fragments) of an operation with every fragment spread
	// expanded.
	MaxExpandedFields int
	// MaxFieldRepeats bounds how often one field (one response key) is
	// selected at the same place once fragments and same-named fields
	// merge: validation compares every such pair, and their selections.
	MaxFieldRepeats int
	// MaxAliases bounds the aliased fields of an operation, fragments
	// expanded. Inside introspection (__schema, __type) no alias is
	// allowed, and each of those two fields is selected at most once.
	MaxAliases int
	// MaxMutationFields bounds the root fields of one mutation operation
	// (each runs, one after another).
	MaxMutationFields int
	// MaxComplexity bounds the operation's cost: about the number of
	// fields it can resolve, lists charged by the most they can return.
	MaxComplexity int
	// MaxResponseBytes bounds the size of a response's data, counted as
	// the fields resolve (keys and values, approximately as encoded).
	MaxResponseBytes int
}

// DefaultLimits are the limits a zero Limits field takes. MaxDepth leaves
// room for GraphiQL's and Apollo's introspection queries (depth 15 through
// TypeRef's nine ofType levels). MaxComplexity leaves room for a dashboard
// of 50 members with their agendas (the README's costs 200,354, as an
// agenda is charged as 1,000 items) and for introspection (3,065 for
// Apollo's).
var DefaultLimits = Limits{
	MaxTokens:          5000,
	MaxDepth:           15,
	MaxSelectionFields: 200,
	MaxExpandedFields:  5000,
	MaxFieldRepeats:    20,
	MaxAliases:         100,
	MaxMutationFields:  10,
	MaxComplexity:      500_000,
	MaxResponseBytes:   4 << 20,
}

// withDefaults returns l with every zero or negative field set to its
// default.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	pick := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	pick(&l.MaxTokens, d.MaxTokens)
	pick(&l.MaxDepth, d.MaxDepth)
	pick(&l.MaxSelectionFields, d.MaxSelectionFields)
	pick(&l.MaxExpandedFields, d.MaxExpandedFields)
	pick(&l.MaxFieldRepeats, d.MaxFieldRepeats)
	pick(&l.MaxAliases, d.MaxAliases)
	pick(&l.MaxMutationFields, d.MaxMutationFields)
	pick(&l.MaxComplexity, d.MaxComplexity)
	pick(&l.MaxResponseBytes, d.MaxResponseBytes)
	return l
}

// limitError is the error for a request over a limit: a BadRequest whose
// message names the limit.
func limitError(format string, args ...any) *gqlerror.Error {
	return requestError(domain.BadRequest(format, args...))
}

// cancelled is the error for a request whose context ended (client gone,
// deadline passed) before it ran.
func cancelled() *gqlerror.Error {
	return requestError(unavailable())
}

// requestError wraps a domain error for gqlgen's request-level error list;
// the error presenter reads its code.
func requestError(err *domain.Error) *gqlerror.Error {
	return &gqlerror.Error{Message: err.Message, Err: err}
}
