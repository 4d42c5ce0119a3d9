package api

import (
	"context"
	"reflect"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dayline/dayline/domain"
)

// responseBudget bounds the size of each response (Limits.MaxResponseBytes)
// while it is being resolved, so an answer that would be too large is
// never built: every resolved field adds its key and, for a leaf, its
// value, and every field error its error, approximately as JSON encodes
// them (field authorization runs inside this check, so denied fields
// count). Once the budget is spent the
// response's context is cancelled, the remaining fields return at once
// without running, and the whole response is replaced by one BadRequest
// error. The same holds once the request's context ends (client gone,
// deadline passed): no further field runs.
//
// The per-field check is the operation's outermost field middleware,
// installed by MutateOperationContext (register responseBudget after the
// other operation context mutators that wrap the field middleware), rather
// than a gqlgen FieldInterceptor: that saves a closure and two calls on
// every resolved field. The middleware finds the response's budget in its
// operation's budgetSlot, not in the field's context: a context lookup
// walks every context the field is nested in, on every field.
type responseBudget struct {
	max     int64
	present graphql.ErrorPresenterFunc
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
	graphql.OperationContextMutator
} = (*responseBudget)(nil)

func (*responseBudget) ExtensionName() string                   { return "ResponseBudget" }
func (*responseBudget) Validate(graphql.ExecutableSchema) error { return nil }

// budgetSlotName names an operation's budgetSlot among its Stats
// extensions.
const budgetSlotName = "ResponseBudget"

// budgetSlot holds the budget of the response an operation is resolving
// (an operation resolves one response at a time: a query or mutation has
// one, a subscription one per event, each after the previous one).
type budgetSlot struct {
	current atomic.Pointer[budget]
}

// errorSize is about what an error adds to a response besides its message
// (errorType, path, locations, extensions).
const errorSize = 160

// budget is one response's spending; ctx is the response's context (its
// fields' contexts derive from it), cancelled by cancel.
type budget struct {
	used   atomic.Int64
	over   atomic.Bool
	ctx    context.Context
	cancel context.CancelFunc
}

// InterceptResponse gives the response its budget, and replaces a
// response that overspent it by the error.
func (b *responseBudget) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	spent := &budget{ctx: ctx, cancel: cancel}
	if graphql.HasOperationContext(ctx) {
		if slot, ok := graphql.GetOperationContext(ctx).Stats.GetExtension(budgetSlotName).(*budgetSlot); ok {
			slot.current.Store(spent)
		}
	}
	resp := next(ctx)
	if resp == nil || !spent.over.Load() {
		return resp
	}
	err := domain.BadRequest("the response is larger than %d bytes (the limit): ask for fewer fields or a smaller page", b.max)
	return &graphql.Response{Errors: gqlerror.List{b.present(ctx, err)}}
}

// MutateOperationContext gives oc a budgetSlot (InterceptResponse fills
// it) and puts the per-field check (checkField) around the field
// middleware oc has. It never rejects the operation.
func (b *responseBudget) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	slot := &budgetSlot{}
	oc.Stats.SetExtension(budgetSlotName, slot)
	inner := oc.ResolverMiddleware
	oc.ResolverMiddleware = func(ctx context.Context, next graphql.Resolver) (any, error) {
		return b.checkField(ctx, slot.current.Load(), next, inner)
	}
	return nil
}

// checkField runs the field (through inner, the field middleware inside
// this one) unless spent, the response's budget, is spent or its context
// has ended, and charges what the field adds to the response. A nil spent
// (no response budget) runs the field unchecked.
func (b *responseBudget) checkField(ctx context.Context, spent *budget, next graphql.Resolver,
	inner func(context.Context, graphql.Resolver) (any, error),
) (any, error) {
	if spent == nil {
		return inner(ctx, next)
	}
	if spent.over.Load() || spent.ctx.Err() != nil {
		return nil, context.Canceled
	}
	res, err := inner(ctx, next)
	size := 4 // quotes, colon, comma
	if err != nil {
		size += errorSize + len(err.Error())
	}
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		size += len(fc.Field.Alias)
		if len(fc.Field.Selections) == 0 {
			size += leafSize(res)
		}
	}
	if spent.used.Add(int64(size)) > b.max && spent.over.CompareAndSwap(false, true) {
		spent.cancel()
	}
	return res, err
}

// leafSize is about the size of a scalar or enum value (or a list of
// them) as JSON.
func leafSize(v any) int {
	switch x := v.(type) {
	case nil:
		return 4
	case string:
		return len(x) + 2
	case *string:
		if x == nil {
			return 4
		}
		return len(*x) + 2
	case bool:
		return 5
	case int, int32, int64, float64:
		return 8
	case time.Time:
		return 16 // as other scalars below, without reflection
	}
	r := reflect.ValueOf(v)
	for r.Kind() == reflect.Pointer {
		if r.IsNil() {
			return 4
		}
		r = r.Elem()
	}
	switch r.Kind() {
	case reflect.String:
		return r.Len() + 2
	case reflect.Slice, reflect.Array:
		n := 2
		for i := range r.Len() {
			n += leafSize(r.Index(i).Interface()) + 1
		}
		return n
	}
	return 16 // other scalars (AWSDateTime, AWSJSON): about a timestamp
}
