package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// playgroundCSP is the Content-Security-Policy of the playground's page and
// files: everything from Dayline's own origin only. No inline script and no
// eval; data: only for images and fonts (GraphiQL's stylesheet carries its
// fonts and icons inline, so they need no other origin either). connect-src
// adds the ws: and wss: URLs of the request's own host for subscriptions
// over graphql-ws ('self' covers them only in browsers that follow CSP
// level 3 there); a Host header that is no plain host[:port] gets none.
func playgroundCSP(host string) string {
	connect := "'self'"
	if saneHost(host) {
		connect += " ws://" + host + " wss://" + host
	}
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; " +
		"connect-src " + connect + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

// saneHost accepts a host name, IPv4 address or bracketed IPv6 address with
// an optional port: nothing that could end a CSP source or add a directive.
func saneHost(host string) bool {
	if host == "" || len(host) > 255 {
		return false
	}
	for _, c := range host {
		ok := c == '.' || c == '-' || c == ':' || c == '[' || c == ']' ||
			(c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !ok {
			return false
		}
	}
	return true
}

// writeAsset writes body (gzip-compressed when gzipped) to w: as it is, with
// Content-Encoding gzip, for a client that accepts gzip, else decompressed.
// HEAD gets the headers only.
func writeAsset(w http.ResponseWriter, r *http.Request, body []byte, gzipped bool) {
	if gzipped && acceptsGzip(r.Header.Values("Accept-Encoding")) {
		w.Header().Set("Content-Encoding", "gzip")
		gzipped = false // sent as stored
	}
	if !gzipped {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		if r.Method != http.MethodHead {
			_, _ = w.Write(body)
		}
		return
	}
	if r.Method == http.MethodHead {
		return
	}
	if zr, err := gzip.NewReader(bytes.NewReader(body)); err == nil { // checked by playgroundAsset.load
		_, _ = io.Copy(w, zr)
	}
}

// acceptsGzip reports whether Accept-Encoding header values allow gzip
// (RFC 9110: "gzip" or "x-gzip" or "*" with a weight above 0).
func acceptsGzip(values []string) bool {
	star, gz := false, false
	starSeen, gzSeen := false, false
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(item, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			ok := qAboveZero(params)
			switch coding {
			case "gzip", "x-gzip":
				gzSeen, gz = true, gz || ok
			case "*":
				starSeen, star = true, star || ok
			}
		}
	}
	if gzSeen {
		return gz
	}
	return starSeen && star
}

// qAboveZero reports whether the parameters of one Accept-Encoding item
// leave its weight above 0 (no q means 1; a q that does not parse counts
// as 0).
func qAboveZero(params string) bool {
	for _, p := range strings.Split(params, ";") {
		name, value, _ := strings.Cut(p, "=")
		if strings.ToLower(strings.TrimSpace(name)) != "q" {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		return err == nil && q > 0
	}
	return true
}
