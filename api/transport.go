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
	w.Header().Set("Content-Type", "application/json")
	if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		w.WriteHeader(http.StatusBadRequest)
		WriteResponse(w, exec.DispatchError(ctx, gqlerror.List{badRequest("subscriptions over WebSocket are not served yet")}))
		return
	}
	if status, err := checkMethod(w, r); err != nil {
		w.WriteHeader(status)
		WriteResponse(w, exec.DispatchError(ctx, gqlerror.List{badRequest(err.Error())}))
		return
	}
	params, status, err := readParams(r)
	if err != nil {
		w.WriteHeader(status)
		WriteResponse(w, exec.DispatchError(ctx, gqlerror.List{badRequest(err.Error())}))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: graphql.Now(), End: graphql.Now()}

	oc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		w.WriteHeader(http.StatusBadRequest)
		WriteResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs))
		return
	}
	if r.Method == http.MethodGet && oc.Operation.Operation != ast.Query {
		w.Header().Set("Allow", http.MethodPost)
		w.WriteHeader(http.StatusMethodNotAllowed)
		WriteResponse(w, exec.DispatchError(ctx, gqlerror.List{badRequest("GET accepts queries only: send mutations with POST")}))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	WriteResponse(w, responses(ctx))
}

func badRequest(msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": string(domain.CodeBadRequest)}}
}

// checkMethod accepts GET, and POST with a JSON body; otherwise it returns
// the HTTP status (405 with Allow set, or 415) and a client-safe error.
func checkMethod(w http.ResponseWriter, r *http.Request) (int, error) {
	switch r.Method {
	case http.MethodGet:
		return 0, nil
	case http.MethodPost:
		mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mediaType != "application/json" {
			return http.StatusUnsupportedMediaType, errors.New("send GraphQL requests as POST with Content-Type: application/json")
		}
		return 0, nil
	}
	w.Header().Set("Allow", "GET, POST")
	return http.StatusMethodNotAllowed, fmt.Errorf("method %s is not allowed: use POST (or GET for queries)", r.Method)
}

// readParams decodes the request's GraphQL parameters, or returns the HTTP
// status and a client-safe error.
func readParams(r *http.Request) (*graphql.RawParams, int, error) {
	params := &graphql.RawParams{}
	if r.Method == http.MethodGet {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return nil, http.StatusBadRequest, errors.New("the query string could not be parsed")
		}
		params.Query, params.OperationName = q.Get("query"), q.Get("operationName")
		if v := q.Get("variables"); v != "" {
			if err := json.Unmarshal([]byte(v), &params.Variables); err != nil {
				return nil, http.StatusBadRequest, errors.New("variables must be a JSON object")
			}
		}
		return params, 0, nil
	}
	body, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, http.StatusRequestEntityTooLarge, errors.New("request body is too large")
	case err != nil:
		return nil, http.StatusBadRequest, errors.New("request body could not be read")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(params); err != nil {
		return nil, http.StatusBadRequest, errors.New("request body is not valid JSON: want {\"query\": ..., \"variables\": {...}}")
	}
	if dec.More() {
		return nil, http.StatusBadRequest, errors.New("request body holds more than one JSON value")
	}
	return params, 0, nil
}
