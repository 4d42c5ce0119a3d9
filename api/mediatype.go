package api

import "strings"

// MediaType is a media type a GraphQL response can be written in. The
// GraphQL-over-HTTP spec (graphql/graphql-over-http, "Media Types") knows
// two: application/graphql-response+json, whose status codes tell request
// errors (4xx) from executed operations (200), and application/json, kept
// for legacy clients, which may not trust any status but 200.
type MediaType int

const (
	// MediaJSON is application/json: the default when the request has no
	// Accept header, or accepts both media types equally (*/*).
	MediaJSON MediaType = iota
	// MediaGraphQLResponse is application/graphql-response+json.
	MediaGraphQLResponse
)

// Names of the media types, without parameters.
const (
	mediaTypeJSON            = "application/json"
	mediaTypeGraphQLResponse = "application/graphql-response+json"
)

// ContentType returns the Content-Type header value for m: the media type
// with charset=utf-8, since every response is UTF-8.
func (m MediaType) ContentType() string {
	return m.String() + "; charset=utf-8"
}

// String returns the media type without parameters.
func (m MediaType) String() string {
	if m == MediaGraphQLResponse {
		return mediaTypeGraphQLResponse
	}
	return mediaTypeJSON
}

// mediaTypes lists what Negotiate chooses from, in the order that breaks
// ties when one media range of the Accept header matches both (*/*,
// application/*): application/json first, as legacy clients expect.
var mediaTypes = []MediaType{MediaJSON, MediaGraphQLResponse}

// Negotiate chooses the response media type for a request's Accept header
// values, as RFC 9110 section 12.5.1 defines them: each media type gets the
// weight (q) of the most specific media range matching it (a range with
// parameters matches only if the response has them: charset=utf-8 is the
// one parameter responses have), and the highest weight wins; between
// equal weights the type whose range is listed first wins (the
// GraphQL-over-HTTP spec: "the highest priority media type listed"). A
// request without an Accept header (or with only empty ones) gets
// application/json. Malformed elements of the header are ignored.
//
// Negotiate returns false when the header allows neither media type (every
// match has q=0, or nothing matches): the caller answers 406.
func Negotiate(accept []string) (MediaType, bool) {
	ranges := parseAccept(accept)
	if len(ranges) == 0 && blank(accept) {
		return MediaJSON, true
	}
	best, bestQ, bestIndex := MediaJSON, 0, 0
	for _, m := range mediaTypes {
		q, index, ok := weight(ranges, m)
		if !ok || q == 0 {
			continue
		}
		if q > bestQ || (q == bestQ && index < bestIndex) {
			best, bestQ, bestIndex = m, q, index
		}
	}
	return best, bestQ > 0
}

// blank reports whether no Accept value holds anything but whitespace.
func blank(values []string) bool {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// mediaRange is one element of an Accept header.
type mediaRange struct {
	typ, subtype string            // lower case; "*" for a wildcard
	params       map[string]string // media type parameters (before q), names lower case
	q            int               // weight in thousandths: 0 to 1000
	index        int               // position in the header
}

// specificity orders ranges: */* < type/* < type/subtype < with parameters.
func (r mediaRange) specificity() int {
	switch {
	case r.typ == "*":
		return 0
	case r.subtype == "*":
		return 1
	}
	return 2 + len(r.params)
}

// matches reports whether r covers m (with its charset=utf-8 parameter).
func (r mediaRange) matches(m MediaType) bool {
	typ, subtype, _ := strings.Cut(m.String(), "/")
	if r.typ != "*" && (r.typ != typ || (r.subtype != "*" && r.subtype != subtype)) {
		return false
	}
	for name, value := range r.params {
		if name != "charset" || !strings.EqualFold(value, "utf-8") {
			return false
		}
	}
	return true
}

// weight returns the q and index of the most specific range matching m
// (the highest q among equally specific ones), or false if none does.
func weight(ranges []mediaRange, m MediaType) (q, index int, ok bool) {
	spec := -1
	for _, r := range ranges {
		if !r.matches(m) {
			continue
		}
		s := r.specificity()
		if s > spec || (s == spec && r.q > q) {
			spec, q, index = s, r.q, r.index
		}
	}
	return q, index, spec >= 0
}

// parseAccept parses Accept header values (RFC 9110 section 12.5.1):
//
//	Accept      = #( media-range [ weight ] )
//	media-range = ( "*/*" / ( type "/*" ) / ( type "/" subtype ) ) parameters
//	weight      = OWS ";" OWS "q=" qvalue
//
// Parameters after the weight (RFC 7231's accept-ext) are ignored. An
// element that does not parse is skipped.
func parseAccept(values []string) []mediaRange {
	var out []mediaRange
	index := 0
	for _, v := range values {
		p := acceptParser{s: v}
		for !p.done() {
			r, ok := p.element()
			if ok {
				r.index = index
				out = append(out, r)
			}
			index++
			p.skipElement()
		}
	}
	return out
}

// acceptParser scans one Accept header value.
type acceptParser struct {
	s   string
	pos int
}

func (p *acceptParser) done() bool {
	p.skip(" \t,")
	return p.pos >= len(p.s)
}

// skip advances past any bytes in set.
func (p *acceptParser) skip(set string) {
	for p.pos < len(p.s) && strings.IndexByte(set, p.s[p.pos]) >= 0 {
		p.pos++
	}
}

// skipElement advances past the rest of the element, to its comma (quoted
// strings may hold commas).
func (p *acceptParser) skipElement() {
	quoted := false
	for ; p.pos < len(p.s); p.pos++ {
		switch c := p.s[p.pos]; {
		case quoted && c == '\\':
			p.pos++
		case c == '"':
			quoted = !quoted
		case !quoted && c == ',':
			return
		}
	}
}

// element parses one media range with its parameters and weight.
func (p *acceptParser) element() (mediaRange, bool) {
	r := mediaRange{q: 1000}
	typ, ok := p.token()
	if !ok || !p.consume('/') {
		return r, false
	}
	subtype, ok := p.token()
	if !ok || (typ == "*" && subtype != "*") {
		return r, false
	}
	r.typ, r.subtype = strings.ToLower(typ), strings.ToLower(subtype)
	weighted := false
	for {
		p.skip(" \t")
		if p.pos >= len(p.s) || p.s[p.pos] == ',' {
			return r, true
		}
		if !p.consume(';') {
			return r, false
		}
		p.skip(" \t")
		if p.pos >= len(p.s) || p.s[p.pos] == ',' || p.s[p.pos] == ';' {
			continue // an empty parameter, which RFC 9110 allows
		}
		name, ok := p.token()
		if !ok || !p.consume('=') {
			return r, false
		}
		value, ok := p.value()
		if !ok {
			return r, false
		}
		name = strings.ToLower(name)
		switch {
		case weighted: // accept-ext: no meaning here
		case name == "q":
			if r.q, ok = qvalue(value); !ok {
				return r, false
			}
			weighted = true
		default:
			if r.params == nil {
				r.params = map[string]string{}
			}
			r.params[name] = value
		}
	}
}

func (p *acceptParser) consume(c byte) bool {
	if p.pos < len(p.s) && p.s[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

// token reads an RFC 9110 token.
func (p *acceptParser) token() (string, bool) {
	start := p.pos
	for p.pos < len(p.s) && isTokenChar(p.s[p.pos]) {
		p.pos++
	}
	return p.s[start:p.pos], p.pos > start
}

// value reads a parameter value: a token or a quoted string (unquoted).
func (p *acceptParser) value() (string, bool) {
	if !p.consume('"') {
		return p.token()
	}
	var b strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		p.pos++
		switch {
		case c == '"':
			return b.String(), true
		case c == '\\' && p.pos < len(p.s):
			b.WriteByte(p.s[p.pos])
			p.pos++
		default:
			b.WriteByte(c)
		}
	}
	return "", false // unterminated
}

func isTokenChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// qvalue parses a weight: "0" to "1" with at most three decimals,
// returned in thousandths.
func qvalue(s string) (int, bool) {
	if s == "" || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	whole := int(s[0]-'0') * 1000
	if len(s) == 1 {
		return whole, true
	}
	frac := s[1:]
	if frac[0] != '.' || len(frac) > 4 {
		return 0, false
	}
	n, scale := 0, 100
	for i := 1; i < len(frac); i++ {
		c := frac[i]
		if c < '0' || c > '9' || (whole == 1000 && c != '0') {
			return 0, false
		}
		n += int(c-'0') * scale
		scale /= 10
	}
	return whole + n, true
}
