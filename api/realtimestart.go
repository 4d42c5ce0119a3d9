package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/domain"
)

// startPayload is a start message's payload: data is the JSON string of
// {query, variables, operationName}; extensions.authorization is
// AppSync's authorization header object for this subscription.
type startPayload struct {
	Data       string `json:"data"`
	Extensions struct {
		Authorization map[string]any `json:"authorization"`
	} `json:"extensions"`
}

// start begins subscription m.ID on the executor every transport uses:
// start_ack, then a data message per event. A start that does not begin
// one is answered with an error message for its id carrying the errors a
// query gets (refused by the resolver: NotFound, Unauthorized; over a
// limit: BadRequest; a bad document: BadRequest), or UnsupportedOperation
// for a query or mutation, as AppSync answers them.
func (c *realtimeConn) start(ctx context.Context, m realtimeInbound) {
	if m.ID == "" {
		c.refuseStart("", badStart(msgRealtimeNoID))
		return
	}
	c.mu.Lock()
	_, taken := c.ops[m.ID]
	c.mu.Unlock()
	if taken {
		c.refuseStart(m.ID, badStart(fmt.Sprintf(msgRealtimeDuplicateID, m.ID)))
		return
	}
	params, ok := c.startParams(m.Payload)
	if !ok {
		c.refuseStart(m.ID, badStart(msgRealtimeStartData))
		return
	}
	ctx, refusal := c.startIdentity(ctx, m.Payload)
	if refusal != nil {
		c.refuseStart(m.ID, *refusal)
		return
	}
	opCtx, cancel := context.WithCancel(ctx)
	oc, errs := c.exec.CreateOperationContext(opCtx, params)
	if errs != nil {
		cancel()
		c.refuseStart(m.ID, errorsPayload(c.exec.DispatchError(graphql.WithOperationContext(opCtx, oc), errs)))
		return
	}
	if !isSubscriptionOp(oc) {
		cancel()
		c.refuseStart(m.ID, oneError(errorTypeUnsupported, fmt.Sprintf(msgRealtimeUnsupported, oc.Operation.Operation), 0))
		return
	}
	responses, opCtx := c.exec.DispatchOperation(opCtx, oc)
	first := startRefusal(opCtx, responses)
	if first != nil && isDataless(first) {
		cancel()
		c.refuseStart(m.ID, errorsPayload(first))
		return
	}
	op := &realtimeOp{cancel: cancel}
	c.mu.Lock()
	c.ops[m.ID] = op
	c.mu.Unlock()
	c.send(realtimeMessage{Type: "start_ack", ID: m.ID})
	if first != nil {
		// An event was already waiting, and the check took it (gqlgen
		// picks at random between a ready event and the ended context):
		// it is the subscription's first.
		c.send(realtimeMessage{Type: "data", ID: m.ID, Payload: NewResponse(first)})
	}
	c.wg.Add(1)
	go c.pump(ctx, opCtx, m.ID, op, responses)
}

// startParams decodes payload.data, the JSON string of the operation.
func (c *realtimeConn) startParams(payload json.RawMessage) (*graphql.RawParams, bool) {
	var p startPayload
	if json.Unmarshal(payload, &p) != nil || p.Data == "" {
		return nil, false
	}
	params := &graphql.RawParams{}
	dec := json.NewDecoder(bytes.NewReader([]byte(p.Data)))
	dec.UseNumber()
	if dec.Decode(params) != nil || dec.More() {
		return nil, false
	}
	params.ReadTime = graphql.TraceTiming{Start: graphql.Now(), End: graphql.Now()}
	return params, true
}

// startIdentity returns ctx under the start's own authorization when it
// carries one (AppSync authorizes each subscription): its token must
// verify and name the connection's user. Without one the subscription runs
// under the connection's identity.
func (c *realtimeConn) startIdentity(ctx context.Context, payload json.RawMessage) (context.Context, *realtimeErrors) {
	var p startPayload
	_ = json.Unmarshal(payload, &p) // startParams decoded it already
	raw := auth.TokenFromHeader(authorizationOf(p.Extensions.Authorization))
	if raw == "" {
		return ctx, nil
	}
	id, err := c.streams.cfg.Verifier.Verify(ctx, raw)
	if err != nil {
		refusal := oneError(codeUnauthenticated, msgUnauthorized+auth.ReasonOf(err), 0)
		return nil, &refusal
	}
	if id.Sub != c.user {
		refusal := oneError(string(domain.CodeUnauthorized), msgRealtimeOtherUser, 0)
		return nil, &refusal
	}
	return auth.WithIdentity(ctx, id), nil
}

// startRefusal returns the response of a subscription refused when it
// started (the resolver's error, a limit of subscriptionLifetime: errors
// without data), or nil for one that started. It asks responses with an
// ended context: gqlgen's executor answers nil (end of stream) for a
// running subscription, while a refusal is a one-shot response that
// answers its errors whatever the context (e2e/realtime_test.go relies on
// both). When an event is already waiting, gqlgen may answer it instead:
// a response with data, which start sends as the first event.
func startRefusal(ctx context.Context, responses graphql.ResponseHandler) *graphql.Response {
	ended, cancel := context.WithCancel(ctx)
	cancel()
	return responses(ended)
}

// pump sends subscription id's events until it ends: a data message per
// event (its own selection, resolved for this subscriber; field errors
// beside the data), an error message for an errors-only response (the
// token expired), then complete, unless the connection is being cut (the
// client left, a slow consumer).
func (c *realtimeConn) pump(connCtx, opCtx context.Context, id string, op *realtimeOp, responses graphql.ResponseHandler) {
	defer c.wg.Done()
	defer op.cancel()
	failed := false
	for {
		resp := responses(opCtx)
		if resp == nil {
			break
		}
		var err error
		if isDataless(resp) {
			failed = true
			err = c.send(realtimeMessage{Type: "error", ID: id, Payload: errorsPayload(resp)})
		} else {
			err = c.send(realtimeMessage{Type: "data", ID: id, Payload: NewResponse(resp)})
		}
		if err != nil {
			break
		}
	}
	c.mu.Lock()
	delete(c.ops, id)
	c.mu.Unlock()
	if !failed && (op.stopped.Load() || connCtx.Err() == nil || c.session.endedCleanly()) {
		_ = c.send(realtimeMessage{Type: "complete", ID: id})
	}
}
