package e2e_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
)

// The parity suite: one table of GraphQL requests, each with its caller,
// the data and the errors (errorType and path) it must answer, sent through
// every way into Dayline:
//
//   - server: the standalone server over HTTP (newEnv);
//   - lambda/<front door>: the real bootstrap binary under AWS's Lambda
//     Runtime Interface Emulator, fed each HTTP front door's event
//     (API Gateway HTTP API, Function URL, REST API, ALB);
//   - appsync: the Amplify AppSync simulator loading schema.graphql
//     unchanged, with Direct-Lambda-style resolvers on exactly
//     appsync.ResolverFields(), invoking the real bootstrap under the
//     emulator (scripts/appsync-sim/sim.js).
//
// Every mode gets its own store, seeded alike (seedTenants), so a
// mutation in one mode never changes what another mode reads; within a
// mode the cases run in table order, and a mutation changes nothing a
// later case reads. Tokens are signed by the test issuer, whose
// Cognito-like issuer URL the simulator needs; the server and the Lambda
// verify them against its JWKS (the simulator does not verify them).
//
// Known differences between the simulator and AWS AppSync, and the only
// normalisation the suite applies (docs/appsync-mode.md keeps the same
// list):
//
//  1. The simulator does not verify JWT signatures: any decodable JWT
//     whose issuer starts with https://cognito-idp. passes. The suite
//     sends valid tokens only (so nothing to normalise).
//  2. It sends no identity.groups (groups only in
//     claims["cognito:groups"]), sourceIp as a string, an extra
//     identity["cognito:username"] and no request.domainName; Dayline's
//     event decoding accepts both shapes (nothing to normalise).
//  3. BatchInvoke has no size limit (AWS: maxBatchSize, at most 2000);
//     Dayline splits large batches itself (nothing to normalise).
//  4. Its scalar checks are stricter than AppSync's: AWSTime needs
//     seconds and an offset and AWSDate rejects a `Z` offset, on input
//     and output. Task.startTime (`07:00`, valid for AppSync) fails the
//     simulator's AWSTime serializer, so the table selects no AWSTime
//     output and sends no AWSTime input (nothing to normalise).
//  5. Function errors (an AppSync difference, not the simulator's): AWS
//     AppSync reports an Invoke field's function error as errorType
//     "Lambda:Unhandled" with the function's message, whatever errorType
//     the function answered; sim.js's data source does the same. A
//     BatchInvoke item's errorType reaches clients (through
//     appsync.BatchResponseTemplate). So in the appsync mode a root
//     field's error (path of one field: an Invoke field) is expected as
//     Lambda:Unhandled, unless AppSync raised it itself (a field
//     directive's denial, worded as the server words it), and every
//     nested field's with the server's errorType (invokeErrors).
//  6. Its AWSDateTime serializer rewrites every value in UTC
//     (2026-03-30T07:00:00+02:00 becomes 2026-03-30T05:00:00Z); AppSync
//     returns the resolver's string. In the simulator's answers the suite
//     compares AWSDateTime values as instants (sameInstants), the only
//     normalisation of simulator output.

// paritySecret signs the page tokens of every mode's store.
const paritySecret = "parity-page-token-secret"

// parityCase is one request of the table and what every mode must answer.
type parityCase struct {
	name string
	as   string // the caller: a seeded user id; "" sends no token
	// query may hold pageTokenSlot, replaced by the last nextToken this
	// mode answered (as a GraphQL string).
	query  string
	status int    // the HTTP status; 0 means 200
	data   string // the data as JSON; "" when the answer has no data
	// errors lists each error as "errorType path" (path dotted, list
	// indexes in brackets), in any order.
	errors []string
}

// pageTokenSlot in a case's query stands for the previous page's nextToken.
const pageTokenSlot = "<nextToken>"

// parityMode sends one case's query as a caller's token.
type parityMode struct {
	name string
	// start readies the mode (its store, processes) and returns its sender.
	start func(t *testing.T) func(t *testing.T, token, query string) gqlResponse
	// known normalises a known difference (see the top of this file) in
	// both the answer's and the case's data; nil for none.
	known func(v any) any
	// invokeErrors: root fields' errors are Lambda:Unhandled (known
	// difference 5).
	invokeErrors bool
}

// TestParity runs parityCases through every mode (see the top of this
// file). The modes run in parallel, each with its own store and
// processes; a mode's cases run in order.
func TestParity(t *testing.T) {
	e := newEnv(t, openBolt)
	jwks := httptest.NewServer(e.Issuer.JWKSHandler())
	t.Cleanup(jwks.Close)
	tokens := map[string]string{"": ""}
	for _, c := range parityCases {
		if _, ok := tokens[c.as]; !ok {
			tokens[c.as] = e.token(c.as)
		}
	}

	lambda := func(t *testing.T) *emulator {
		return startParityLambda(t, jwks.URL)
	}
	modes := []parityMode{{"server", func(t *testing.T) func(*testing.T, string, string) gqlResponse {
		return func(t *testing.T, token, query string) gqlResponse {
			return envForSubtest(e, t).post(token, query, nil)
		}
	}, nil, false}}
	for _, door := range frontDoors {
		modes = append(modes, parityMode{"lambda/" + door.name, func(t *testing.T) func(*testing.T, string, string) gqlResponse {
			rie := lambda(t)
			return func(t *testing.T, token, query string) gqlResponse {
				return frontDoorPost(t, rie, door, token, query)
			}
		}, nil, false})
	}
	modes = append(modes, parityMode{"appsync", func(t *testing.T) func(*testing.T, string, string) gqlResponse {
		sim := startAppSyncSimulator(t, lambda(t))
		return sim.post
	}, sameInstants, true})

	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			send := m.start(t)
			lastToken := ""
			for _, c := range parityCases {
				t.Run(c.name, func(t *testing.T) {
					query := strings.ReplaceAll(c.query, pageTokenSlot, jsonString(t, lastToken))
					r := send(t, tokens[c.as], query)
					if tok := pageToken(r); tok != "" {
						lastToken = tok
					}
					checkParity(t, c, r, m.known, m.invokeErrors)
				})
			}
		})
	}
}

// checkParity fails t unless r answers c's status, data and errors, with
// the data of both passed through known (unless nil) and, with
// invokeErrors, root fields' errors expected as Lambda:Unhandled.
func checkParity(t *testing.T, c parityCase, r gqlResponse, known func(any) any, invokeErrors bool) {
	t.Helper()
	want := c.status
	if want == 0 {
		want = http.StatusOK
	}
	if r.Status != want {
		t.Errorf("status %d, want %d: %s", r.Status, want, r.Raw)
	}
	var body struct {
		Data any `json:"data"`
	}
	if err := json.Unmarshal([]byte(r.Raw), &body); err != nil {
		t.Fatalf("answer is not JSON: %s", r.Raw)
	}
	got := normalise(body.Data)
	var wantData any
	if c.data != "" {
		if err := json.Unmarshal([]byte(c.data), &wantData); err != nil {
			t.Fatalf("the case's data is not JSON: %v", err)
		}
	}
	if known != nil {
		got, wantData = known(got), known(wantData)
	}
	if !reflect.DeepEqual(got, wantData) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(wantData)
		t.Errorf("data\n got %s\nwant %s\nanswer: %s", g, w, r.Raw)
	}
	var errs []string
	for _, e := range r.Errors {
		errs = append(errs, strings.TrimSpace(e.ErrorType+" "+e.Path.String()))
	}
	slices.Sort(errs)
	// A root field's error comes from its Invoke (Lambda:Unhandled), unless
	// AppSync raised it itself: a token refused, or a field directive's
	// denial, which AppSync words as the server does.
	deniedHere := map[string]bool{}
	for _, e := range r.Errors {
		deniedHere[e.Path.String()] = strings.HasPrefix(e.Message, "Not Authorized to access ")
	}
	wantErrs := slices.Clone(c.errors)
	for i, e := range wantErrs {
		typ, path, ok := strings.Cut(e, " ")
		if invokeErrors && ok && typ != "UnauthorizedException" && !strings.ContainsAny(path, ".[") && !deniedHere[path] {
			wantErrs[i] = "Lambda:Unhandled " + path
		}
	}
	slices.Sort(wantErrs)
	if !slices.Equal(errs, wantErrs) {
		t.Errorf("errors %q, want %q: %s", errs, wantErrs, r.Raw)
	}
}

// normalise replaces every nextToken string in v (page tokens are opaque,
// and differ by store) with pageTokenSlot.
func normalise(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if _, ok := x.(string); ok && k == "nextToken" {
				v[k] = pageTokenSlot
				continue
			}
			v[k] = normalise(x)
		}
	case []any:
		for i, x := range v {
			v[i] = normalise(x)
		}
	}
	return v
}

// dateTime matches the start of an AWSDateTime value.
var dateTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}`)

// sameInstants rewrites every AWSDateTime string in v in UTC, so that
// values naming the same instant compare equal (known difference 6).
func sameInstants(v any) any {
	switch v := v.(type) {
	case string:
		if at, err := time.Parse(time.RFC3339Nano, v); err == nil && dateTime.MatchString(v) {
			return at.UTC().Format(time.RFC3339Nano)
		}
	case map[string]any:
		for k, x := range v {
			v[k] = sameInstants(x)
		}
	case []any:
		for i, x := range v {
			v[i] = sameInstants(x)
		}
	}
	return v
}

// pageToken returns the first nextToken string in r's data, or "".
func pageToken(r gqlResponse) string {
	var body struct {
		Data any `json:"data"`
	}
	if json.Unmarshal([]byte(r.Raw), &body) != nil {
		return ""
	}
	var find func(v any) string
	find = func(v any) string {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v["nextToken"].(string); ok {
				return s
			}
			for _, x := range v {
				if s := find(x); s != "" {
					return s
				}
			}
		case []any:
			for _, x := range v {
				if s := find(x); s != "" {
					return s
				}
			}
		}
		return ""
	}
	return find(body.Data)
}

func jsonString(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// startParityLambda starts the real bootstrap under the emulator on a
// fresh, seeded embedded store, verifying tokens of the test issuer
// against jwksURL.
func startParityLambda(t *testing.T, jwksURL string) *emulator {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "dayline.db")
	st, err := bolt.Open(db, store.NewPageTokens([]byte(paritySecret)))
	if err != nil {
		t.Fatal(err)
	}
	seedTenants(t, st)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return startEmulator(t, map[string]string{
		"DAYLINE_DATA": db, "DAYLINE_PAGE_TOKEN_SECRET": paritySecret, "DAYLINE_APPSYNC": "true",
		"DAYLINE_OIDC_ISSUER": testIssuer, "DAYLINE_OIDC_JWKS_URL": jwksURL, "DAYLINE_OIDC_CLIENT_IDS": testClientID,
		"AWS_LAMBDA_FUNCTION_TIMEOUT": "60",
	})
}

// frontDoorPost sends query through door's event to the function under
// rie and returns the GraphQL answer in the event's response.
func frontDoorPost(t *testing.T, rie *emulator, door frontDoor, token, query string) gqlResponse {
	t.Helper()
	out := rie.invoke(t, door.event(t, token, query), "parity-"+strings.ReplaceAll(t.Name(), "/", "-"))
	var ans frontDoorAnswer
	if err := json.Unmarshal(out, &ans); err != nil {
		t.Fatalf("answer %s: %v", out, err)
	}
	r := gqlResponse{Status: ans.StatusCode, Raw: ans.Body}
	if ans.IsBase64Encoded || r.decode([]byte(ans.Body)) != nil {
		t.Fatalf("answer %s: the body is not GraphQL JSON", out)
	}
	return r
}
