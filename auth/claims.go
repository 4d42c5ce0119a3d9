package auth

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// Claim names used by Cognito tokens.
const (
	claimIssuer          = "iss"
	claimSubject         = "sub"
	claimAudience        = "aud"
	claimClientID        = "client_id"
	claimTokenUse        = "token_use"
	claimExpiry          = "exp"
	claimNotBefore       = "nbf"
	claimIssuedAt        = "iat"
	claimEmail           = "email"
	claimGroups          = "cognito:groups"
	claimCognitoUsername = "cognito:username"
	claimUsername        = "username"
	tokenUseID           = "id"
	tokenUseAccess       = "access"
)

// maxNumericDate bounds NumericDate claims (year ~5138) so conversions to
// time.Time cannot overflow.
const maxNumericDate = 1e11

// checkClaims validates signature-verified claims at now and builds the
// Identity. Every failure is a *TokenError with a Reason* constant.
func (v *Verifier) checkClaims(claims map[string]any, now time.Time) (Identity, error) {
	iss, _ := claims[claimIssuer].(string)
	if iss != v.issuer {
		return Identity{}, tokenErr(ReasonWrongIssuer, fmt.Errorf("iss %.128q", iss))
	}
	use, _ := claims[claimTokenUse].(string)
	if use != tokenUseID && use != tokenUseAccess {
		return Identity{}, tokenErr(ReasonWrongTokenUse, fmt.Errorf("token_use %.32q", use))
	}
	if err := v.checkClient(claims, use); err != nil {
		return Identity{}, err
	}
	exp, err := v.checkTimes(claims, now)
	if err != nil {
		return Identity{}, err
	}
	sub, _ := claims[claimSubject].(string)
	if sub == "" {
		return Identity{}, tokenErr(ReasonMalformed, errors.New("missing sub"))
	}
	groups, err := GroupsClaim(claims)
	if err != nil {
		return Identity{}, tokenErr(ReasonInvalidGroups, err)
	}
	id := Identity{
		Sub:       sub,
		Username:  sub,
		Groups:    groups[:len(groups):len(groups)],
		TokenUse:  use,
		Issuer:    iss,
		ExpiresAt: exp,
		Claims:    claims,
	}
	id.Email, _ = claims[claimEmail].(string)
	for _, name := range []string{claimCognitoUsername, claimUsername} {
		if u, _ := claims[name].(string); u != "" {
			id.Username = u
			break
		}
	}
	return id, nil
}

// checkClient enforces ClientIDs: "aud" for id tokens, "client_id" for access
// tokens. An id token's "aud" (a string or an array of strings) must name
// at least one allowed client and nothing else. It returns a
// ReasonWrongAudience error when no allowed client is named (or aud is
// missing or mistyped), and a ReasonUntrustedAudience error when an allowed
// client is named beside one that is not allowed.
func (v *Verifier) checkClient(claims map[string]any, use string) error {
	if len(v.clientIDs) == 0 {
		return nil
	}
	if use == tokenUseAccess {
		cid, _ := claims[claimClientID].(string)
		if !v.allowedClient(cid) {
			return tokenErr(ReasonWrongAudience, fmt.Errorf("client_id %.128q", cid))
		}
		return nil
	}
	aud, err := stringList(claims[claimAudience])
	if err != nil {
		return tokenErr(ReasonWrongAudience, fmt.Errorf("aud: %w", err))
	}
	if !slices.ContainsFunc(aud, v.allowedClient) {
		return tokenErr(ReasonWrongAudience, fmt.Errorf("aud %.128q", aud))
	}
	if i := slices.IndexFunc(aud, func(a string) bool { return !v.allowedClient(a) }); i >= 0 {
		return tokenErr(ReasonUntrustedAudience, fmt.Errorf("aud %.128q", aud[i]))
	}
	return nil
}

// allowedClient reports whether id is one of the configured client ids.
func (v *Verifier) allowedClient(id string) bool { return slices.Contains(v.clientIDs, id) }

// checkTimes validates exp (required), nbf and iat with the leeway and
// returns the expiry. Errors: ReasonMalformed for missing or non-numeric
// values, ReasonExpired, ReasonNotYetValid.
func (v *Verifier) checkTimes(claims map[string]any, now time.Time) (time.Time, error) {
	exp, ok, err := numericDate(claims, claimExpiry)
	if err != nil || !ok {
		return time.Time{}, tokenErr(ReasonMalformed, errors.Join(errors.New("exp required"), err))
	}
	if isExpired(now, exp, v.leeway) {
		return time.Time{}, tokenErr(ReasonExpired, fmt.Errorf("expired at %s", exp.UTC().Format(time.RFC3339)))
	}
	for _, name := range []string{claimNotBefore, claimIssuedAt} {
		t, ok, err := numericDate(claims, name)
		if err != nil {
			return time.Time{}, tokenErr(ReasonMalformed, err)
		}
		if ok && t.After(now.Add(v.leeway)) {
			return time.Time{}, tokenErr(ReasonNotYetValid, fmt.Errorf("%s %s is in the future", name, t.UTC().Format(time.RFC3339)))
		}
	}
	return exp, nil
}

// numericDate reads a NumericDate claim. ok is false when the claim is
// absent; err is set when it is present but not a plausible number.
func numericDate(claims map[string]any, name string) (t time.Time, ok bool, err error) {
	raw, present := claims[name]
	if !present {
		return time.Time{}, false, nil
	}
	f, isNum := raw.(float64)
	if !isNum || math.IsNaN(f) || f < 0 || f > maxNumericDate {
		return time.Time{}, false, fmt.Errorf("claim %s is not a valid NumericDate", name)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true, nil
}

// GroupsClaim reads "cognito:groups", which must be absent or an array of
// strings (possibly empty). It returns an error for any other JSON type,
// null included, and for an array holding anything but strings; nothing is
// coerced.
func GroupsClaim(claims map[string]any) ([]string, error) {
	raw, present := claims[claimGroups]
	if !present {
		return nil, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("cognito:groups is a JSON %s", jsonTypeName(raw))
	}
	groups := make([]string, 0, len(list))
	for i, e := range list {
		g, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("cognito:groups[%d] is a JSON %s", i, jsonTypeName(e))
		}
		groups = append(groups, g)
	}
	return groups, nil
}

// jsonTypeName names the JSON type of a value decoded into any.
func jsonTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// stringList reads "aud", which may be absent, a string, or an array of
// strings. It returns an error for any other shape.
func stringList(raw any) ([]string, error) {
	switch v := raw.(type) {
	case nil:
		return nil, nil
	case string:
		return []string{v}, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, errors.New("array element is not a string")
			}
			out = append(out, s)
		}
		return out, nil
	default:
		return nil, fmt.Errorf("unexpected type %T", raw)
	}
}
