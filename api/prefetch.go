package api

import (
	"context"
	"encoding/json"
)

// Prefetch asks Execute to read ahead, before the operation's fields run,
// what the batch resolver of Type.Field reads for the parents whose ids
// are ParentIDs, given the field's Args as JSON (resolvers.Resolver.Prefetch).
// The AppSync adapter sets it for a BatchInvoke, whose parents become one
// aliased root field each: their reads are then one batch per kind, as in
// the server's list, whatever the timing.
type Prefetch struct {
	Type, Field string
	ParentIDs   []string
	Args        map[string]json.RawMessage
}

type prefetchKey struct{}

// WithPrefetch returns ctx asking Execute for p. Only a query's response
// prefetches: a mutation's fields each read afresh.
func WithPrefetch(ctx context.Context, p Prefetch) context.Context {
	return context.WithValue(ctx, prefetchKey{}, p)
}

// prefetcher is what runs a Prefetch: resolvers.Resolver.
type prefetcher interface {
	Prefetch(ctx context.Context, parentType, field string, parentIDs []string, args map[string]json.RawMessage) bool
}

// prefetch runs ctx's Prefetch, if any, with r.
func prefetch(ctx context.Context, r prefetcher) {
	if p, ok := ctx.Value(prefetchKey{}).(Prefetch); ok {
		r.Prefetch(ctx, p.Type, p.Field, p.ParentIDs, p.Args)
	}
}
