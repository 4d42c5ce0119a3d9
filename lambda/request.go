package lambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// FrontDoor is what the front door (API Gateway, Function URL, ALB) said
// about an HTTP request in the event's request context. It reaches the
// handler only through the request's context (FrontDoorFrom), never
// through a header, so no client can pose as it.
type FrontDoor struct {
	Kind Kind
	// RequestID is the front door's request id ("" for ALB, which has none).
	RequestID string
	// SourceIP is the client's address as the front door saw it ("" for
	// ALB, which only sets X-Forwarded-For).
	SourceIP string
}

type frontDoorKey struct{}

// FrontDoorFrom returns the FrontDoor of a request the Handler made. It
// returns an error for any other context (a request of the standalone
// server, say).
func FrontDoorFrom(ctx context.Context) (FrontDoor, error) {
	fd, ok := ctx.Value(frontDoorKey{}).(FrontDoor)
	if !ok {
		return FrontDoor{}, errors.New("lambda: no front door in context: not a request from a Lambda event")
	}
	return fd, nil
}

// httpEvent is an HTTP front-door event, read into what a request needs.
type httpEvent struct {
	method string
	// path is the request path as the front door passes it: as sent,
	// percent-encoding included.
	path     string
	rawQuery string
	header   http.Header
	host     string // the domain name, when no Host header came
	body     string
	base64   bool
	door     FrontDoor
	// multiValue: the front door sent, and expects back, multi-value
	// headers (REST API always; ALB when the target group enables them).
	multiValue bool
}

// decodeHTTPEvent reads payload as an event of kind k.
func decodeHTTPEvent(k Kind, payload []byte) (httpEvent, error) {
	switch k {
	case KindHTTPAPI:
		var e events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(payload, &e); err != nil {
			return httpEvent{}, err
		}
		return httpEvent{
			method: e.RequestContext.HTTP.Method, path: stripStage(e.RawPath, e.RequestContext.Stage),
			rawQuery: e.RawQueryString, header: v2Header(e.Headers, e.Cookies), host: e.RequestContext.DomainName,
			body: e.Body, base64: e.IsBase64Encoded,
			door: FrontDoor{Kind: k, RequestID: e.RequestContext.RequestID, SourceIP: e.RequestContext.HTTP.SourceIP},
		}, nil
	case KindFunctionURL:
		var e events.LambdaFunctionURLRequest
		if err := json.Unmarshal(payload, &e); err != nil {
			return httpEvent{}, err
		}
		return httpEvent{
			method: e.RequestContext.HTTP.Method, path: e.RawPath,
			rawQuery: e.RawQueryString, header: v2Header(e.Headers, e.Cookies), host: e.RequestContext.DomainName,
			body: e.Body, base64: e.IsBase64Encoded,
			door: FrontDoor{Kind: k, RequestID: e.RequestContext.RequestID, SourceIP: e.RequestContext.HTTP.SourceIP},
		}, nil
	case KindRESTAPI:
		var e events.APIGatewayProxyRequest
		if err := json.Unmarshal(payload, &e); err != nil {
			return httpEvent{}, err
		}
		return httpEvent{
			method: e.HTTPMethod, path: e.Path,
			rawQuery: encodedQuery(e.MultiValueQueryStringParameters, e.QueryStringParameters),
			header:   v1Header(e.MultiValueHeaders, e.Headers), host: e.RequestContext.DomainName,
			body: e.Body, base64: e.IsBase64Encoded, multiValue: true,
			door: FrontDoor{Kind: k, RequestID: e.RequestContext.RequestID, SourceIP: e.RequestContext.Identity.SourceIP},
		}, nil
	case KindALB:
		var e events.ALBTargetGroupRequest
		if err := json.Unmarshal(payload, &e); err != nil {
			return httpEvent{}, err
		}
		return httpEvent{
			method: e.HTTPMethod, path: e.Path,
			rawQuery: rawQuery(e.MultiValueQueryStringParameters, e.QueryStringParameters),
			header:   v1Header(e.MultiValueHeaders, e.Headers),
			body:     e.Body, base64: e.IsBase64Encoded, multiValue: e.MultiValueHeaders != nil,
			door: FrontDoor{Kind: k},
		}, nil
	}
	return httpEvent{}, &UnsupportedEventError{Reason: "not an HTTP event: " + string(k)}
}

// newRequest makes the request e describes, under ctx.
func (e httpEvent) newRequest(ctx context.Context) (*http.Request, error) {
	body := []byte(e.body)
	if e.base64 {
		b, err := base64.StdEncoding.DecodeString(e.body)
		if err != nil {
			return nil, &UnsupportedEventError{Reason: "isBase64Encoded is true but the body is not base64"}
		}
		body = b
	}
	u := &url.URL{Path: e.path, RawQuery: e.rawQuery}
	if p, err := url.PathUnescape(e.path); err == nil {
		u.Path, u.RawPath = p, e.path
	} // else a stray % in the path: taken as it is
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path
		u.RawPath = ""
	}
	r, err := http.NewRequestWithContext(context.WithValue(ctx, frontDoorKey{}, e.door), e.method, "/", bytes.NewReader(body))
	if err != nil {
		return nil, &UnsupportedEventError{Reason: "bad method " + e.method}
	}
	r.URL = u
	r.RequestURI = u.RequestURI()
	r.Header = e.header
	r.ContentLength = int64(len(body))
	if len(body) == 0 {
		r.Body = http.NoBody
	}
	// Like net/http's server: the Host header becomes r.Host.
	r.Host = e.header.Get("Host")
	e.header.Del("Host")
	if r.Host == "" {
		r.Host = e.host
	}
	if e.door.SourceIP != "" {
		r.RemoteAddr = e.door.SourceIP
	}
	return r, nil
}

// stripStage drops a named stage from an HTTP API's rawPath, which carries
// it (/prod/graphql), so that the handler sees the routes it serves. The
// $default stage is not in the path.
func stripStage(path, stage string) string {
	if stage == "" || stage == "$default" {
		return path
	}
	prefix := "/" + stage
	if path == prefix {
		return "/"
	}
	if rest, ok := strings.CutPrefix(path, prefix); ok && strings.HasPrefix(rest, "/") {
		return rest
	}
	return path
}

// v2Header is the header of a payload 2.0 event: one value per name (the
// front door joins repeated headers with commas), and the cookies, which
// payload 2.0 moves out of the headers, back in one Cookie header.
func v2Header(headers map[string]string, cookies []string) http.Header {
	h := make(http.Header, len(headers)+1)
	for k, v := range headers {
		h.Add(k, v)
	}
	if len(cookies) > 0 {
		h.Del("Cookie")
		h.Set("Cookie", strings.Join(cookies, "; "))
	}
	return h
}

// v1Header is the header of a payload 1.0 or ALB event: the multi-value
// headers when the event has them (every value kept), else the single ones.
func v1Header(multi map[string][]string, single map[string]string) http.Header {
	if multi != nil {
		h := make(http.Header, len(multi))
		for k, vs := range multi {
			for _, v := range vs {
				h.Add(k, v)
			}
		}
		return h
	}
	h := make(http.Header, len(single))
	for k, v := range single {
		h.Add(k, v)
	}
	return h
}

// encodedQuery is the query string of a REST API event, whose parameters
// API Gateway has decoded: the multi-value ones when present.
func encodedQuery(multi map[string][]string, single map[string]string) string {
	q := url.Values{}
	if multi != nil {
		for k, vs := range multi {
			q[k] = append(q[k], vs...)
		}
	} else {
		for k, v := range single {
			q.Set(k, v)
		}
	}
	return q.Encode()
}

// rawQuery is the query string of an ALB event, whose parameters the load
// balancer passes as the client sent them (still percent-encoded), in
// sorted key order: the multi-value ones when present.
func rawQuery(multi map[string][]string, single map[string]string) string {
	if multi == nil {
		multi = make(map[string][]string, len(single))
		for k, v := range single {
			multi[k] = []string{v}
		}
	}
	keys := make([]string, 0, len(multi))
	for k := range multi {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range multi[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(v)
		}
	}
	return b.String()
}
