package lambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/dayline/dayline/api"
)

// invokeHTTP serves an HTTP front-door event of kind k with the HTTP
// handler, under ctx (the invocation's deadline), and encodes its answer as
// the front door expects. A panic while serving (outside the handler's own
// recovery) answers 500 in Dayline's error body.
func (h *Handler) invokeHTTP(ctx context.Context, k Kind, payload []byte) ([]byte, error) {
	ev, err := decodeHTTPEvent(k, payload)
	if err != nil {
		var ue *UnsupportedEventError
		if !errors.As(err, &ue) {
			err = &UnsupportedEventError{Reason: fmt.Sprintf("a %s event whose fields do not decode", k)}
		}
		return nil, err
	}
	r, err := ev.newRequest(ctx)
	if err != nil {
		return nil, err
	}
	w := newResponseBuffer()
	h.serve(w, r)
	return json.Marshal(ev.response(w))
}

// serve runs the HTTP handler, recovering a panic it lets through.
func (h *Handler) serve(w *responseBuffer, r *http.Request) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		w.reset()
		api.WritePanic(r.Context(), w, h.logger, p)
	}()
	h.http.ServeHTTP(w, r)
}

// responseBuffer is the http.ResponseWriter of one event: the front door
// takes the whole response at once.
type responseBuffer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newResponseBuffer() *responseBuffer { return &responseBuffer{header: http.Header{}} }

func (b *responseBuffer) Header() http.Header { return b.header }

func (b *responseBuffer) WriteHeader(code int) {
	if b.status == 0 && code >= 200 { // 1xx are informational: the final status comes later
		b.status = code
	}
}

func (b *responseBuffer) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.WriteHeader(http.StatusOK)
	}
	return b.body.Write(p)
}

// reset drops what was written, for an error answer instead.
func (b *responseBuffer) reset() {
	b.header = http.Header{}
	b.status = 0
	b.body.Reset()
}

// finish completes the response as net/http's server would: status 200 if
// none was written, a sniffed Content-Type if none was set.
func (b *responseBuffer) finish() {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	if b.body.Len() > 0 && b.header.Get("Content-Type") == "" {
		b.header.Set("Content-Type", http.DetectContentType(b.body.Bytes()))
	}
}

// encodedBody is the body as the front door takes it: text as it is,
// anything else (binary types, bytes that are not UTF-8) in base64.
func (b *responseBuffer) encodedBody() (body string, isBase64 bool) {
	raw := b.body.Bytes()
	if len(raw) == 0 {
		return "", false
	}
	if textual(b.header.Get("Content-Type")) && utf8.Valid(raw) {
		return string(raw), false
	}
	return base64.StdEncoding.EncodeToString(raw), true
}

// textual reports whether a Content-Type is text the front doors can carry
// as a JSON string.
func textual(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"),
		strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"),
		mt == "application/json", mt == "application/xml", mt == "application/javascript",
		mt == "application/x-www-form-urlencoded":
		return true
	}
	return false
}

// response is the front door's response JSON value for w.
func (e httpEvent) response(w *responseBuffer) any {
	w.finish()
	body, isBase64 := w.encodedBody()
	switch {
	case e.door.Kind == KindHTTPAPI || e.door.Kind == KindFunctionURL:
		// Payload 2.0 (HTTP API and Function URL answer alike): one value
		// per header, Set-Cookie values in cookies.
		cookies := w.header.Values("Set-Cookie")
		if cookies == nil {
			cookies = []string{}
		}
		return events.LambdaFunctionURLResponse{
			StatusCode: w.status, Headers: singleHeaders(w.header), Cookies: cookies,
			Body: body, IsBase64Encoded: isBase64,
		}
	case e.door.Kind == KindRESTAPI:
		return events.APIGatewayProxyResponse{
			StatusCode: w.status, Headers: map[string]string{}, MultiValueHeaders: multiHeaders(w.header),
			Body: body, IsBase64Encoded: isBase64,
		}
	}
	// ALB: multiValueHeaders if and only if the request had them (the
	// target group's setting); it wants a status description too.
	res := events.ALBTargetGroupResponse{
		StatusCode: w.status, StatusDescription: fmt.Sprintf("%d %s", w.status, http.StatusText(w.status)),
		Body: body, IsBase64Encoded: isBase64,
	}
	if e.multiValue {
		res.Headers, res.MultiValueHeaders = map[string]string{}, multiHeaders(w.header)
	} else {
		res.Headers, res.MultiValueHeaders = singleHeaders(w.header), map[string][]string{}
		// One value per name: of several Set-Cookie headers only the last
		// survives (enable multi-value headers on the target group to keep
		// them all); Dayline sets none.
		if c := w.header.Values("Set-Cookie"); len(c) > 0 {
			res.Headers["Set-Cookie"] = c[len(c)-1]
		}
	}
	return res
}

// singleHeaders joins each header's values with commas (RFC 9110's list
// form), leaving out Set-Cookie, which cannot be joined.
func singleHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, vs := range h {
		if k == "Set-Cookie" || len(vs) == 0 {
			continue
		}
		out[k] = strings.Join(vs, ",")
	}
	return out
}

// multiHeaders is every header with every value.
func multiHeaders(h http.Header) map[string][]string {
	out := make(map[string][]string, len(h))
	for k, vs := range h {
		if len(vs) > 0 {
			out[k] = slices.Clone(vs)
		}
	}
	return out
}
