// Package listmarshal marshals GraphQL lists whose elements never wait on
// anything (no resolver, no loader anywhere below them) one after another
// in the calling goroutine.
//
// gqlgen marshals every list of objects with one goroutine per element
// (graphql.MarshalSliceConcurrently) so that elements whose fields call
// loaders can batch together. For elements made only of data already in
// hand (an agenda item and its task) those goroutines buy nothing and cost
// a goroutine, a stack growth and a scheduling round each: a fifth of the
// CPU time of the watch's agenda query. `go generate` (see inorderlists)
// points exactly those lists at InOrder: today agenda items, tasks,
// weekdays and the introspection lists.
//
// This relies on field middleware (the field authorizer's check, any
// handler.AroundFields), which runs on every field, never waiting on a
// loader.
package listmarshal

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// InOrder marshals length elements in order and returns them, with the
// contract of graphql.MarshalSliceConcurrently, whose signature it shares:
// each element gets its own FieldContext carrying its index (error paths
// name the element), and a panic while marshalling an element is recorded
// as an error at that element's path; every element is still marshalled
// (so every error is reported) and the result is then nil, unless
// omitPanicHandler is set and the panic goes on up. workerLimit is
// ignored: there are no workers.
func InOrder(ctx context.Context, length int, workerLimit int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler,
) graphql.Array {
	_ = workerLimit
	ret := make(graphql.Array, length)
	panicked := false
	for i := range length {
		elementCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
		if omitPanicHandler {
			ret[i] = marshalElement(elementCtx, i)
			continue
		}
		if !marshalRecovering(elementCtx, ret, i, marshalElement) {
			panicked = true
		}
	}
	if panicked {
		return nil
	}
	return ret
}

// marshalRecovering sets ret[i]; it reports false, with the panic recorded
// as an error at the element's path, if marshalling panicked.
func marshalRecovering(ctx context.Context, ret graphql.Array, i int,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler,
) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			graphql.AddError(ctx, graphql.Recover(ctx, r))
			ok = false
		}
	}()
	ret[i] = marshalElement(ctx, i)
	return true
}
