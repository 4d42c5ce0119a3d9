package e2e_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/internal/lambdaemu"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
)

// The emulator is a Go tool dependency of the module (go.mod's tool
// block), built from the module cache like any other dependency.
const riePackage = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"

// Dev mode's issuer and client id, as cmd/dayline names them: the tests
// mint tokens with the signing key the binary reads from its data
// directory.
const (
	lambdaDevIssuer   = "dayline-dev"
	lambdaDevClientID = "dayline-dev"
)

// requireRIE reports whether a missing Lambda Runtime Interface Emulator
// is a failure rather than a reason to skip: under CI, and under
// scripts/test.sh.
func requireRIE() bool {
	return os.Getenv("CI") == "true" || os.Getenv("DAYLINE_REQUIRE_RIE") == "1"
}

// goBuild builds pkg (with the extra build args) into dir/name, from the
// module root.
func goBuild(dir, name, pkg string, args ...string) (string, error) {
	out := filepath.Join(dir, name)
	cmd := exec.Command("go", append(append([]string{"build", "-o", out}, args...), pkg)...)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return out, nil
}

// emulator is the real bootstrap binary running under AWS's Lambda Runtime
// Interface Emulator.
type emulator struct {
	*lambdaemu.Emulator
}

// startEmulator builds bootstrap (as make lambda does, for this machine)
// and the emulator into a temp dir, and starts the emulator running
// bootstrap with no verb and env (dayline picks the lambda verb from
// $AWS_LAMBDA_RUNTIME_API). It stops both when t ends.
func startEmulator(t *testing.T, env map[string]string) *emulator {
	t.Helper()
	if runtime.GOOS != "linux" {
		if requireRIE() {
			t.Fatalf("the Lambda Runtime Interface Emulator runs on Linux only, not %s", runtime.GOOS)
		}
		t.Skipf("the Lambda Runtime Interface Emulator runs on Linux only, not %s", runtime.GOOS)
	}
	dir := t.TempDir()
	rie, err := goBuild(dir, "aws-lambda-rie", riePackage)
	if err != nil {
		if requireRIE() {
			t.Fatalf("the Lambda Runtime Interface Emulator: %v", err)
		}
		t.Skipf("the Lambda Runtime Interface Emulator cannot be built (set CI=true or DAYLINE_REQUIRE_RIE=1 to fail instead): %v", err)
	}
	bootstrap, err := goBuild(dir, "bootstrap", "./cmd/dayline", "-tags", "lambda.norpc", "-trimpath")
	if err != nil {
		t.Fatal(err)
	}
	em, err := lambdaemu.Start(rie, bootstrap, dir, env)
	if err != nil {
		t.Fatal(err)
	}
	e := &emulator{em}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), hangTimeout) // a hang turned into a failure
		defer cancel()
		if err := e.Stop(ctx); err != nil {
			t.Error(err)
		}
		if t.Failed() {
			t.Logf("emulator and function output:\n%s", e.Output.String())
		}
	})
	ctx, cancel := context.WithTimeout(t.Context(), hangTimeout) // a hang turned into a failure
	defer cancel()
	// The next dial after 10 ms; no test result depends on it.
	if err := e.AwaitListening(ctx, 10*time.Millisecond); err != nil {
		t.Fatalf("%v; output:\n%s", err, e.Output.String())
	}
	return e
}

// invoke sends event as Lambda invocation requestID and returns the
// function's answer.
func (e *emulator) invoke(t *testing.T, event []byte, requestID string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), hangTimeout) // a hang turned into a failure
	defer cancel()
	b, err := e.Invoke(ctx, event, requestID)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// waitFor returns once the emulator's output contains text; it fails t
// when the emulator exits first or after hangTimeout.
func (e *emulator) waitFor(t *testing.T, text string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), hangTimeout) // a hang turned into a failure
	defer cancel()
	if err := e.Output.Await(ctx, e.Exited, func(out string) bool { return strings.Contains(out, text) }); err != nil {
		t.Fatalf("no %q: %v; output:\n%s", text, err, e.Output.String())
	}
}

// frontDoor makes the event of one front door for a GraphQL request.
type frontDoor struct {
	name    string
	fixture string // in lambda/testdata
	// set puts method, path, headers and body into the fixture's event.
	set func(ev map[string]any, headers map[string]string, body string)
}

// setV2 fills a payload 2.0 event (HTTP API, Function URL).
func setV2(ev map[string]any, headers map[string]string, body string) {
	ev["rawPath"], ev["rawQueryString"], ev["body"], ev["isBase64Encoded"] = "/graphql", "", body, false
	delete(ev, "queryStringParameters")
	rc := ev["requestContext"].(map[string]any)
	rc["stage"] = "$default"
	http := rc["http"].(map[string]any)
	http["method"], http["path"] = "POST", "/graphql"
	hs := map[string]any{}
	for k, v := range headers {
		hs[strings.ToLower(k)] = v
	}
	ev["headers"] = hs
}

// setV1 fills a payload 1.0 event (REST API; ALB with multi-value
// headers), the body in base64 as for a binary media type.
func setV1(ev map[string]any, headers map[string]string, body string) {
	ev["path"], ev["httpMethod"] = "/graphql", "POST"
	ev["body"], ev["isBase64Encoded"] = base64.StdEncoding.EncodeToString([]byte(body)), true
	delete(ev, "queryStringParameters")
	delete(ev, "multiValueQueryStringParameters")
	single, multi := map[string]any{}, map[string]any{}
	for k, v := range headers {
		single[k], multi[k] = v, []string{v}
	}
	if _, ok := ev["headers"]; ok {
		ev["headers"] = single
	}
	ev["multiValueHeaders"] = multi
}

var frontDoors = []frontDoor{
	{"apigateway-http-api", "apigw-v2-request.json", setV2},
	{"function-url", "lambda-url-request.json", setV2},
	{"apigateway-rest-api", "apigw-v1-request.json", setV1},
	{"alb", "alb-request-multivalue-headers.json", setV1},
}

// event is door's event POSTing query to /graphql, with token unless "".
func (d frontDoor) event(t *testing.T, token, query string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "lambda", "testdata", d.fixture))
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	headers := map[string]string{"Content-Type": "application/json", "Accept": "application/json"}
	if token != "" {
		headers["Authorization"] = "Bearer " + token
	}
	body, _ := json.Marshal(map[string]any{"query": query})
	d.set(ev, headers, string(body))
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// frontDoorAnswer holds what every front door's response has.
type frontDoorAnswer struct {
	StatusCode      int    `json:"statusCode"`
	Body            string `json:"body"`
	IsBase64Encoded bool   `json:"isBase64Encoded"`
}

// TestLambdaUnderEmulator runs the real bootstrap binary (built as make
// lambda builds it) under AWS's Lambda Runtime Interface Emulator, on the
// embedded store with seeded organisations and dev-mode tokens, and sends
// it GraphQL requests through each HTTP front door's event: typed data,
// the errorType of a denied field and of another organisation's schedule,
// a mutation, and a 401 without a token. The function's log lines carry
// each invocation's Lambda request id.
func TestLambdaUnderEmulator(t *testing.T) {
	dir := t.TempDir()
	db, secret := filepath.Join(dir, "dayline.db"), "lambda-e2e-page-token-secret"
	st, err := bolt.Open(db, store.NewPageTokens([]byte(secret)))
	if err != nil {
		t.Fatal(err)
	}
	seedTenants(t, st)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	issuer, err := auth.OpenLocalIssuer(dir, lambdaDevIssuer, lambdaDevClientID, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	member, err := issuer.Mint("a-member-1", []string{domain.GroupMembers}, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}

	rie := startEmulator(t, map[string]string{
		"DAYLINE_DATA": db, "DAYLINE_APPSYNC": "true", "DAYLINE_PAGE_TOKEN_SECRET": secret, "DAYLINE_LOG_LEVEL": "info",
		"AWS_LAMBDA_FUNCTION_TIMEOUT": "60",
	})

	type me struct {
		Me *struct {
			ID    string  `json:"id"`
			Name  string  `json:"name"`
			Role  string  `json:"role"`
			Email *string `json:"email"`
		} `json:"me"`
	}
	type completion struct {
		CompleteTask *struct {
			TaskID    string `json:"taskId"`
			Date      string `json:"date"`
			Completed bool   `json:"completed"`
		} `json:"completeTask"`
	}
	cases := []struct {
		name       string
		token      string
		query      string
		status     int
		errorTypes []string
		check      func(t *testing.T, r gqlResponse)
	}{
		{"me", member, `{ me { id name role } }`, 200, nil, func(t *testing.T, r gqlResponse) {
			if got := decodeData[me](t, r).Me; got == nil || got.ID != "a-member-1" || got.Name != "a member-1" || got.Role != "MEMBER" {
				t.Errorf("me = %+v; want a-member-1, a member-1, MEMBER", got)
			}
		}},
		{"denied field", member, `{ me { id email } }`, 200, []string{"Unauthorized"}, func(t *testing.T, r gqlResponse) {
			if got := decodeData[me](t, r).Me; got == nil || got.ID != "a-member-1" || got.Email != nil {
				t.Errorf("me = %+v; want a-member-1 without email", got)
			}
		}},
		{"another organisation's schedule", member, `{ schedule(id: "b-member-1-sched") { id title } }`, 200, []string{"NotFound"},
			func(t *testing.T, r gqlResponse) {
				if r.hasData("schedule") {
					t.Errorf("schedule of organisation b answered: %s", r.Raw)
				}
			}},
		{"mutation", member, `mutation { completeTask(taskId: "a-member-1-task-2", date: "` + testDay + `") { taskId date completed } }`, 200, nil,
			func(t *testing.T, r gqlResponse) {
				if got := decodeData[completion](t, r).CompleteTask; got == nil || got.TaskID != "a-member-1-task-2" || got.Date != testDay || !got.Completed {
					t.Errorf("completeTask = %+v; want a-member-1-task-2 completed on %s", got, testDay)
				}
			}},
		{"no token", "", `{ me { id } }`, 401, []string{"UnauthorizedException"}, func(t *testing.T, r gqlResponse) {
			if r.Data != nil {
				t.Errorf("data without a token: %s", r.Raw)
			}
		}},
	}
	for _, door := range frontDoors {
		t.Run(door.name, func(t *testing.T) {
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					requestID := "e2e-" + door.name + "-" + strings.ReplaceAll(tc.name, " ", "-")
					out := rie.invoke(t, door.event(t, tc.token, tc.query), requestID)
					var ans frontDoorAnswer
					if err := json.Unmarshal(out, &ans); err != nil {
						t.Fatalf("answer %s: %v", out, err)
					}
					var r gqlResponse
					if ans.IsBase64Encoded || r.decode([]byte(ans.Body)) != nil {
						t.Fatalf("answer %s: the body is not GraphQL JSON", out)
					}
					r.Status, r.Raw = ans.StatusCode, ans.Body
					if r.Status != tc.status || !slices.Equal(r.errorTypes(), tc.errorTypes) {
						t.Fatalf("status %d, errorTypes %q; want %d, %q: %s", r.Status, r.errorTypes(), tc.status, tc.errorTypes, r.Raw)
					}
					tc.check(t, r)
					rie.waitFor(t, `"lambda_request_id":"`+requestID+`"`)
				})
			}
		})
	}
	t.Run("AppSync", func(t *testing.T) { appSyncUnderEmulator(t, rie) })
	if strings.Contains(rie.Output.String(), member) {
		t.Error("the function logged a token")
	}
}

// appSyncUnderEmulator sends the function AppSync Direct Lambda events (in
// the Amplify simulator's shape, from appsync/testdata): an Invoke answers
// the field's value, or a function error whose errorType is the server's;
// a BatchInvoke answers one item per event.
func appSyncUnderEmulator(t *testing.T, rie *emulator) {
	fixture := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "appsync", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	t.Run("Invoke", func(t *testing.T) {
		var got struct {
			ID, Name, Role string
		}
		out := rie.invoke(t, fixture("simulator-invoke.json"), "e2e-appsync-invoke")
		if err := json.Unmarshal(out, &got); err != nil || got.ID != "a-member-1" || got.Role != "MEMBER" {
			t.Errorf("me = %s (%v); want a-member-1, MEMBER", out, err)
		}
	})
	t.Run("Invoke error", func(t *testing.T) {
		var ev map[string]any
		if err := json.Unmarshal(fixture("simulator-invoke.json"), &ev); err != nil {
			t.Fatal(err)
		}
		info, ok := ev["info"].(map[string]any)
		if !ok {
			t.Fatalf("fixture without info: %v", ev)
		}
		ev["arguments"], info["fieldName"] = map[string]any{"id": "b-member-1-sched"}, "schedule"
		event, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		var got struct{ ErrorType, ErrorMessage string }
		out := rie.invoke(t, event, "e2e-appsync-invoke-error")
		if err := json.Unmarshal(out, &got); err != nil || got.ErrorType != "NotFound" || got.ErrorMessage == "" {
			t.Errorf("schedule of organisation b = %s (%v); want a NotFound function error", out, err)
		}
	})
	t.Cleanup(func() {
		// The simulator's events carry the caller's raw token in
		// request.headers.authorization.
		if strings.Contains(rie.Output.String(), "eyJraWQiOiJFWEFNUExFIn0") {
			t.Error("the function logged an AppSync event's token")
		}
	})
	t.Run("BatchInvoke", func(t *testing.T) {
		var got []struct {
			Data      *struct{ ID, Name string }
			ErrorType *string
		}
		out := rie.invoke(t, fixture("simulator-batch-invoke.json"), "e2e-appsync-batch")
		if err := json.Unmarshal(out, &got); err != nil || len(got) != 1 || got[0].Data == nil || got[0].Data.ID != "a" || got[0].ErrorType != nil {
			t.Errorf("User.organisation batch = %s (%v); want one item, organisation a", out, err)
		}
	})
}
