package auth

import (
	"strings"
)

// TokenFromHeader extracts the token from an Authorization header value:
// the part after a case-insensitive "Bearer " prefix, or the whole trimmed
// value. It returns "" when no token is present.
func TokenFromHeader(h string) string {
	h = strings.TrimSpace(h)
	const prefix = "bearer"
	if len(h) >= len(prefix) && strings.EqualFold(h[:len(prefix)], prefix) {
		rest := h[len(prefix):]
		if rest == "" {
			return ""
		}
		if rest[0] == ' ' || rest[0] == '\t' {
			return strings.TrimSpace(rest)
		}
	}
	return h
}
