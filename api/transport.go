package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dayline/dayline/domain"
)

// HTTPTransport serves GraphQL over HTTP: POST with a JSON body, and GET
// (queries only) with query/variables/operationName parameters. Unlike
// gqlgen's transports it writes errors in AppSync's shape (errorType at the
// top level) and never echoes the request body back.
//
// The response media type follows the request's Accept header (see
// Negotiate): application/graphql-response+json when the client prefers it,
// application/json otherwise, 406 when it accepts neither. Both answer the
// same statuses, the ones the GraphQL-over-HTTP spec gives
// application/graphql-response+json: 400 (405, 413, 415) for requests
// refused before execution (bad JSON, parse and validation errors, limits),
// 200 once the operation executed, field errors or not.
type HTTPTransport struct{}

var _ graphql.Transport = HTTPTransport{}

// Supports reports true for every request, so that wrong methods, content
// types and upgrades get a clear AppSync-shaped error instead of gqlgen's
// bare "transport not supported". Upgrade offers other than a WebSocket
// (curl's h2c, say) are served as plain HTTP/1.1.
func (HTTPTransport) Supports(*http.Request) bool { return true }

// Do executes one request.
func (HTTPTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	media, ok := Negotiate(r.Header.Values("Accept"))
	if !ok {
		// The spec's recommended answer; the body is in the legacy type.
		WriteHTTP(w, MediaJSON, http.StatusNotAcceptable, exec.DispatchError(ctx, gqlerror.List{badRequest(msgNotAcceptable)}))
		return
	}
	if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		WriteHTTP(w, media, http.StatusBadRequest, exec.DispatchError(ctx, gqlerror.List{badRequest(msgWebSocket)}))
		return
	}
	if status, err := checkMethod(w, r); err != nil {
		WriteHTTP(w, media, status, exec.DispatchError(ctx, gqlerror.List{badRequest(err.Error())}))
		return
	}
	params, status, err := readParams(r)
	if err != nil {
		WriteHTTP(w, media, status, exec.DispatchError(ctx, gqlerror.List{badRequest(err.Error())}))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: graphql.Now(), End: graphql.Now()}

	oc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		WriteHTTP(w, media, refusedStatus(errs), exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs))
		return
	}
	if r.Method == http.MethodGet && oc.Operation.Operation != ast.Query {
		w.Header().Set("Allow", http.MethodPost)
		WriteHTTP(w, media, http.StatusMethodNotAllowed, exec.DispatchError(ctx, gqlerror.List{badRequest(msgGetMutation)}))
		return
	}
	if oc.Operation.Operation == ast.Subscription {
		// Executed without data, as the spec has it for a subscription over
		// plain HTTP: the stream transports serve them.
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, oc), gqlerror.List{badRequest(msgSubscriptionOverHTTP)})
		WriteHTTP(w, media, executedStatus(media, resp), resp)
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	resp := responses(ctx)
	WriteHTTP(w, media, executedStatus(media, resp), resp)
}

// executedStatus is the status of an executed operation's response: 200,
// data or not, except that application/graphql-response+json must not
// answer a 2xx without a data entry (spec, "Status Codes").
func executedStatus(media MediaType, resp *graphql.Response) int {
	if media == MediaGraphQLResponse && (resp == nil || len(resp.Data) == 0) {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// refusedStatus is the status of an operation refused before it ran: 503
// when its context ended first (client gone, deadline passed), else 400.
func refusedStatus(errs gqlerror.List) int {
	for _, e := range errs {
		if domain.ErrorCode(e.Err) == domain.CodeUnavailable {
			return http.StatusServiceUnavailable
		}
	}
	return http.StatusBadRequest
}

// badRequest is a BadRequest error for a request refused before it ran.
func badRequest(msg string) *gqlerror.Error { return newError(string(domain.CodeBadRequest), msg) }

// checkMethod accepts GET, and POST with a JSON body in UTF-8 (the default
// when no charset is given); otherwise it returns
// the HTTP status (405 with Allow set, or 415) and a client-safe error.
func checkMethod(w http.ResponseWriter, r *http.Request) (int, error) {
	switch r.Method {
	case http.MethodGet:
		return 0, nil
	case http.MethodPost:
		mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		charset, ok := params["charset"]
		if err != nil || mediaType != mediaTypeJSON || (ok && !strings.EqualFold(charset, "utf-8")) {
			return http.StatusUnsupportedMediaType, errors.New(msgContentType)
		}
		return 0, nil
	}
	w.Header().Set("Allow", "GET, POST")
	return http.StatusMethodNotAllowed, fmt.Errorf(msgMethod, r.Method)
}

// readParams decodes the request's GraphQL parameters, or returns the HTTP
// status and a client-safe error.
func readParams(r *http.Request) (*graphql.RawParams, int, error) {
	params := &graphql.RawParams{}
	if r.Method == http.MethodGet {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return nil, http.StatusBadRequest, errors.New(msgQueryString)
		}
		params.Query, params.OperationName = q.Get("query"), q.Get("operationName")
		if v := q.Get("variables"); v != "" {
			if err := json.Unmarshal([]byte(v), &params.Variables); err != nil {
				return nil, http.StatusBadRequest, errors.New(msgVariables)
			}
		}
		return params, 0, nil
	}
	body, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, http.StatusRequestEntityTooLarge, errors.New(msgBodyTooLarge)
	case err != nil:
		return nil, http.StatusBadRequest, errors.New(msgBodyUnread)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(params); err != nil {
		return nil, http.StatusBadRequest, errors.New(msgBodyNotJSON)
	}
	if dec.More() {
		return nil, http.StatusBadRequest, errors.New(msgBodyTwoValues)
	}
	return params, 0, nil
}
