package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dayline/dayline/api"
)

// rawClient sends Accept-Encoding only when a test sets it, and never
// decompresses: the test sees the bytes on the wire.
var rawClient = &http.Client{Transport: &http.Transport{DisableCompression: true}}

func rawGet(t *testing.T, method, url string, headers ...string) response {
	t.Helper()
	req := newRequest(t, method, url, nil, headers...)
	res, err := rawClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: body}
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPlaygroundFiles serves every embedded file, compressed to clients
// that accept gzip and decompressed to the others, under the playground's
// Content-Security-Policy.
func TestPlaygroundFiles(t *testing.T) {
	s := newStack(t, Config{Playground: true})
	assets := newPlaygroundAssets()
	if len(assets) < 8 {
		t.Fatalf("%d files embedded, want the page, its script and style, and the vendored files", len(assets))
	}
	host := strings.TrimPrefix(s.URL, "http://")
	wantCSP := "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; " +
		"connect-src 'self' ws://" + host + " wss://" + host + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	encodings := []struct {
		name, acceptEncoding string
		gzipped              bool
	}{
		{"gzip", "gzip, deflate, br", true},
		{"none", "", false},
		{"identity", "identity", false},
		{"gzip refused", "gzip;q=0, br", false},
		{"any", "*;q=0.5", true},
	}
	for urlPath, a := range assets {
		if err := a.load(); err != nil {
			t.Fatal(err)
		}
		want := a.body
		if a.gzipped {
			want = gunzip(t, a.body)
		}
		for _, enc := range encodings {
			t.Run(urlPath+"/"+enc.name, func(t *testing.T) {
				var headers []string
				if enc.acceptEncoding != "" {
					headers = []string{"Accept-Encoding", enc.acceptEncoding}
				}
				r := rawGet(t, http.MethodGet, s.URL+urlPath, headers...)
				if r.status != http.StatusOK {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				body := r.body
				wantEncoding := ""
				if a.gzipped && enc.gzipped {
					wantEncoding = "gzip"
					body = gunzip(t, body)
				}
				if got := r.header.Get("Content-Encoding"); got != wantEncoding {
					t.Errorf("Content-Encoding %q, want %q", got, wantEncoding)
				}
				if !bytes.Equal(body, want) {
					t.Errorf("body (%d bytes) is not the embedded file (%d bytes)", len(body), len(want))
				}
				if got := r.header.Get("Content-Security-Policy"); got != wantCSP {
					t.Errorf("Content-Security-Policy\n %q, want\n %q", got, wantCSP)
				}
				if got := r.header.Get("Content-Type"); got != a.contentType {
					t.Errorf("Content-Type %q, want %q", got, a.contentType)
				}
				if got := r.header.Get("X-Content-Type-Options"); got != "nosniff" {
					t.Errorf("X-Content-Type-Options %q", got)
				}
			})
		}
	}
}

// TestPlaygroundRevalidation: a file is revalidated by its ETag; HEAD gets
// the headers only.
func TestPlaygroundRevalidation(t *testing.T) {
	s := newStack(t, Config{Playground: true})
	url := s.URL + "/playground/vendor/graphiql/graphiql.min.js"
	first := rawGet(t, http.MethodGet, url, "Accept-Encoding", "gzip")
	etag := first.header.Get("ETag")
	if first.status != http.StatusOK || etag == "" || first.header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("status %d, ETag %q, Cache-Control %q", first.status, etag, first.header.Get("Cache-Control"))
	}
	again := rawGet(t, http.MethodGet, url, "Accept-Encoding", "gzip", "If-None-Match", `"other", `+etag)
	if again.status != http.StatusNotModified || len(again.body) != 0 {
		t.Errorf("with If-None-Match: status %d, %d bytes; want 304 and none", again.status, len(again.body))
	}
	changed := rawGet(t, http.MethodGet, url, "Accept-Encoding", "gzip", "If-None-Match", `"other"`)
	if changed.status != http.StatusOK || !bytes.Equal(changed.body, first.body) {
		t.Errorf("with another ETag: status %d, %d bytes; want 200 and the file", changed.status, len(changed.body))
	}
	head := rawGet(t, http.MethodHead, url, "Accept-Encoding", "gzip")
	if head.status != http.StatusOK || len(head.body) != 0 || head.header.Get("Content-Length") != first.header.Get("Content-Length") {
		t.Errorf("HEAD: status %d, %d bytes, Content-Length %q; want 200, none, %q",
			head.status, len(head.body), head.header.Get("Content-Length"), first.header.Get("Content-Length"))
	}
}

// TestPlaygroundUnknownFiles: what is not embedded is a 404 in Dayline's
// error body, and only GET and HEAD are served.
func TestPlaygroundUnknownFiles(t *testing.T) {
	s := newStack(t, Config{Playground: true})
	cases := []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/playground/nope.js", http.StatusNotFound},
		{http.MethodGet, "/playground/", http.StatusNotFound},
		{http.MethodGet, "/playground/vendor/graphiql/graphiql.min.js.gz", http.StatusNotFound},
		{http.MethodGet, "/playground/index.html", http.StatusNotFound},
		{http.MethodPost, "/playground/dayline.js", http.StatusMethodNotAllowed},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := rawGet(t, tc.method, s.URL+tc.path)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d", r.status, tc.status)
			}
			var doc api.Response
			if err := json.Unmarshal(r.body, &doc); err != nil || len(doc.Errors) != 1 {
				t.Errorf("body %s is not one Dayline error (%v)", r.body, err)
			}
		})
	}
	off := newStack(t, Config{Playground: false})
	if r := rawGet(t, http.MethodGet, off.URL+"/playground/dayline.js"); r.status != http.StatusNotFound {
		t.Errorf("playground off: status %d, want 404", r.status)
	}
}

// TestPlaygroundCSPHost: a Host header that could add a source or a
// directive is left out of connect-src.
func TestPlaygroundCSPHost(t *testing.T) {
	h := New(Config{Playground: true})
	for host, ws := range map[string]bool{
		"dayline.example:8443":      true,
		"[::1]:8080":                true,
		"evil; script-src *":        false,
		"a.example wss://b.example": false,
		"":                          false,
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		csp := rec.Header().Get("Content-Security-Policy")
		hasWS := strings.Contains(csp, "ws://"+host+" wss://"+host+";")
		if hasWS != ws || strings.Count(csp, ";") != 8 {
			t.Errorf("Host %q: CSP %q (ws sources: %v, want %v)", host, csp, hasWS, ws)
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	cases := []struct {
		header []string
		want   bool
	}{
		{nil, false},
		{[]string{"gzip"}, true},
		{[]string{"GZIP;q=1.0"}, true},
		{[]string{"br", "gzip;q=0.1"}, true},
		{[]string{"x-gzip"}, true},
		{[]string{"gzip;q=0"}, false},
		{[]string{"gzip;q=0.000"}, false},
		{[]string{"gzip;q=nope"}, false},
		{[]string{"*"}, true},
		{[]string{"*;q=0"}, false},
		{[]string{"*, gzip;q=0"}, false},
		{[]string{"deflate, br, identity"}, false},
	}
	for _, tc := range cases {
		if got := acceptsGzip(tc.header); got != tc.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}
