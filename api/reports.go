package api

import (
	"context"
	"errors"
	"reflect"
	"sync"
)

// reports remembers, for one response, the internal errors already
// logged. A failed batch read answers every key of the batch with the same
// error, so the fields of a list fail together; the error is logged once
// (reportInternal), and every field's message names the request id.
type reports struct {
	mu   sync.Mutex
	seen map[any]struct{}
}

type reportsKey struct{}

// withReports returns ctx with an empty record of logged errors, for one
// response.
func withReports(ctx context.Context) context.Context {
	return context.WithValue(ctx, reportsKey{}, &reports{})
}

// firstReport reports whether err, by its innermost cause, is not yet
// logged in ctx's response, and records it. Outside a response, or for a
// cause that cannot be compared, every report is a first one.
func firstReport(ctx context.Context, err error) bool {
	r, _ := ctx.Value(reportsKey{}).(*reports)
	if r == nil {
		return true
	}
	cause := err
	for next := errors.Unwrap(cause); next != nil; next = errors.Unwrap(cause) {
		cause = next
	}
	if !reflect.TypeOf(cause).Comparable() {
		return true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, seen := r.seen[cause]; seen {
		return false
	}
	if r.seen == nil {
		r.seen = map[any]struct{}{}
	}
	r.seen[cause] = struct{}{}
	return true
}
