package auth

import "errors"

// Client-safe reasons carried by TokenError. They appear verbatim in the
// "Unauthorized: <reason>" message of the 401 (api.WriteUnauthorized,
// called by the server's authenticate middleware).
const (
	ReasonMissingToken     = "missing authorization token"
	ReasonMalformed        = "malformed token"
	ReasonUnsupportedAlg   = "unsupported algorithm"
	ReasonUnknownKey       = "unknown signing key"
	ReasonInvalidSignature = "invalid signature"
	ReasonExpired          = "token expired"
	ReasonNotYetValid      = "token not yet valid"
	ReasonWrongIssuer      = "wrong issuer"
	ReasonWrongAudience    = "wrong audience"
	ReasonWrongTokenUse    = "wrong token_use"
	ReasonKeysUnavailable  = "signing keys unavailable"

	// ReasonUntrustedAudience: an id token's "aud" names an allowed client
	// and also one that is not (OpenID Connect Core 3.1.3.7).
	ReasonUntrustedAudience = "untrusted audience"
	// ReasonInvalidGroups: "cognito:groups" is present but not an array of
	// strings.
	ReasonInvalidGroups = "cognito:groups is not an array of strings"
	// ReasonDuplicateClaim: the payload object names a claim twice.
	ReasonDuplicateClaim = "duplicate claim name"
	// ReasonDuplicateHeader: the protected header names a parameter twice.
	ReasonDuplicateHeader = "duplicate header parameter"
)

// ErrNoIdentity is returned by IdentityFrom when the context carries no
// verified Identity.
var ErrNoIdentity = errors.New("auth: no identity in context")

// ErrUnknownKey is wrapped by KeySource implementations when the key set has
// no usable RS256 key for the requested kid.
var ErrUnknownKey = errors.New("auth: unknown signing key")

// TokenError is the only error type returned by Verifier.Verify. Reason is a
// short client-safe description (one of the Reason* constants); Err carries
// internal detail for logs and may be nil. Never send Err to clients.
type TokenError struct {
	Reason string
	Err    error
}

// Error returns "auth: <reason>" followed by the internal detail, if any.
func (e *TokenError) Error() string {
	if e.Err == nil {
		return "auth: " + e.Reason
	}
	return "auth: " + e.Reason + ": " + e.Err.Error()
}

// Unwrap returns the internal detail error, which may be nil.
func (e *TokenError) Unwrap() error { return e.Err }

// ReasonOf returns the client-safe reason of a *TokenError found in err's
// chain, or ReasonMalformed for any other non-nil error, or "" for nil.
func ReasonOf(err error) string {
	if err == nil {
		return ""
	}
	var te *TokenError
	if errors.As(err, &te) {
		return te.Reason
	}
	return ReasonMalformed
}

// tokenErr builds a *TokenError; detail may be nil.
func tokenErr(reason string, detail error) *TokenError {
	return &TokenError{Reason: reason, Err: detail}
}
