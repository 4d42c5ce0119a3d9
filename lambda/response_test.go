package lambda

import (
	"encoding/base64"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// answering returns a Handler whose HTTP handler answers with status,
// headers (each value added in order) and body.
func answering(status int, header map[string][]string, body []byte) *Handler {
	return New(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for k, vs := range header {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		if status != 0 {
			w.WriteHeader(status)
		}
		_, _ = w.Write(body)
	}), nil)
}

// invokeAs invokes h with the fixture and decodes the answer into R.
func invokeAs[R any](t *testing.T, h *Handler, name string) R {
	t.Helper()
	out, err := h.Invoke(t.Context(), fixture(t, name))
	if err != nil {
		t.Fatal(err)
	}
	var r R
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("decode %s answer %s: %v", name, out, err)
	}
	return r
}

var jsonAnswer = map[string][]string{
	"Content-Type": {"application/json"},
	"X-Multi":      {"a", "b"},
	"Set-Cookie":   {"c1=1; Path=/", "c2=2; Path=/"},
}

func TestResponsePayload2(t *testing.T) {
	h := answering(http.StatusCreated, jsonAnswer, []byte(`{"ok":true}`))
	for _, name := range []string{"apigw-v2-request.json", "lambda-url-request.json"} {
		t.Run(name, func(t *testing.T) {
			r := invokeAs[events.LambdaFunctionURLResponse](t, h, name)
			wantHeaders := map[string]string{"Content-Type": "application/json", "X-Multi": "a,b"}
			if r.StatusCode != 201 || !maps.Equal(r.Headers, wantHeaders) || r.Body != `{"ok":true}` || r.IsBase64Encoded {
				t.Errorf("answer %+v; want 201, headers %v, the body as text", r, wantHeaders)
			}
			if !slices.Equal(r.Cookies, jsonAnswer["Set-Cookie"]) {
				t.Errorf("cookies %q, want %q", r.Cookies, jsonAnswer["Set-Cookie"])
			}
		})
	}
}

func TestResponseRESTAPI(t *testing.T) {
	r := invokeAs[events.APIGatewayProxyResponse](t, answering(http.StatusCreated, jsonAnswer, []byte(`{"ok":true}`)), "apigw-v1-request.json")
	if r.StatusCode != 201 || r.Body != `{"ok":true}` || r.IsBase64Encoded || len(r.Headers) != 0 {
		t.Errorf("answer %+v; want 201, the body as text, every header multi-valued", r)
	}
	if !maps.EqualFunc(r.MultiValueHeaders, jsonAnswer, slices.Equal[[]string]) {
		t.Errorf("multiValueHeaders %v, want %v", r.MultiValueHeaders, jsonAnswer)
	}
}

func TestResponseALB(t *testing.T) {
	h := answering(http.StatusCreated, jsonAnswer, []byte(`{"ok":true}`))
	t.Run("multi-value headers", func(t *testing.T) {
		r := invokeAs[events.ALBTargetGroupResponse](t, h, "alb-request-multivalue-headers.json")
		if r.StatusCode != 201 || r.StatusDescription != "201 Created" || r.Body != `{"ok":true}` || len(r.Headers) != 0 {
			t.Errorf("answer %+v; want 201 Created, the body, multi-valued headers only", r)
		}
		if !maps.EqualFunc(r.MultiValueHeaders, jsonAnswer, slices.Equal[[]string]) {
			t.Errorf("multiValueHeaders %v, want %v", r.MultiValueHeaders, jsonAnswer)
		}
	})
	t.Run("single headers", func(t *testing.T) {
		r := invokeAs[events.ALBTargetGroupResponse](t, h, "alb-request-headers-only.json")
		want := map[string]string{"Content-Type": "application/json", "X-Multi": "a,b", "Set-Cookie": "c2=2; Path=/"}
		if r.StatusCode != 201 || !maps.Equal(r.Headers, want) || len(r.MultiValueHeaders) != 0 {
			t.Errorf("answer %+v; want headers %v only", r, want)
		}
	})
}

func TestResponseBodies(t *testing.T) {
	png := []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0xff, 0x00}
	tests := []struct {
		name        string
		header      map[string][]string
		body        []byte
		status      int
		contentType string
		isBase64    bool
	}{
		{"JSON", map[string][]string{"Content-Type": {"application/graphql-response+json; charset=utf-8"}}, []byte(`{"data":{}}`), 200, "application/graphql-response+json; charset=utf-8", false},
		{"HTML", map[string][]string{"Content-Type": {"text/html; charset=utf-8"}}, []byte("<p>hi</p>"), 200, "text/html; charset=utf-8", false},
		{"binary type", map[string][]string{"Content-Type": {"image/png"}}, png, 200, "image/png", true},
		{"text type, bytes not UTF-8", map[string][]string{"Content-Type": {"text/plain"}}, []byte{'a', 0xff}, 200, "text/plain", true},
		{"no type: sniffed", nil, []byte("plain words"), 200, "text/plain; charset=utf-8", false},
		{"nothing written", nil, nil, 200, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := invokeAs[events.LambdaFunctionURLResponse](t, answering(0, tc.header, tc.body), "apigw-v2-request.json")
			if r.StatusCode != tc.status || r.Headers["Content-Type"] != tc.contentType || r.IsBase64Encoded != tc.isBase64 {
				t.Fatalf("answer %+v; want status %d, Content-Type %q, base64 %v", r, tc.status, tc.contentType, tc.isBase64)
			}
			body := []byte(r.Body)
			if r.IsBase64Encoded {
				var err error
				if body, err = base64.StdEncoding.DecodeString(r.Body); err != nil {
					t.Fatal(err)
				}
			}
			if string(body) != string(tc.body) {
				t.Errorf("body %q, want %q", body, tc.body)
			}
		})
	}
}
