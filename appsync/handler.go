// Package appsync answers AWS AppSync Direct Lambda resolver events (Invoke
// and BatchInvoke) with Dayline's GraphQL handler: each event becomes a
// field of a GraphQL operation run by api.Handler.Execute, on the same
// executable schema, services, loaders, limits, field authorization and
// error presenter as the standalone server, so every mode follows the same
// rules by construction. See docs/appsync-mode.md.
//
// Which fields have an AppSync resolver is decided once, by
// ResolverFields; the function must be attached to exactly those.
package appsync

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/graph"
)

// Config configures a Handler. GraphQL is required.
type Config struct {
	// GraphQL is the handler that runs every operation (api.New): the
	// same one the other modes serve.
	GraphQL *api.Handler
	// Logger receives panics recovered outside the executor; the executor
	// logs through GraphQL's own logger. Nil discards.
	Logger *slog.Logger
	// MaxBatchItems bounds the events of a BatchInvoke run as one
	// operation (each is an alias); a larger batch runs as several
	// operations, one after another. Zero takes api.DefaultLimits.MaxAliases;
	// keep it at most the GraphQL handler's Limits.MaxAliases.
	MaxBatchItems int
	// Issuer, when set, is the Cognito user pool whose identities the
	// events may carry (the server's --issuer); an event of any other
	// issuer is refused with Unauthorized. Empty (dev mode) trusts any.
	Issuer string
}

// Handler answers AppSync Direct Lambda events. It is safe for concurrent
// use: every event's state lives in its call.
type Handler struct {
	exec     *api.Handler
	logger   *slog.Logger
	maxItems int
	issuer   string
	build    *builder
}

// New returns the Handler for cfg.
func New(cfg Config) *Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxBatchItems <= 0 {
		cfg.MaxBatchItems = api.DefaultLimits.MaxAliases
	}
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	return &Handler{exec: cfg.GraphQL, logger: cfg.Logger, maxItems: cfg.MaxBatchItems, issuer: cfg.Issuer,
		build: newBuilder(schema, resolverFields())}
}

// Error is the answer to an Invoke event whose field failed, and what a
// BatchInvoke item's errorType and errorMessage carry. Type is one of the
// server's errorType names (domain.Code: Unauthorized, NotFound, Conflict,
// BadRequest, ServiceUnavailable, InternalError), never
// "UnauthorizedException" (AppSync replaces that one's message).
type Error struct {
	Type    string
	Message string
}

// Error returns the client-safe message.
func (e *Error) Error() string { return e.Message }

// ErrorType returns the errorType the Lambda runtime should report (for
// aws-lambda-go: messages.InvokeResponse_Error{Type: e.ErrorType(), Message: e.Error()}).
func (e *Error) ErrorType() string { return e.Type }

// BatchItem is one item of a BatchInvoke answer: the field's value, or
// null and the field's error.
type BatchItem struct {
	Data         json.RawMessage `json:"data"`
	ErrorMessage string          `json:"errorMessage,omitempty"`
	ErrorType    string          `json:"errorType,omitempty"`
}

// HandleEvent answers one Direct Lambda event: for Invoke (one Context
// object) the field's value as JSON (json.RawMessage), or an *Error (for a
// Subscription field, a BatchItem: the filter, or the refusal, see
// subscribe.go); for
// BatchInvoke (a JSON array of them) a []BatchItem of the same length and
// order, each item's error in its errorType and errorMessage. It returns
// an *Error for the whole event when the event is no valid JSON, and an
// InternalError (logged with ctx's request id) when it panics. ctx should
// carry the Lambda's deadline and request id (api.WithRequestID).
func (h *Handler) HandleEvent(ctx context.Context, event json.RawMessage) (answer any, err error) {
	defer func() {
		if p := recover(); p != nil {
			answer, err = nil, &Error{Type: string(domain.CodeInternal), Message: api.ReportPanic(ctx, h.logger, p)}
		}
	}()
	events, batch, derr := decodeEvents(event)
	if derr != nil {
		return nil, badRequest("the event is not an AppSync Direct Lambda event: " + derr.Error())
	}
	items := h.resolve(ctx, events)
	if batch {
		return items, nil
	}
	if h.build.isSubscription(events[0]) {
		// Its errors are data too, so that SubscriptionResponseTemplate
		// raises them with the server's errorType (a function error would
		// reach the client as Lambda:Unhandled).
		return items[0], nil
	}
	if items[0].ErrorType != "" {
		return nil, &Error{Type: items[0].ErrorType, Message: items[0].ErrorMessage}
	}
	return items[0].Data, nil
}

// resolve answers events, in order.
func (h *Handler) resolve(ctx context.Context, events []Event) []BatchItem {
	items := make([]BatchItem, len(events))
	fail := func(i int, e *Error) {
		items[i] = BatchItem{Data: json.RawMessage("null"), ErrorType: e.Type, ErrorMessage: e.Message}
	}
	if len(events) == 0 {
		return items
	}
	caller, err := events[0].Identity.authIdentity(h.issuer)
	if err != nil {
		for i := range events {
			fail(i, &Error{Type: string(domain.CodeUnauthorized), Message: err.Error()})
		}
		return items
	}
	// One AppSync request is one caller; a batch naming another is refused
	// rather than run as the first item's caller.
	var queries, mutations, subscriptions []int
	for i, e := range events {
		if id, err := e.Identity.authIdentity(h.issuer); err != nil || id.Sub != caller.Sub || !slices.Equal(id.Groups, caller.Groups) {
			fail(i, badRequest("the events of one batch name different callers"))
			continue
		}
		if h.build.isSubscription(e) {
			subscriptions = append(subscriptions, i)
		} else if h.build.schema.Mutation != nil && e.Info.ParentTypeName == h.build.schema.Mutation.Name {
			mutations = append(mutations, i)
		} else {
			queries = append(queries, i)
		}
	}
	ctx = auth.WithIdentity(ctx, caller)
	// A batch of query fields runs as operations of at most maxItems
	// fields; mutation fields (AppSync never batches them) one each, one
	// after another, as a mutation's fields run.
	type chunk struct {
		kind    ast.Operation
		indexes []int
	}
	var chunks []chunk
	for len(queries) > 0 {
		n := min(len(queries), h.maxItems)
		chunks = append(chunks, chunk{ast.Query, queries[:n]})
		queries = queries[n:]
	}
	for _, i := range mutations {
		chunks = append(chunks, chunk{ast.Mutation, []int{i}})
	}
	for _, c := range chunks {
		h.run(ctx, events, c.indexes, c.kind, caller, items)
	}
	for _, i := range subscriptions { // see subscribe.go
		items[i] = h.subscribe(ctx, events[i])
	}
	return items
}

// run answers the events at indexes with one operation. The limits
// (tokens, aliases, cost, response size) are meant for one client request,
// and AppSync sends each event for one field of one: when the operation of
// several events is refused as a whole (a limit, or one event's bad
// argument value) while the deadline is still ahead, each half runs on its own, down to the one event that
// earns the refusal, so events are refused only for what they ask.
func (h *Handler) run(ctx context.Context, events []Event, indexes []int, kind ast.Operation, caller auth.Identity, items []BatchItem) {
	op, refused := h.build.build(events, indexes, kind, caller)
	for _, r := range refused {
		items[r.index] = BatchItem{Data: json.RawMessage("null"), ErrorType: r.err.Type, ErrorMessage: r.err.Message}
	}
	if op == nil {
		return
	}
	execCtx := ctx
	if op.prefetch != nil {
		execCtx = api.WithPrefetch(ctx, *op.prefetch)
	}
	resp := h.exec.Execute(execCtx, &graphql.RawParams{Query: op.query, Variables: op.vars})
	if len(op.items) > 1 && ctx.Err() == nil && refusedWhole(resp) {
		planned := make([]int, len(op.items))
		for i, p := range op.items {
			planned[i] = p.index
		}
		half := len(planned) / 2
		h.run(ctx, events, planned[:half], kind, caller, items)
		h.run(ctx, events, planned[half:], kind, caller, items)
		return
	}
	h.answer(items, op, resp)
}

// refusedWhole reports whether resp refuses its operation as a whole for
// what it asks: no data, and BadRequest errors on no field (a limit, a bad
// argument value). Anything else (the deadline, an internal error) would
// fail the halves too.
func refusedWhole(resp *graphql.Response) bool {
	if len(resp.Errors) == 0 || (len(resp.Data) > 0 && string(resp.Data) != "null") {
		return false
	}
	for _, e := range resp.Errors {
		if len(e.Path) > 0 || e.Extensions["code"] != string(domain.CodeBadRequest) {
			return false
		}
	}
	return true
}

// answer fills the items of op from its response: each item's value is
// its alias (or its field under the alias), its error the first error on
// a path under its alias, or an error without a path (the operation was
// refused, or its response replaced).
func (h *Handler) answer(items []BatchItem, op *operation, resp *graphql.Response) {
	var data map[string]json.RawMessage
	if len(resp.Data) > 0 {
		if err := json.Unmarshal(resp.Data, &data); err != nil {
			data = nil
		}
	}
	var whole *Error
	byAlias := map[string]*Error{}
	for _, e := range resp.Errors {
		code, _ := e.Extensions["code"].(string)
		if code == "" {
			code = string(domain.CodeInternal)
		}
		ae := &Error{Type: code, Message: e.Message}
		if len(e.Path) == 0 {
			if whole == nil {
				whole = ae
			}
			continue
		}
		if alias, ok := e.Path[0].(ast.PathName); ok {
			if _, seen := byAlias[string(alias)]; !seen {
				byAlias[string(alias)] = ae
			}
		}
	}
	for _, p := range op.items {
		e := byAlias[p.alias]
		if e == nil {
			e = whole
		}
		value := valueOf(data, p)
		switch {
		case e != nil:
			items[p.index] = BatchItem{Data: value, ErrorType: e.Type, ErrorMessage: e.Message}
		case value == nil:
			items[p.index] = BatchItem{Data: json.RawMessage("null"), ErrorType: string(domain.CodeInternal),
				ErrorMessage: fmt.Sprintf("no value for %s", p.alias)}
		default:
			items[p.index] = BatchItem{Data: value}
		}
	}
}

// valueOf returns p's value in data ("null" when its parent is null), or
// nil when data holds nothing for it.
func valueOf(data map[string]json.RawMessage, p planned) json.RawMessage {
	v, ok := data[p.alias]
	if !ok {
		if data == nil {
			return json.RawMessage("null")
		}
		return nil
	}
	if p.nested == "" || string(v) == "null" {
		return v
	}
	var parent map[string]json.RawMessage
	if err := json.Unmarshal(v, &parent); err != nil {
		return nil
	}
	if fv, ok := parent[p.nested]; ok {
		return fv
	}
	return nil
}
