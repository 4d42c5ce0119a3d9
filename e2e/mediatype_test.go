package e2e_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/server"
)

// acceptVariant is an Accept header and the media type it gets (406 when
// acceptable is false).
type acceptVariant struct {
	name       string
	accept     string // "" sends no Accept header
	media      api.MediaType
	acceptable bool
}

var acceptVariants = []acceptVariant{
	{"no Accept", "", api.MediaJSON, true},
	{"application/json", "application/json", api.MediaJSON, true},
	{"any", "*/*", api.MediaJSON, true},
	{"browser", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", api.MediaJSON, true},
	{"graphql-response+json", "application/graphql-response+json", api.MediaGraphQLResponse, true},
	{"Apollo Client 4", "application/graphql-response+json,application/json;q=0.9", api.MediaGraphQLResponse, true},
	{"spec's recommendation", "application/graphql-response+json; charset=utf-8, application/json; charset=utf-8", api.MediaGraphQLResponse, true},
	{"json listed first", "application/json, application/graphql-response+json", api.MediaJSON, true},
	{"json weighted lower", "application/json;q=0.5, application/graphql-response+json", api.MediaGraphQLResponse, true},
	{"neither: text/html", "text/html", api.MediaJSON, false},
	{"neither: q=0", "application/graphql-response+json;q=0, application/json;q=0", api.MediaJSON, false},
	{"neither: other charset", "application/json; charset=iso-8859-1", api.MediaJSON, false},
}

// requestCase is one kind of request, sent by POST or GET.
type requestCase struct {
	name        string
	query       string // the document, or the whole body when rawBody
	rawBody     bool   // POST query as the body, not in a JSON request
	variables   string // JSON variables (the GET parameter as is)
	contentType string // POST Content-Type; "" means application/json
	// status is the answer for application/json; statusGraphQLResponse,
	// when not 0, differs for application/graphql-response+json.
	status                int
	statusGraphQLResponse int
	hasData               bool
	errorType             string // "" when the answer has no errors
}

const varQuery = `query($id: ID!) { user(id: $id) { id } }`

var postCases = []requestCase{
	{name: "success", query: `{ me { id } }`, status: 200, hasData: true},
	{name: "__typename without introspection", query: `{ __typename }`, status: 200, hasData: true},
	{name: "field error", query: `{ me { id email } }`, status: 200, hasData: true, errorType: "Unauthorized"},
	{name: "parse error", query: `{ me { id `, status: 400, errorType: "BadRequest"},
	{name: "validation error", query: `{ me { nope } }`, status: 400, errorType: "BadRequest"},
	{name: "variable coercion error", query: varQuery, variables: `{"id":null}`, status: 400, errorType: "BadRequest"},
	{name: "bad JSON", query: `{"query": "{ me { id } }"`, rawBody: true, status: 400, errorType: "BadRequest"},
	{name: "unsupported media type", query: `{ me { id } }`, contentType: "text/plain", status: 415, errorType: "BadRequest"},
	{name: "executed without data (subscription)", query: `subscription { onTaskCompleted(ownerId: "a-member-1") { taskId } }`,
		status: 200, statusGraphQLResponse: 400, errorType: "BadRequest"},
}

var getCases = []requestCase{
	{name: "success", query: `{ me { id } }`, status: 200, hasData: true},
	{name: "__typename without introspection", query: `{ __typename }`, status: 200, hasData: true},
	{name: "field error", query: `{ me { id email } }`, status: 200, hasData: true, errorType: "Unauthorized"},
	{name: "parse error", query: `{ me { id `, status: 400, errorType: "BadRequest"},
	{name: "validation error", query: `{ me { nope } }`, status: 400, errorType: "BadRequest"},
	{name: "variable coercion error", query: varQuery, variables: `{"id":null}`, status: 400, errorType: "BadRequest"},
	{name: "bad JSON variables", query: varQuery, variables: `{"id":`, status: 400, errorType: "BadRequest"},
	{name: "mutation", query: `mutation { __typename }`, status: 405, errorType: "BadRequest"},
}

// mediaResponse is an answer with the headers these tests check.
type mediaResponse struct {
	status      int
	contentType string
	vary        []string
	body        struct {
		Data   *json.RawMessage `json:"data"`
		Errors []gqlError       `json:"errors"`
	}
	raw string
}

func sendForMedia(t *testing.T, req *http.Request) mediaResponse {
	t.Helper()
	r, h := sendKeepingHeaders(t, req)
	out := mediaResponse{status: r.Status, contentType: h.Get("Content-Type"), vary: h.Values("Vary"), raw: r.Raw}
	if err := json.Unmarshal([]byte(r.Raw), &out.body); err != nil {
		t.Fatalf("body is not a JSON GraphQL response (status %d): %s", r.Status, r.Raw)
	}
	return out
}

// TestResponseMediaTypes: every Accept variant times every kind of request,
// by POST and by GET, answers the negotiated media type (with
// charset=utf-8) and the status the GraphQL-over-HTTP spec gives it, or
// 406 when the client accepts neither media type. The transport does not
// depend on the store, so the embedded one serves. Introspection is off:
// { __typename } is no introspection.
func TestResponseMediaTypes(t *testing.T) {
	e := newEnv(t, openBolt, func(a *api.Config, _ *server.Config) { a.Introspection = false })
	token := e.token("a-member-1")
	methods := []struct {
		method string
		cases  []requestCase
		build  func(t *testing.T, rc requestCase) *http.Request
	}{
		{http.MethodPost, postCases, func(t *testing.T, rc requestCase) *http.Request {
			body := rc.query
			if !rc.rawBody {
				vars := map[string]any{}
				if rc.variables != "" {
					if err := json.Unmarshal([]byte(rc.variables), &vars); err != nil {
						t.Fatal(err)
					}
				}
				body = gqlBody(t, rc.query, vars)
			}
			req, err := http.NewRequest(http.MethodPost, e.URL+"/graphql", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			ct := rc.contentType
			if ct == "" {
				ct = "application/json"
			}
			req.Header.Set("Content-Type", ct)
			return req
		}},
		{http.MethodGet, getCases, func(t *testing.T, rc requestCase) *http.Request {
			q := url.Values{"query": {rc.query}}
			if rc.variables != "" {
				q.Set("variables", rc.variables)
			}
			req, err := http.NewRequest(http.MethodGet, e.URL+"/graphql?"+q.Encode(), nil)
			if err != nil {
				t.Fatal(err)
			}
			return req
		}},
	}
	for _, m := range methods {
		t.Run(m.method, func(t *testing.T) {
			for _, rc := range m.cases {
				t.Run(rc.name, func(t *testing.T) {
					for _, av := range acceptVariants {
						t.Run(av.name, func(t *testing.T) {
							req := m.build(t, rc)
							req.Header.Set("Authorization", "Bearer "+token)
							if av.accept != "" {
								req.Header.Set("Accept", av.accept)
							}
							r := sendForMedia(t, req)
							checkMediaResponse(t, r, rc, av)
						})
					}
				})
			}
		})
	}
}

func checkMediaResponse(t *testing.T, r mediaResponse, rc requestCase, av acceptVariant) {
	t.Helper()
	wantStatus, wantType, wantData, wantError := rc.status, av.media.ContentType(), rc.hasData, rc.errorType
	if av.media == api.MediaGraphQLResponse && rc.statusGraphQLResponse != 0 {
		wantStatus = rc.statusGraphQLResponse
	}
	if !av.acceptable {
		wantStatus, wantType, wantData, wantError = http.StatusNotAcceptable, api.MediaJSON.ContentType(), false, "BadRequest"
	}
	if r.status != wantStatus {
		t.Errorf("status %d, want %d: %s", r.status, wantStatus, r.raw)
	}
	if r.contentType != wantType {
		t.Errorf("Content-Type %q, want %q", r.contentType, wantType)
	}
	if !strings.Contains(strings.Join(r.vary, ","), "Accept") {
		t.Errorf("Vary %q does not name Accept", r.vary)
	}
	if hasData := r.body.Data != nil; hasData != wantData {
		t.Errorf("data present: %v, want %v: %s", hasData, wantData, r.raw)
	}
	switch {
	case wantError == "" && len(r.body.Errors) > 0:
		t.Errorf("unexpected errors: %s", r.raw)
	case wantError != "" && (len(r.body.Errors) == 0 || r.body.Errors[0].ErrorType != wantError):
		t.Errorf("want a %s error: %s", wantError, r.raw)
	}
}

// TestNotAcceptableMessage: the 406 says which media types there are.
func TestNotAcceptableMessage(t *testing.T) {
	e := newEnv(t, openBolt)
	req, err := http.NewRequest(http.MethodPost, e.URL+"/graphql", strings.NewReader(gqlBody(t, `{ me { id } }`, nil)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Authorization", "Bearer "+e.token("a-admin"))
	r := sendForMedia(t, req)
	if r.status != http.StatusNotAcceptable || len(r.body.Errors) != 1 {
		t.Fatalf("want 406 with one error: %d %s", r.status, r.raw)
	}
	for _, mt := range []string{"application/graphql-response+json", "application/json"} {
		if !strings.Contains(r.body.Errors[0].Message, mt) {
			t.Errorf("message %q does not name %s", r.body.Errors[0].Message, mt)
		}
	}
}

// TestRequestCharset: POST bodies are UTF-8; a body declared in another
// charset is refused with 415, one declared UTF-8 (any case) is served.
func TestRequestCharset(t *testing.T) {
	e := newEnv(t, openBolt)
	token := e.token("a-admin")
	cases := []struct {
		contentType string
		status      int
	}{
		{"application/json", 200},
		{"application/json; charset=utf-8", 200},
		{"application/json; charset=UTF-8", 200},
		{"application/json; charset=iso-8859-1", 415},
		{"application/json; charset=utf-16", 415},
	}
	for _, tc := range cases {
		t.Run(tc.contentType, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, e.URL+"/graphql", strings.NewReader(gqlBody(t, `{ me { id } }`, nil)))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", tc.contentType)
			req.Header.Set("Authorization", "Bearer "+token)
			if r := sendForMedia(t, req); r.status != tc.status {
				t.Errorf("status %d, want %d: %s", r.status, tc.status, r.raw)
			}
		})
	}
}
