package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/dayline/dayline/api"
)

// The playground is GraphiQL served by Dayline itself, nothing from another
// origin: the page (playground-assets/index.html), its script (dayline.js:
// the token form, the ready tabs, the fetchers) and style, and the pinned
// browser builds of React, ReactDOM, GraphiQL and graphql-ws with their
// licences under playground-assets/vendor, copied gzip-compressed from
// scripts/playground/node_modules by `go test ./server -run
// TestPlaygroundAssets -update-playground` (which also checks them against
// package-lock.json). Plain files embedded, no html/template at run time:
// it would keep every exported method in the Lambda binary.
//
//go:embed playground-assets
var playgroundFiles embed.FS

// playgroundRoot is the embedded directory; playgroundPrefix is where its
// files are served (the page itself is served at /).
const (
	playgroundRoot   = "playground-assets"
	playgroundPrefix = "/playground/"
	playgroundPage   = "index.html"
)

// gzSuffix marks a file embedded gzip-compressed: "x.js.gz" is served at
// "x.js" with Content-Encoding gzip, or decompressed for a client that does
// not accept gzip.
const gzSuffix = ".gz"

// playgroundTypes are the Content-Types of the files the playground serves
// (by extension; a file of another kind is not served).
var playgroundTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".txt":  "text/plain; charset=utf-8",
}

// playgroundAsset is one servable file.
type playgroundAsset struct {
	name        string // the embedded file's path
	contentType string
	gzipped     bool

	once sync.Once
	etag string
	body []byte
	err  error
}

// load reads the file and its ETag once, at its first request (hashing at
// start-up would slow every Lambda cold start for a page few open). It
// returns an error if the embedded file cannot be read, or a .gz file is
// not gzip (TestPlaygroundAssets makes sure neither happens).
func (a *playgroundAsset) load() error {
	a.once.Do(func() {
		b, err := playgroundFiles.ReadFile(a.name)
		if err == nil && a.gzipped {
			_, err = gzip.NewReader(bytes.NewReader(b))
		}
		if err != nil {
			a.err = fmt.Errorf("embedded playground file %s: %w", a.name, err)
			return
		}
		sum := sha256.Sum256(b)
		a.body, a.etag = b, `"`+base64.RawURLEncoding.EncodeToString(sum[:12])+`"`
	})
	return a.err
}

// playgroundAssets maps URL paths (under playgroundPrefix, and "/" for the
// page) to the embedded files.
type playgroundAssets map[string]*playgroundAsset

// newPlaygroundAssets lists the embedded files; it reads none of them.
func newPlaygroundAssets() playgroundAssets {
	assets := playgroundAssets{}
	_ = fs.WalkDir(playgroundFiles, playgroundRoot, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := strings.TrimPrefix(name, playgroundRoot+"/")
		gzipped := strings.HasSuffix(rel, gzSuffix)
		rel = strings.TrimSuffix(rel, gzSuffix)
		ct, ok := playgroundTypes[path.Ext(rel)]
		if !ok {
			return nil
		}
		urlPath := playgroundPrefix + rel
		if rel == playgroundPage {
			urlPath = "/"
		}
		assets[urlPath] = &playgroundAsset{name: name, contentType: ct, gzipped: gzipped}
		return nil
	})
	return assets
}

// handlePlayground serves the playground page at / and its files under
// /playground/ (GET and HEAD; other methods get a 405, unknown files a
// 404, in Dayline's error body).
func handlePlayground(mux *http.ServeMux) {
	h := newPlaygroundAssets().handler()
	handleGet(mux, "/{$}", h)
	handleGet(mux, playgroundPrefix, h)
}

// handler serves the assets, each under the playground's
// Content-Security-Policy.
func (assets playgroundAssets) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := assets[r.URL.Path]
		if !ok || a.load() != nil {
			api.WriteNoRoute(w, http.StatusNotFound, r.Method, r.URL.Path)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", playgroundCSP(r.Host))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Type", a.contentType)
		// Revalidated on every load (304 when unchanged): the URLs carry no
		// version, so a new Dayline's files are never mixed with old ones.
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", a.etag)
		if a.gzipped {
			h.Add("Vary", "Accept-Encoding")
		}
		if etagMatches(r.Header.Get("If-None-Match"), a.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		writeAsset(w, r, a.body, a.gzipped)
	})
}

// etagMatches reports whether an If-None-Match header lists etag (or *).
func etagMatches(ifNoneMatch, etag string) bool {
	for _, t := range strings.Split(ifNoneMatch, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
