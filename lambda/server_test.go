package lambda

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/server"
)

// httpFixtures are the HTTP events, one per front door (and ALB's two
// header modes).
var httpFixtures = []string{
	"apigw-v2-request.json", "lambda-url-request.json", "apigw-v1-request.json",
	"alb-request-multivalue-headers.json", "alb-request-headers-only.json",
}

// frontDoorResponse holds the fields every front door's response has.
type frontDoorResponse struct {
	StatusCode      int    `json:"statusCode"`
	Body            string `json:"body"`
	IsBase64Encoded bool   `json:"isBase64Encoded"`
}

// serverStack is the server's handler (server.New) with a stand-in for
// the GraphQL handler that answers {"data":{"ok":true}}, or panics when the
// request has an X-Test-Panic header; tokens of its local issuer pass.
type serverStack struct {
	handler http.Handler
	token   string
	logs    *bytes.Buffer
}

func newServerStack(t *testing.T) serverStack {
	t.Helper()
	issuer, err := auth.OpenLocalIssuer(t.TempDir(), "lambda-test", "lambda-test", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := auth.NewVerifier(issuer.Config(), issuer.KeySource())
	if err != nil {
		t.Fatal(err)
	}
	token, err := issuer.Mint("u1", []string{"Members"}, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	gql := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Test-Panic") != "" {
			panic("resolver bug")
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":{"ok":true}}`))
	})
	logs := &bytes.Buffer{}
	logger := slog.New(NewLogHandler(slog.NewJSONHandler(logs, nil)))
	return serverStack{
		handler: server.New(server.Config{GraphQL: gql, Verifier: verifier, Logger: logger}),
		token:   token, logs: logs,
	}
}

// withHeaders returns the fixture's event with the headers set (an empty
// value deletes one), in headers and multiValueHeaders as it has them.
func withHeaders(t *testing.T, name string, set map[string]string) []byte {
	t.Helper()
	var ev map[string]any
	if err := json.Unmarshal(fixture(t, name), &ev); err != nil {
		t.Fatal(err)
	}
	for field, multi := range map[string]bool{"headers": false, "multiValueHeaders": true} {
		hs, ok := ev[field].(map[string]any)
		if !ok {
			continue
		}
		for k, v := range set {
			for existing := range hs {
				if strings.EqualFold(existing, k) {
					delete(hs, existing)
				}
			}
			switch {
			case v == "":
			case multi:
				hs[k] = []string{v}
			default:
				hs[k] = v
			}
		}
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// invokeResponse invokes h and decodes the front door's response and its
// Dayline body.
func invokeResponse(t *testing.T, h *Handler, payload []byte) (frontDoorResponse, api.Response) {
	t.Helper()
	out, err := h.Invoke(t.Context(), payload)
	if err != nil {
		t.Fatal(err)
	}
	var res frontDoorResponse
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	var body api.Response
	if res.IsBase64Encoded || json.Unmarshal([]byte(res.Body), &body) != nil {
		t.Fatalf("answer %s: body is not a JSON text", out)
	}
	return res, body
}

func TestThroughServer(t *testing.T) {
	s := newServerStack(t)
	h := New(s.handler, nil)
	for _, name := range httpFixtures {
		if strings.Contains(name, "headers-only") {
			continue // a GET of /healthz
		}
		t.Run(name, func(t *testing.T) {
			res, body := invokeResponse(t, h, withHeaders(t, name, map[string]string{"Authorization": "Bearer " + s.token}))
			if res.StatusCode != http.StatusOK || string(body.Data) != `{"ok":true}` {
				t.Errorf("with a token: %d %s; want 200 and the data", res.StatusCode, res.Body)
			}
			res, body = invokeResponse(t, h, withHeaders(t, name, map[string]string{"Authorization": ""}))
			if res.StatusCode != http.StatusUnauthorized || len(body.Errors) != 1 || body.Errors[0].ErrorType != "UnauthorizedException" {
				t.Errorf("without a token: %d %s; want 401 UnauthorizedException", res.StatusCode, res.Body)
			}
		})
	}
	t.Run("healthz", func(t *testing.T) {
		res, _ := invokeResponse(t, h, fixture(t, "alb-request-headers-only.json"))
		if res.StatusCode != http.StatusOK || res.Body != `{"status":"ok"}` {
			t.Errorf("%d %s; want 200 {\"status\":\"ok\"}", res.StatusCode, res.Body)
		}
	})
}

// TestPanic: a panic answers 500 in Dayline's error body, and the next
// event is served.
func TestPanic(t *testing.T) {
	s := newServerStack(t)
	tests := []struct {
		name    string
		handler http.Handler
	}{
		{"in the server's stack (its recovery)", s.handler},
		{"outside it (the Handler's recovery)", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-Half", "written")
			panic("adapter bug")
		})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := New(tc.handler, nil, WithLogger(slog.New(slog.DiscardHandler)))
			for _, name := range httpFixtures {
				if strings.Contains(name, "headers-only") {
					continue
				}
				ev := withHeaders(t, name, map[string]string{"Authorization": "Bearer " + s.token, "X-Test-Panic": "1"})
				res, body := invokeResponse(t, h, ev)
				if res.StatusCode != http.StatusInternalServerError || len(body.Errors) != 1 ||
					body.Errors[0].ErrorType != "InternalError" || body.Errors[0].Extensions["code"] != "InternalError" {
					t.Errorf("%s: %d %s; want 500 with one InternalError", name, res.StatusCode, res.Body)
				}
			}
		})
	}
	h := New(s.handler, nil)
	res, _ := invokeResponse(t, h, fixture(t, "alb-request-headers-only.json"))
	if res.StatusCode != http.StatusOK {
		t.Errorf("the event after the panics: %d %s, want 200", res.StatusCode, res.Body)
	}
}

// TestLogs: the server's log lines carry the Lambda request id, and never
// the token.
func TestLogs(t *testing.T) {
	s := newServerStack(t)
	h := New(s.handler, nil)
	ctx := lambdacontext.NewContext(t.Context(), &lambdacontext.LambdaContext{AwsRequestID: "8476a536-e9f4-11e8-9739-2dfe598c3fcd"})
	if _, err := h.Invoke(ctx, withHeaders(t, "apigw-v2-request.json", map[string]string{"Authorization": "Bearer " + s.token})); err != nil {
		t.Fatal(err)
	}
	var line struct {
		Msg             string `json:"msg"`
		LambdaRequestID string `json:"lambda_request_id"`
		Status          int    `json:"status"`
	}
	if err := json.Unmarshal(s.logs.Bytes(), &line); err != nil {
		t.Fatalf("log %q: %v", s.logs, err)
	}
	if line.Msg != "request" || line.LambdaRequestID != "8476a536-e9f4-11e8-9739-2dfe598c3fcd" || line.Status != 200 {
		t.Errorf("log line %+v; want the request's, with the Lambda request id", line)
	}
	if strings.Contains(s.logs.String(), s.token) {
		t.Error("the log holds the token")
	}
}
