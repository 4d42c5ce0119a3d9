package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// fakeRuntimeAPI is AWS Lambda's Runtime API serving one invocation: the
// first GET .../next gets event, the function's answer is sent on
// answers, and every later GET .../next waits for ever (the runtime loop
// only leaves through os.Exit, so it is left waiting when the test ends).
type fakeRuntimeAPI struct {
	nexts   atomic.Int32
	answers chan string
	event   []byte
}

func (f *fakeRuntimeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/runtime/invocation/next"):
		if f.nexts.Add(1) > 1 {
			select {} // no more invocations
		}
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", "req-1")
		w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(time.Hour).UnixMilli(), 10))
		w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:123456789012:function:dayline")
		_, _ = w.Write(f.event)
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/response"):
		b, _ := io.ReadAll(r.Body)
		f.answers <- string(b)
		w.WriteHeader(http.StatusAccepted)
	default:
		b, _ := io.ReadAll(r.Body)
		f.answers <- "unexpected " + r.Method + " " + r.URL.Path + ": " + string(b)
		w.WriteHeader(http.StatusAccepted)
	}
}

// TestLambdaInit runs dayline with no verb where AWS Lambda would
// ($AWS_LAMBDA_RUNTIME_API set), configured for DynamoDB and an OIDC
// issuer: init calls neither (no table check, no JWKS fetch), the first
// event (GET /healthz through an ALB) is answered, and SIGTERM (ctx) stops
// it.
func TestLambdaInit(t *testing.T) {
	var dynamoCalls, jwksCalls atomic.Int32
	count := func(n *atomic.Int32) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			n.Add(1)
			w.WriteHeader(http.StatusInternalServerError)
		}))
		t.Cleanup(s.Close)
		return s
	}
	dynamo, issuer := count(&dynamoCalls), count(&jwksCalls)
	event, err := os.ReadFile("../../lambda/testdata/alb-request-headers-only.json")
	if err != nil {
		t.Fatal(err)
	}
	api := &fakeRuntimeAPI{answers: make(chan string, 4), event: event}
	// Not closed: the runtime loop waits in its second GET .../next until
	// the test process ends (closing would make it exit the process).
	runtimeAPI := httptest.NewServer(api)
	// aws-lambda-go reads the Runtime API's address from the process
	// environment; dayline only checks that it is set.
	t.Setenv(envLambdaRuntimeAPI, strings.TrimPrefix(runtimeAPI.URL, "http://"))
	env := envOf(map[string]string{
		envLambdaRuntimeAPI:         strings.TrimPrefix(runtimeAPI.URL, "http://"),
		"DAYLINE_STORE":             "dynamodb",
		"DAYLINE_DYNAMODB_ENDPOINT": dynamo.URL,
		"DAYLINE_DYNAMODB_REGION":   "eu-west-1",
		"DAYLINE_PAGE_TOKEN_SECRET": "lambda-test-page-token-secret",
		"DAYLINE_OIDC_ISSUER":       issuer.URL,
		"DAYLINE_OIDC_CLIENT_IDS":   "dayline-test",
	})

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, io.Discard, &stderr, env) }()

	var answer string
	select {
	case answer = <-api.answers:
	case err := <-done:
		t.Fatalf("dayline returned %v before answering; stderr:\n%s", err, stderr.String())
	case <-time.After(hangTimeout): // a hang turned into a failure
		t.Fatalf("no answer after %v; stderr:\n%s", hangTimeout, stderr.String())
	}
	var res events.ALBTargetGroupResponse
	if err := json.Unmarshal([]byte(answer), &res); err != nil || res.StatusCode != http.StatusOK || res.Body != `{"status":"ok"}` {
		t.Fatalf("answer %s (%v); want 200 {\"status\":\"ok\"}", answer, err)
	}
	if n, m := dynamoCalls.Load(), jwksCalls.Load(); n != 0 || m != 0 {
		t.Errorf("init and /healthz made %d DynamoDB and %d JWKS requests; want none", n, m)
	}
	stderr.waitFor(t, done, "the request's log line with the Lambda request id", func(s string) bool {
		return strings.Contains(s, `"msg":"request"`) && strings.Contains(s, `"lambda_request_id":"req-1"`)
	})

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("dayline lambda returned %v after SIGTERM", err)
		}
	case <-time.After(hangTimeout): // a hang turned into a failure
		t.Fatal("dayline lambda did not stop after SIGTERM")
	}
}

func TestLambdaOutsideLambda(t *testing.T) {
	err := run(t.Context(), []string{"lambda"}, io.Discard, io.Discard, noEnv)
	if err == nil || !strings.Contains(err.Error(), envLambdaRuntimeAPI) {
		t.Fatalf("dayline lambda without $%s: %v; want an error naming it", envLambdaRuntimeAPI, err)
	}
}
