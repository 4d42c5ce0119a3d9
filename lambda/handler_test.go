package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/lambda/messages"
)

// fixture returns the event in testdata/name.
func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name    string
		payload []byte
		want    Kind // "" for an *UnsupportedEventError
	}{
		{"HTTP API payload 2.0", fixture(t, "apigw-v2-request.json"), KindHTTPAPI},
		{"HTTP API named stage, base64 body", fixture(t, "apigw-v2-request-base64.json"), KindHTTPAPI},
		{"Function URL", fixture(t, "lambda-url-request.json"), KindFunctionURL},
		{"HTTP API on a custom domain naming lambda-url", []byte(`{"version":"2.0","rawPath":"/graphql","requestContext":{"domainName":"api.lambda-url.example.com","http":{"method":"POST"}}}`), KindHTTPAPI},
		{"REST API payload 1.0", fixture(t, "apigw-v1-request.json"), KindRESTAPI},
		{"ALB multi-value headers", fixture(t, "alb-request-multivalue-headers.json"), KindALB},
		{"ALB single headers", fixture(t, "alb-request-headers-only.json"), KindALB},
		{"AppSync Invoke", fixture(t, "appsync-invoke.json"), KindAppSync},
		{"AppSync BatchInvoke", fixture(t, "appsync-batch.json"), KindAppSyncBatch},
		{"AppSync BatchInvoke, leading space", []byte(" \n[]"), KindAppSyncBatch},
		{"SQS event", fixture(t, "sqs-event.json"), ""},
		{"API Gateway WebSocket event", fixture(t, "apigw-websocket-request.json"), ""},
		{"info without parentTypeName", []byte(`{"info":{"fieldName":"user"}}`), ""},
		{"httpMethod without requestContext", []byte(`{"httpMethod":"GET","path":"/"}`), ""},
		{"version 2.0 without http", []byte(`{"version":"2.0","requestContext":{}}`), ""},
		{"a JSON string", []byte(`"hello"`), ""},
		{"not JSON", []byte(`{nope`), ""},
		{"empty", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Detect(tc.payload)
			if tc.want == "" {
				var ue *UnsupportedEventError
				if !errors.As(err, &ue) {
					t.Fatalf("Detect = %q, %v; want an *UnsupportedEventError", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Detect = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// appsyncStub is an EventHandler that answers what answer says and counts
// its calls.
type appsyncStub struct {
	mu     sync.Mutex
	events []string
	answer func(event json.RawMessage) (any, error)
}

func (s *appsyncStub) HandleEvent(_ context.Context, event json.RawMessage) (any, error) {
	s.mu.Lock()
	s.events = append(s.events, string(event))
	s.mu.Unlock()
	return s.answer(event)
}

// notHTTP is an HTTP handler that fails the test if it is called.
func notHTTP(t *testing.T) http.Handler {
	return http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Error("the HTTP handler served an AppSync event") })
}

func TestAppSyncDispatch(t *testing.T) {
	type item struct {
		Data any `json:"data"`
	}
	stub := &appsyncStub{answer: func(event json.RawMessage) (any, error) {
		var batch []json.RawMessage
		if json.Unmarshal(event, &batch) == nil {
			out := make([]item, len(batch))
			for i := range batch {
				out[i] = item{Data: i}
			}
			return out, nil
		}
		return map[string]string{"id": "u1"}, nil
	}}
	h := New(notHTTP(t), stub)

	got, err := h.Invoke(t.Context(), fixture(t, "appsync-invoke.json"))
	if err != nil || string(got) != `{"id":"u1"}` {
		t.Errorf("Invoke = %s, %v; want the handler's value as JSON", got, err)
	}
	got, err = h.Invoke(t.Context(), fixture(t, "appsync-batch.json"))
	if err != nil || string(got) != `[{"data":0},{"data":1}]` {
		t.Errorf("BatchInvoke = %s, %v; want an item per event", got, err)
	}
	if len(stub.events) != 2 || stub.events[0] != string(fixture(t, "appsync-invoke.json")) {
		t.Errorf("the EventHandler got %d events (want 2), the first not as sent", len(stub.events))
	}
}

func TestAppSyncErrors(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name    string
		handler EventHandler
		want    func(error) bool
	}{
		{"no AppSync handler", nil, func(err error) bool { var ue *UnsupportedEventError; return errors.As(err, &ue) }},
		{"the handler's error", &appsyncStub{answer: func(json.RawMessage) (any, error) { return nil, errBoom }},
			func(err error) bool { return errors.Is(err, errBoom) }},
		{"a value JSON cannot encode", &appsyncStub{answer: func(json.RawMessage) (any, error) { return func() {}, nil }},
			func(err error) bool { return err != nil }},
		{"a panic", &appsyncStub{answer: func(json.RawMessage) (any, error) { panic("resolver bug") }},
			func(err error) bool {
				var ie messages.InvokeResponse_Error
				return errors.As(err, &ie) && ie.Type == "InternalError" && !strings.Contains(ie.Message, "resolver bug")
			}},
		{"an error with an errorType", &appsyncStub{answer: func(json.RawMessage) (any, error) { return nil, typedError{"NotFound", "no such schedule"} }},
			func(err error) bool {
				var ie messages.InvokeResponse_Error
				return errors.As(err, &ie) && ie.Type == "NotFound" && ie.Message == "no such schedule"
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := New(notHTTP(t), tc.handler)
			got, err := h.Invoke(t.Context(), fixture(t, "appsync-invoke.json"))
			if got != nil || !tc.want(err) {
				t.Fatalf("Invoke = %s, %v", got, err)
			}
		})
	}
}

func TestUnsupportedEvents(t *testing.T) {
	h := New(notHTTP(t), nil)
	for _, name := range []string{"sqs-event.json", "apigw-websocket-request.json"} {
		_, err := h.Invoke(t.Context(), fixture(t, name))
		var ue *UnsupportedEventError
		if !errors.As(err, &ue) {
			t.Errorf("%s: Invoke error %v, want an *UnsupportedEventError", name, err)
		}
	}
}

// TestConcurrentInvocations: invocations running at once (as aws-lambda-go
// runs them under AWS_LAMBDA_MAX_CONCURRENCY) each get their own request
// and answer; the race detector checks that they share no state.
func TestConcurrentInvocations(t *testing.T) {
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fd, err := FrontDoorFrom(r.Context())
		if err != nil {
			t.Error(err)
		}
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %s %s %d", fd.Kind, r.Method, r.URL.Path, len(body))
	})
	h := New(echo, nil)
	fixtures := map[string]string{
		"apigw-v2-request.json":               "apigateway-http-api POST /graphql 25",
		"lambda-url-request.json":             "function-url GET /graphql 0",
		"apigw-v1-request.json":               "apigateway-rest-api POST /graphql 25",
		"alb-request-multivalue-headers.json": "alb POST /graphql 25",
		"alb-request-headers-only.json":       "alb GET /healthz 0",
	}
	const rounds = 20
	var wg sync.WaitGroup
	for name, want := range fixtures {
		payload := fixture(t, name)
		for range rounds {
			wg.Go(func() {
				out, err := h.Invoke(t.Context(), payload)
				if err != nil {
					t.Errorf("%s: %v", name, err)
					return
				}
				var res struct {
					Body string `json:"body"`
				}
				if err := json.Unmarshal(out, &res); err != nil || res.Body != want {
					t.Errorf("%s: answered %q (%v), want %q", name, res.Body, err, want)
				}
			})
		}
	}
	wg.Wait()
}

// typedError is an error with the ErrorType method appsync.Error has.
type typedError struct{ typ, msg string }

func (e typedError) Error() string     { return e.msg }
func (e typedError) ErrorType() string { return e.typ }
