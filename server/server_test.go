package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/auth"
)

const (
	testIssuer   = "http://127.0.0.1:8080"
	testClientID = "dayline-server-test"
)

// sharedIssuer is generated once (RSA key generation is slow, more so
// under -race); its key file lives in the first caller's t.TempDir, and
// the issuer keeps the key in memory after that directory is gone.
var sharedIssuer = struct {
	once   sync.Once
	issuer *auth.LocalIssuer
	err    error
}{}

func testIssuerFor(t *testing.T) *auth.LocalIssuer {
	t.Helper()
	sharedIssuer.once.Do(func() {
		sharedIssuer.issuer, sharedIssuer.err = auth.OpenLocalIssuer(t.TempDir(), testIssuer, testClientID, nil)
	})
	if sharedIssuer.err != nil {
		t.Fatalf("local issuer: %v", sharedIssuer.err)
	}
	return sharedIssuer.issuer
}

// stack is a server.New handler in front of a stand-in GraphQL handler,
// served by httptest, with a real verifier and a token it accepts.
type stack struct {
	URL    string
	Token  string
	Issuer *auth.LocalIssuer
}

// newStack serves New(cfg) with cfg.Verifier set from the shared local
// issuer and cfg.GraphQL defaulting to echoIdentity.
func newStack(t *testing.T, cfg Config) stack {
	t.Helper()
	iss := testIssuerFor(t)
	v, err := auth.NewVerifier(iss.Config(), iss.KeySource())
	if err != nil {
		t.Fatalf("verifier: %v", err)
	}
	cfg.Verifier = v
	if cfg.GraphQL == nil {
		cfg.GraphQL = http.HandlerFunc(echoIdentity)
	}
	srv := httptest.NewServer(New(cfg))
	t.Cleanup(srv.Close)
	tok, err := iss.Mint("user-1", []string{"Admins"}, "", time.Hour)
	if err != nil {
		t.Fatalf("mint: %v", err)
	}
	return stack{URL: srv.URL, Token: tok, Issuer: iss}
}

// echoed is what echoIdentity answers.
type echoed struct {
	Sub       string   `json:"sub"`
	Groups    []string `json:"groups"`
	RequestID string   `json:"requestId"`
	Error     string   `json:"error"`
}

// echoIdentity stands in for the GraphQL handler: it answers the verified
// identity and the request id it finds in the context.
func echoIdentity(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	id, err := auth.IdentityFrom(r.Context())
	out := echoed{Sub: id.Sub, Groups: id.Groups, RequestID: api.RequestID(r.Context())}
	if err != nil {
		out.Error = err.Error()
	}
	_ = json.NewEncoder(w).Encode(out)
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends req and reads the whole response.
func do(t *testing.T, req *http.Request) response {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return response{status: res.StatusCode, header: res.Header, body: body}
}

func newRequest(t *testing.T, method, url string, body io.Reader, headers ...string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return req
}

func TestHealthz(t *testing.T) {
	s := newStack(t, Config{})
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		t.Run(method, func(t *testing.T) {
			r := do(t, newRequest(t, method, s.URL+"/healthz", nil))
			if r.status != http.StatusOK {
				t.Fatalf("status %d", r.status)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if method == http.MethodHead {
				return
			}
			var doc map[string]any
			if err := json.Unmarshal(r.body, &doc); err != nil || doc["status"] != "ok" {
				t.Errorf("body %s (%v), want {\"status\":\"ok\"}", r.body, err)
			}
		})
	}
	t.Run("no token needed", func(t *testing.T) {
		r := do(t, newRequest(t, http.MethodGet, s.URL+"/healthz", nil, "Authorization", "Bearer garbage"))
		if r.status != http.StatusOK {
			t.Errorf("status %d", r.status)
		}
	})
}

func TestPlayground(t *testing.T) {
	cases := []struct {
		name       string
		playground bool
		path       string
		status     int
	}{
		{"enabled, root", true, "/", http.StatusOK},
		{"enabled, other path", true, "/nope", http.StatusNotFound},
		{"disabled, root", false, "/", http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStack(t, Config{Playground: tc.playground})
			r := do(t, newRequest(t, http.MethodGet, s.URL+tc.path, nil))
			if r.status != tc.status {
				t.Fatalf("status %d, want %d", r.status, tc.status)
			}
			if tc.status != http.StatusOK {
				return
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q, want text/html", ct)
			}
			html := strings.ToLower(string(r.body))
			if !strings.Contains(html, "graphiql") || !strings.Contains(html, "/graphql") {
				t.Errorf("playground page does not load GraphiQL against /graphql: %.300s", r.body)
			}
		})
	}
}

func TestJWKS(t *testing.T) {
	t.Run("served when set", func(t *testing.T) {
		iss := testIssuerFor(t)
		s := newStack(t, Config{JWKS: iss.JWKSHandler()})
		r := do(t, newRequest(t, http.MethodGet, s.URL+"/.well-known/jwks.json", nil))
		if r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		if _, err := auth.NewStaticKeySource(r.body); err != nil {
			t.Fatalf("served JWKS is not a usable key set: %v: %s", err, r.body)
		}
		// The served keys verify the issuer's tokens.
		ks, _ := auth.NewStaticKeySource(r.body)
		v, err := auth.NewVerifier(iss.Config(), ks)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.Verify(t.Context(), s.Token); err != nil {
			t.Errorf("token does not verify against the served JWKS: %v", err)
		}
	})
	t.Run("absent when not set", func(t *testing.T) {
		s := newStack(t, Config{})
		r := do(t, newRequest(t, http.MethodGet, s.URL+"/.well-known/jwks.json", nil))
		if r.status != http.StatusNotFound {
			t.Errorf("status %d, want 404", r.status)
		}
	})
}

// TestGraphQLRequiresToken: /graphql runs behind the auth middleware; the
// handler sees the verified identity.
func TestGraphQLRequiresToken(t *testing.T) {
	s := newStack(t, Config{})
	cases := []struct {
		name   string
		authz  string
		status int
		reason string // of a 401
	}{
		{"no token", "", http.StatusUnauthorized, auth.ReasonMissingToken},
		{"bad token", "Bearer a.b.c", http.StatusUnauthorized, auth.ReasonMalformed},
		{"Bearer token", "Bearer " + s.Token, http.StatusOK, ""},
		{"raw token", s.Token, http.StatusOK, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := newRequest(t, http.MethodPost, s.URL+"/graphql", strings.NewReader(`{}`), "Content-Type", "application/json")
			if tc.authz != "" {
				req.Header.Set("Authorization", tc.authz)
			}
			r := do(t, req)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if tc.status == http.StatusUnauthorized {
				var doc api.Response
				if err := json.Unmarshal(r.body, &doc); err != nil || len(doc.Errors) != 1 {
					t.Fatalf("401 body %s", r.body)
				}
				want := api.Error{Message: "Unauthorized: " + tc.reason, ErrorType: "UnauthorizedException", Extensions: map[string]any{"code": "UnauthorizedException"}}
				if !reflect.DeepEqual(doc.Errors[0], want) {
					t.Errorf("401 error %+v, want %+v", doc.Errors[0], want)
				}
				if ct, want := r.header.Get("Content-Type"), api.MediaJSON.ContentType(); ct != want {
					t.Errorf("401 Content-Type %q, want %q", ct, want)
				}
				return
			}
			var got echoed
			if err := json.Unmarshal(r.body, &got); err != nil {
				t.Fatalf("body %s: %v", r.body, err)
			}
			if got.Sub != "user-1" || len(got.Groups) != 1 || got.Groups[0] != "Admins" || got.Error != "" {
				t.Errorf("identity %+v, want user-1 in Admins", got)
			}
		})
	}
}

func TestCORS(t *testing.T) {
	const allowed, other = "https://dashboard.example.com", "https://evil.example.net"
	cases := []struct {
		name    string
		origins []string
		origin  string
		allow   bool
	}{
		{"listed origin", []string{allowed, "https://other.example.com"}, allowed, true},
		{"unlisted origin", []string{allowed}, other, false},
		{"origin differing in scheme", []string{allowed}, "http://dashboard.example.com", false},
		{"origin differing in port", []string{allowed}, allowed + ":8443", false},
		{"no origins configured", nil, allowed, false},
		{"wildcard", []string{"*"}, other, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStack(t, Config{AllowedOrigins: tc.origins})

			t.Run("preflight", func(t *testing.T) {
				r := do(t, newRequest(t, http.MethodOptions, s.URL+"/graphql", nil,
					"Origin", tc.origin, "Access-Control-Request-Method", "POST",
					"Access-Control-Request-Headers", "authorization, content-type"))
				acao := r.header.Get("Access-Control-Allow-Origin")
				if !tc.allow {
					if r.status != http.StatusForbidden || acao != "" {
						t.Errorf("status %d, ACAO %q: want 403 without ACAO", r.status, acao)
					}
					return
				}
				if r.status != http.StatusNoContent && r.status != http.StatusOK {
					t.Errorf("status %d, want 204", r.status)
				}
				if acao != tc.origin && acao != "*" {
					t.Errorf("ACAO %q, want %q", acao, tc.origin)
				}
				if m := r.header.Get("Access-Control-Allow-Methods"); !strings.Contains(m, "POST") {
					t.Errorf("Access-Control-Allow-Methods %q lacks POST", m)
				}
				h := strings.ToLower(r.header.Get("Access-Control-Allow-Headers"))
				for _, want := range []string{"authorization", "content-type"} {
					if !strings.Contains(h, want) {
						t.Errorf("Access-Control-Allow-Headers %q lacks %s", h, want)
					}
				}
			})

			t.Run("request", func(t *testing.T) {
				r := do(t, newRequest(t, http.MethodPost, s.URL+"/graphql", strings.NewReader(`{}`),
					"Origin", tc.origin, "Content-Type", "application/json", "Authorization", "Bearer "+s.Token))
				if r.status != http.StatusOK {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				acao := r.header.Get("Access-Control-Allow-Origin")
				switch {
				case tc.allow && acao != tc.origin && acao != "*":
					t.Errorf("ACAO %q, want %q", acao, tc.origin)
				case !tc.allow && acao != "":
					t.Errorf("ACAO %q for a disallowed origin", acao)
				}
				if tc.allow && acao != "*" && !headerHas(r.header, "Vary", "Origin") {
					t.Errorf("Vary %q lacks Origin", r.header.Values("Vary"))
				}
			})

			t.Run("401 readable by allowed origins", func(t *testing.T) {
				r := do(t, newRequest(t, http.MethodPost, s.URL+"/graphql", strings.NewReader(`{}`),
					"Origin", tc.origin, "Content-Type", "application/json"))
				if r.status != http.StatusUnauthorized {
					t.Fatalf("status %d", r.status)
				}
				if got := r.header.Get("Access-Control-Allow-Origin") != ""; got != tc.allow {
					t.Errorf("ACAO present = %v, want %v", got, tc.allow)
				}
			})
		})
	}
	t.Run("OPTIONS without Origin is not a preflight", func(t *testing.T) {
		s := newStack(t, Config{AllowedOrigins: []string{allowed}})
		r := do(t, newRequest(t, http.MethodOptions, s.URL+"/healthz", nil))
		if r.status == http.StatusForbidden || r.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("status %d ACAO %q", r.status, r.header.Get("Access-Control-Allow-Origin"))
		}
	})
}

func headerHas(h http.Header, name, value string) bool {
	for _, v := range h.Values(name) {
		for _, part := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(part), value) {
				return true
			}
		}
	}
	return false
}

var generatedID = regexp.MustCompile(`^[0-9a-f]{16}$`)

func TestRequestID(t *testing.T) {
	s := newStack(t, Config{})
	cases := []struct {
		name string
		sent string
		echo bool // the sent id is kept
	}{
		{"sent", "req-123", true},
		{"sent, 64 bytes", strings.Repeat("a", 64), true},
		{"not sent", "", false},
		{"too long", strings.Repeat("a", 65), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := newRequest(t, http.MethodPost, s.URL+"/graphql", strings.NewReader(`{}`),
				"Content-Type", "application/json", "Authorization", "Bearer "+s.Token)
			if tc.sent != "" {
				req.Header.Set("X-Request-Id", tc.sent)
			}
			r := do(t, req)
			got := r.header.Get("X-Request-Id")
			switch {
			case tc.echo && got != tc.sent:
				t.Errorf("X-Request-Id %q, want %q echoed", got, tc.sent)
			case !tc.echo && !generatedID.MatchString(got):
				t.Errorf("X-Request-Id %q, want a generated 16-hex-digit id", got)
			}
			var e echoed
			if err := json.Unmarshal(r.body, &e); err != nil || e.RequestID != got {
				t.Errorf("handler saw request id %q, header %q (%v)", e.RequestID, got, err)
			}
		})
	}
	t.Run("generated ids differ", func(t *testing.T) {
		a := do(t, newRequest(t, http.MethodGet, s.URL+"/healthz", nil)).header.Get("X-Request-Id")
		b := do(t, newRequest(t, http.MethodGet, s.URL+"/healthz", nil)).header.Get("X-Request-Id")
		if a == "" || a == b {
			t.Errorf("ids %q and %q", a, b)
		}
	})
	t.Run("on 401 too", func(t *testing.T) {
		r := do(t, newRequest(t, http.MethodPost, s.URL+"/graphql", nil, "X-Request-Id", "req-401"))
		if r.status != http.StatusUnauthorized || r.header.Get("X-Request-Id") != "req-401" {
			t.Errorf("status %d, X-Request-Id %q", r.status, r.header.Get("X-Request-Id"))
		}
	})
}

// TestPanicRecovery: a handler panic becomes a 500 whose JSON body names
// the request id and nothing of the panic or its stack; the panic is
// logged once, with its stack, under that request id.
func TestPanicRecovery(t *testing.T) {
	logs := &recordingHandler{}
	s := newStack(t, Config{Logger: slog.New(logs), GraphQL: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("secret detail: db password hunter2")
	})})
	cases := []struct {
		name string
		sent string // X-Request-Id sent; "" for none
	}{
		{"generated id", ""},
		{"client id", "req-panic-1"},
		{"client id with JSON metacharacters", `a"}],"x":"\`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := newRequest(t, http.MethodPost, s.URL+"/graphql", strings.NewReader(`{}`),
				"Content-Type", "application/json", "Authorization", "Bearer "+s.Token)
			if tc.sent != "" {
				req.Header.Set("X-Request-Id", tc.sent)
			}
			r := do(t, req)
			if r.status != http.StatusInternalServerError {
				t.Fatalf("status %d, want 500", r.status)
			}
			if ct, want := r.header.Get("Content-Type"), api.MediaJSON.ContentType(); ct != want {
				t.Errorf("Content-Type %q, want %q", ct, want)
			}
			id := r.header.Get("X-Request-Id")
			for _, leak := range []string{"secret", "hunter2", "goroutine", ".go:", "panic("} {
				if strings.Contains(string(r.body), leak) {
					t.Errorf("500 body leaks %q: %s", leak, r.body)
				}
			}
			var doc api.Response
			if err := json.Unmarshal(r.body, &doc); err != nil {
				t.Fatalf("500 body is not JSON (request id %q): %v: %s", id, err, r.body)
			}
			if id == "" || (tc.sent != "" && saneRequestID(tc.sent) && id != tc.sent) {
				t.Fatalf("X-Request-Id %q (sent %q)", id, tc.sent)
			}
			want := api.Error{Message: "internal error (request id " + id + ")", ErrorType: "InternalError", Extensions: map[string]any{"code": "InternalError"}}
			if len(doc.Errors) != 1 || !reflect.DeepEqual(doc.Errors[0], want) {
				t.Fatalf("errors %+v, want [%+v]", doc.Errors, want)
			}
			errs := logs.errors(id)
			if len(errs) != 1 {
				t.Fatalf("%d error records for request %s, want 1 (the panic, logged once): %+v", len(errs), id, errs)
			}
			if !strings.Contains(errs[0]["panic"], "hunter2") || !strings.Contains(errs[0]["stack"], "goroutine") {
				t.Errorf("the record should hold the panic and its stack: %+v", errs[0])
			}
		})
	}
	t.Run("server keeps serving", func(t *testing.T) {
		if r := do(t, newRequest(t, http.MethodGet, s.URL+"/healthz", nil)); r.status != http.StatusOK {
			t.Errorf("healthz after panics: %d", r.status)
		}
	})
}

// TestBodyLimit: a handler reading past MaxBodyBytes gets *http.MaxBytesError.
func TestBodyLimit(t *testing.T) {
	type readResult struct {
		Read   int   `json:"read"`
		TooBig bool  `json:"tooBig"`
		Limit  int64 `json:"limit"`
	}
	reader := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		var mbe *http.MaxBytesError
		out := readResult{Read: len(b), TooBig: errors.As(err, &mbe)}
		if mbe != nil {
			out.Limit = mbe.Limit
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	})
	cases := []struct {
		name   string
		limit  int64
		size   int
		tooBig bool
		want   int64 // the limit the error reports
	}{
		{"under the limit", 1024, 1000, false, 0},
		{"at the limit", 1024, 1024, false, 0},
		{"one byte over", 1024, 1025, true, 1024},
		{"far over", 1024, 64 << 10, true, 1024},
		{"default limit, at it", 0, DefaultMaxBodyBytes, false, 0},
		{"default limit, over it", 0, DefaultMaxBodyBytes + 1, true, DefaultMaxBodyBytes},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStack(t, Config{GraphQL: reader, MaxBodyBytes: tc.limit})
			r := do(t, newRequest(t, http.MethodPost, s.URL+"/graphql", strings.NewReader(strings.Repeat("x", tc.size)),
				"Content-Type", "application/json", "Authorization", "Bearer "+s.Token))
			var got readResult
			if err := json.Unmarshal(r.body, &got); err != nil {
				t.Fatalf("status %d body %s: %v", r.status, r.body, err)
			}
			if got.TooBig != tc.tooBig || got.Limit != tc.want {
				t.Errorf("got %+v, want tooBig %v limit %d", got, tc.tooBig, tc.want)
			}
			if !tc.tooBig && got.Read != tc.size {
				t.Errorf("read %d bytes, want %d", got.Read, tc.size)
			}
		})
	}
}

// hangTimeout only turns a hang into a failure: a healthy run never waits
// for it, however slow the machine.
const hangTimeout = 2 * time.Minute

// closeSignal is a listener that reports its Close: http.Server.Shutdown
// closes its listeners first, so closed means shutdown has begun.
type closeSignal struct {
	net.Listener
	once   sync.Once
	closed chan struct{}
}

func (l *closeSignal) Close() error {
	err := l.Listener.Close()
	l.once.Do(func() { close(l.closed) })
	return err
}

// server is serve running on 127.0.0.1:0.
type server struct {
	addr   string
	done   <-chan error    // receives serve's result
	closed <-chan struct{} // closed when shutdown has begun
}

// runServer runs serve (Run's body) on a listener of 127.0.0.1:0 until ctx
// is done.
func runServer(t *testing.T, ctx context.Context, h http.Handler, drain time.Duration) server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &closeSignal{Listener: ln, closed: make(chan struct{})}
	done := make(chan error, 1)
	go func() { done <- serve(ctx, l, h, drain) }()
	return server{addr: ln.Addr().String(), done: done, closed: l.closed}
}

// wait returns serve's result.
func (s server) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-s.done:
		return err
	case <-time.After(hangTimeout): // a hang turned into a failure
		t.Fatal("serve did not return after shutdown")
		return nil
	}
}

// freshClient never reuses connections, so a request after shutdown must
// dial again.
func freshClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: hangTimeout}
}

func TestRunGracefulShutdown(t *testing.T) {
	started, released := make(chan struct{}), make(chan struct{})
	release := sync.OnceFunc(func() { close(released) })
	defer release()
	// /slow is the in-flight work shutdown must wait for: it answers
	// only when the test releases it.
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/slow" {
			w.WriteHeader(http.StatusOK)
			return
		}
		close(started)
		<-released
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"done":true}`))
	})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	srv := runServer(t, ctx, slow, hangTimeout) // a drain no healthy run reaches
	client := freshClient()

	if res, err := client.Get("http://" + srv.addr + "/fast"); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("server not serving: %v", err)
	} else {
		res.Body.Close()
	}

	type result struct {
		status int
		body   string
		err    error
	}
	inflight := make(chan result, 1)
	go func() {
		res, err := client.Get("http://" + srv.addr + "/slow")
		if err != nil {
			inflight <- result{err: err}
			return
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		inflight <- result{status: res.StatusCode, body: string(b), err: err}
	}()
	select {
	case <-started:
	case r := <-inflight:
		t.Fatalf("slow request ended before reaching the handler: %+v", r)
	}
	cancel() // shut down while /slow is in flight
	select {
	case <-srv.closed:
	case <-time.After(hangTimeout): // a hang turned into a failure
		t.Fatal("shutdown did not begin after cancel")
	}
	select {
	case err := <-srv.done:
		t.Fatalf("serve returned %v while a request was in flight", err)
	default:
	}
	if res, err := client.Get("http://" + srv.addr + "/fast"); err == nil {
		res.Body.Close()
		t.Errorf("request during shutdown answered %d, want a connection error", res.StatusCode)
	}
	release()

	r := <-inflight
	if r.err != nil || r.status != http.StatusOK || r.body != `{"done":true}` {
		t.Errorf("in-flight request: status %d body %q err %v; want 200 completed", r.status, r.body, r.err)
	}
	if err := srv.wait(t); err != nil {
		t.Errorf("serve returned %v, want nil after a clean shutdown", err)
	}
}

func TestRunDrainTimeout(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	stuck := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
	})
	defer close(release)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	// The handler never returns before the test ends: the drain expires
	// on every run, however slow.
	srv := runServer(t, ctx, stuck, 50*time.Millisecond)
	client := freshClient()
	go func() {
		if res, err := client.Get("http://" + srv.addr + "/"); err == nil {
			res.Body.Close()
		}
	}()
	<-started
	cancel()
	if err := srv.wait(t); err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("serve returned %v, want a shutdown deadline error", err)
	}
}

func TestRunListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	called := false
	err = Run(t.Context(), ln.Addr().String(), http.NotFoundHandler(), time.Second, func(net.Addr) { called = true })
	if err == nil || !strings.Contains(err.Error(), "listen") {
		t.Errorf("Run on a taken address: %v, want a listen error", err)
	}
	if called {
		t.Error("ready called although nothing listens")
	}
}

// TestAccessLog: one JSON line per request with its id, method, path and
// status, also when the handler panics (the recorder runs the handler
// synchronously, so the line is written when ServeHTTP returns).
func TestAccessLog(t *testing.T) {
	iss := testIssuerFor(t)
	v, err := auth.NewVerifier(iss.Config(), iss.KeySource())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := iss.Mint("user-1", nil, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	graphql := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("panic") {
			panic("boom")
		}
		echoIdentity(w, r)
	})
	cases := []struct {
		name   string
		target string
		token  string
		status int
	}{
		{"unauthorized", "/graphql", "", http.StatusUnauthorized},
		{"ok", "/graphql", tok, http.StatusOK},
		{"panic", "/graphql?panic=1", tok, http.StatusInternalServerError},
		{"not found", "/nope", "", http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf strings.Builder
			h := New(Config{Verifier: v, GraphQL: graphql, Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
			req := httptest.NewRequest(http.MethodPost, tc.target, strings.NewReader(`{}`))
			req.Header.Set("X-Request-Id", "req-log-1")
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			var lines []map[string]any
			for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				var line map[string]any
				if err := json.Unmarshal([]byte(l), &line); err != nil {
					t.Fatalf("log line is not JSON: %q", l)
				}
				if line["msg"] == "request" {
					lines = append(lines, line)
				}
			}
			if len(lines) != 1 {
				t.Fatalf("want one access log line, got %d: %s", len(lines), buf.String())
			}
			want := map[string]any{"request_id": "req-log-1", "method": "POST", "path": "/" + strings.Split(strings.TrimPrefix(tc.target, "/"), "?")[0], "status": float64(tc.status)}
			for k, v := range want {
				if lines[0][k] != v {
					t.Errorf("log %s = %v, want %v", k, lines[0][k], v)
				}
			}
			if b, _ := lines[0]["bytes"].(float64); int(b) != rec.Body.Len() {
				t.Errorf("log bytes = %v, body has %d", lines[0]["bytes"], rec.Body.Len())
			}
		})
	}
}
