package lambda

import (
	"context"
	"io"
	"maps"
	"net/http"
	"slices"
	"testing"
	"time"
)

// seenRequest is what the HTTP handler saw of a request.
type seenRequest struct {
	method, path, host, remoteAddr, body string
	query                                map[string][]string
	header                               http.Header
	cookies                              map[string]string
	door                                 FrontDoor
	deadline                             time.Time
}

// recordRequests returns a Handler whose HTTP handler records the request
// it serves into *seen.
func recordRequests(t *testing.T, seen *seenRequest) *Handler {
	t.Helper()
	return New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("read body: %v", err)
		}
		door, err := FrontDoorFrom(r.Context())
		if err != nil {
			t.Errorf("FrontDoorFrom: %v", err)
		}
		cookies := map[string]string{}
		for _, c := range r.Cookies() {
			cookies[c.Name] = c.Value
		}
		deadline, _ := r.Context().Deadline()
		*seen = seenRequest{
			method: r.Method, path: r.URL.Path, host: r.Host, remoteAddr: r.RemoteAddr, body: string(body),
			query: r.URL.Query(), header: r.Header, cookies: cookies, door: door, deadline: deadline,
		}
	}), nil)
}

const graphqlBody = `{"query":"{ me { id } }"}`

func TestRequestMapping(t *testing.T) {
	tests := []struct {
		fixture    string
		method     string
		path       string
		query      map[string][]string
		header     map[string][]string // checked names only
		cookies    map[string]string
		body       string
		host       string
		remoteAddr string
		door       FrontDoor
	}{
		{fixture: "apigw-v2-request.json", method: "POST", path: "/graphql",
			query: map[string][]string{"tag": {"a", "b c"}},
			header: map[string][]string{
				"Authorization": {"Bearer token-v2"}, "Content-Type": {"application/json"},
				"X-Multi": {"one,two"}, "Cookie": {"session=abc; theme=dark"},
			},
			cookies: map[string]string{"session": "abc", "theme": "dark"},
			body:    graphqlBody, host: "r3pmxmplak.execute-api.us-east-2.amazonaws.com", remoteAddr: "205.255.255.176",
			door: FrontDoor{Kind: KindHTTPAPI, RequestID: "JKJaXmPLvHcESHA=", SourceIP: "205.255.255.176"}},
		{fixture: "apigw-v2-request-base64.json", method: "POST", path: "/graphql", // the stage (/prod) left out
			query:  map[string][]string{},
			header: map[string][]string{"Authorization": {"Bearer token-v2"}, "Cookie": nil},
			body:   graphqlBody, host: "r3pmxmplak.execute-api.us-east-2.amazonaws.com", remoteAddr: "205.255.255.176",
			door: FrontDoor{Kind: KindHTTPAPI, RequestID: "JKJaXmPLvHcESHB=", SourceIP: "205.255.255.176"}},
		{fixture: "lambda-url-request.json", method: "GET", path: "/graphql",
			query: map[string][]string{"query": {"{ me { id } }"}, "parameter1": {"value1", "value2"}},
			header: map[string][]string{
				"Authorization": {"Bearer token-url"}, "Header2": {"value1,value2"}, "Cookie": {"cookie1; cookie2=two"},
			},
			cookies: map[string]string{"cookie1": "", "cookie2": "two"},
			host:    "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6.lambda-url.us-west-2.on.aws", remoteAddr: "123.123.123.123",
			door: FrontDoor{Kind: KindFunctionURL, RequestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", SourceIP: "123.123.123.123"}},
		{fixture: "apigw-v1-request.json", method: "POST", path: "/graphql",
			query: map[string][]string{"tag": {"a", "b c"}},
			header: map[string][]string{
				"Authorization": {"Bearer token-v1"}, "X-Multi": {"one", "two"}, "Cookie": {"session=abc; theme=dark"},
			},
			cookies: map[string]string{"session": "abc", "theme": "dark"},
			body:    graphqlBody, host: "1234567890.execute-api.us-east-1.amazonaws.com", remoteAddr: "192.0.2.1",
			door: FrontDoor{Kind: KindRESTAPI, RequestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", SourceIP: "192.0.2.1"}},
		{fixture: "apigw-v1-request-base64.json", method: "POST", path: "/graphql",
			query:  map[string][]string{"tag": {"a", "b c"}},
			header: map[string][]string{"Authorization": {"Bearer token-v1"}},
			body:   graphqlBody, host: "1234567890.execute-api.us-east-1.amazonaws.com", remoteAddr: "192.0.2.1",
			door: FrontDoor{Kind: KindRESTAPI, RequestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbee2", SourceIP: "192.0.2.1"}},
		{fixture: "alb-request-multivalue-headers.json", method: "POST", path: "/graphql",
			query: map[string][]string{"tag": {"a", "b c"}},
			header: map[string][]string{
				"Authorization": {"Bearer token-alb"}, "X-Multi": {"one", "two"}, "X-Forwarded-For": {"72.12.164.125"},
			},
			cookies: map[string]string{"session": "abc", "theme": "dark"},
			body:    graphqlBody, host: "lambda-alb-123578498.us-east-1.elb.amazonaws.com",
			door: FrontDoor{Kind: KindALB}},
		{fixture: "alb-request-headers-only.json", method: "GET", path: "/healthz",
			query:  map[string][]string{"q": {"a b"}},
			header: map[string][]string{"X-Multi": {"one, two"}, "Authorization": nil},
			host:   "lambda-alb-123578498.us-east-1.elb.amazonaws.com",
			door:   FrontDoor{Kind: KindALB}},
	}
	for _, tc := range tests {
		t.Run(tc.fixture, func(t *testing.T) {
			var seen seenRequest
			if _, err := recordRequests(t, &seen).Invoke(t.Context(), fixture(t, tc.fixture)); err != nil {
				t.Fatal(err)
			}
			if seen.method != tc.method || seen.path != tc.path || seen.body != tc.body {
				t.Errorf("request %s %s body %q; want %s %s body %q", seen.method, seen.path, seen.body, tc.method, tc.path, tc.body)
			}
			if !maps.EqualFunc(seen.query, tc.query, slices.Equal[[]string]) {
				t.Errorf("query %v, want %v", seen.query, tc.query)
			}
			for name, want := range tc.header {
				if got := seen.header.Values(name); !slices.Equal(got, want) {
					t.Errorf("header %s = %q, want %q", name, got, want)
				}
			}
			if seen.header.Get("Host") != "" {
				t.Errorf("Host stayed in the header map; net/http moves it to r.Host")
			}
			if tc.cookies != nil && !maps.Equal(seen.cookies, tc.cookies) {
				t.Errorf("cookies %v, want %v", seen.cookies, tc.cookies)
			}
			if seen.host != tc.host || seen.remoteAddr != tc.remoteAddr {
				t.Errorf("host %q, remote address %q; want %q, %q", seen.host, seen.remoteAddr, tc.host, tc.remoteAddr)
			}
			if seen.door != tc.door {
				t.Errorf("front door %+v, want %+v", seen.door, tc.door)
			}
		})
	}
}

// TestSpoofedRequestContext: headers that other adapters read as API
// Gateway's request context (aws-lambda-go-api-proxy adds its context
// header with Header.Add, so a client's one comes first) are ordinary
// headers here: the front door comes from the event's requestContext only.
func TestSpoofedRequestContext(t *testing.T) {
	var seen seenRequest
	if _, err := recordRequests(t, &seen).Invoke(t.Context(), fixture(t, "apigw-v2-request-spoofed-context.json")); err != nil {
		t.Fatal(err)
	}
	want := FrontDoor{Kind: KindHTTPAPI, RequestID: "JKJaXmPLvHcESHA=", SourceIP: "205.255.255.176"}
	if seen.door != want || seen.remoteAddr != want.SourceIP {
		t.Errorf("front door %+v, remote address %q; want %+v from the event's requestContext", seen.door, seen.remoteAddr, want)
	}
	if _, err := FrontDoorFrom(context.Background()); err == nil {
		t.Error("FrontDoorFrom of a context without one: no error")
	}
}

// TestInvocationDeadline: the request's context ends answerReserve before
// the invocation's does.
func TestInvocationDeadline(t *testing.T) {
	deadline := time.Date(2099, 1, 2, 3, 4, 5, 0, time.UTC)
	ctx, cancel := context.WithDeadline(t.Context(), deadline)
	defer cancel()
	var seen seenRequest
	if _, err := recordRequests(t, &seen).Invoke(ctx, fixture(t, "apigw-v2-request.json")); err != nil {
		t.Fatal(err)
	}
	if want := deadline.Add(-answerReserve); !seen.deadline.Equal(want) {
		t.Errorf("request deadline %v, want %v (the invocation's, less answerReserve)", seen.deadline, want)
	}
}

func TestBadBase64Body(t *testing.T) {
	var seen seenRequest
	h := recordRequests(t, &seen)
	_, err := h.Invoke(t.Context(), []byte(`{"version":"2.0","rawPath":"/graphql","requestContext":{"http":{"method":"POST"}},"body":"%%%","isBase64Encoded":true}`))
	if err == nil {
		t.Fatal("a body that is not base64: no error")
	}
}
