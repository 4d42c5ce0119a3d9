package store

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
)

// PageTokens encodes and decodes nextToken values: opaque to clients and
// tamper-evident (HMAC-SHA256 over the cursor and the list it belongs to).
type PageTokens struct {
	key []byte
}

// NewPageTokens returns a codec that signs with secret (at least 16 bytes
// recommended; the same secret must be used by every instance).
func NewPageTokens(secret []byte) *PageTokens {
	return &PageTokens{key: append([]byte(nil), secret...)}
}

type pageToken struct {
	Cursor json.RawMessage `json:"c"`
	MAC    []byte          `json:"m"`
}

func (p *PageTokens) mac(scope string, cursor []byte) []byte {
	h := hmac.New(sha256.New, p.key)
	h.Write([]byte(scope))
	h.Write([]byte{0})
	h.Write(cursor)
	return h.Sum(nil)
}

// Encode returns a token for cursor (any JSON-encodable value) in the list
// named by scope (e.g. the partition being paged).
func (p *PageTokens) Encode(scope string, cursor any) (string, error) {
	c, err := json.Marshal(cursor)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(pageToken{Cursor: c, MAC: p.mac(scope, c)})
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Decode verifies token for scope and decodes its cursor into dst. It returns
// InvalidPageToken (BadRequest) for anything not produced by Encode for the
// same scope.
func (p *PageTokens) Decode(scope, token string, dst any) error {
	bad := InvalidPageToken()
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return bad
	}
	var t pageToken
	if err := json.Unmarshal(raw, &t); err != nil || len(t.Cursor) == 0 {
		return bad
	}
	if !hmac.Equal(t.MAC, p.mac(scope, t.Cursor)) {
		return bad
	}
	if err := json.Unmarshal(t.Cursor, dst); err != nil {
		return bad
	}
	return nil
}
