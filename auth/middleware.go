package auth

import (
	"encoding/json"
	"net/http"
	"strings"
)

// unauthorizedBody is the AppSync-shaped error document written on 401.
type unauthorizedBody struct {
	Errors []unauthorizedError `json:"errors"`
}

type unauthorizedError struct {
	ErrorType string `json:"errorType"`
	Message   string `json:"message"`
}

// Middleware authenticates every request with v. It reads the token from the
// Authorization header, either "Bearer <jwt>" or the raw "<jwt>" that AppSync
// clients (Amplify) send. On success the Identity is stored in the request
// context (see IdentityFrom); on failure it writes a 401 via
// WriteUnauthorized and does not call next.
func Middleware(v *Verifier) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			raw := TokenFromHeader(r.Header.Get("Authorization"))
			if raw == "" {
				WriteUnauthorized(w, ReasonMissingToken)
				return
			}
			id, err := v.Verify(r.Context(), raw)
			if err != nil {
				WriteUnauthorized(w, ReasonOf(err))
				return
			}
			next.ServeHTTP(w, r.WithContext(WithIdentity(r.Context(), id)))
		})
	}
}

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

// WriteUnauthorized writes HTTP 401 with Content-Type application/json and
// the body {"errors":[{"errorType":"UnauthorizedException","message":
// "Unauthorized: <reason>"}]}. Write errors are ignored: the client is gone.
func WriteUnauthorized(w http.ResponseWriter, reason string) {
	body, err := json.Marshal(unauthorizedBody{Errors: []unauthorizedError{{
		ErrorType: "UnauthorizedException",
		Message:   "Unauthorized: " + reason,
	}}})
	if err != nil { // unreachable: the body is plain strings
		body = []byte(`{"errors":[{"errorType":"UnauthorizedException","message":"Unauthorized"}]}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write(body)
}
