package appsync

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dayline/dayline/auth"
)

// Event is one AppSync Direct Lambda resolver event: the resolver's
// Context object, for one field of one parent. BatchInvoke sends a JSON
// array of them. aws-lambda-go has no type for it.
//
// Request carries the caller's raw JWT in its headers (authorization):
// never log an Event, or its Request.
type Event struct {
	Arguments map[string]json.RawMessage `json:"arguments"`
	Identity  *Identity                  `json:"identity"`
	// Source is the parent's JSON, as the parent's resolver returned it;
	// null for a root field.
	Source  json.RawMessage `json:"source"`
	Request Request         `json:"request"`
	Prev    json.RawMessage `json:"prev"`
	Info    Info            `json:"info"`
	Stash   json.RawMessage `json:"stash"`
}

// Identity is the caller as AppSync verified it: for Cognito user pools,
// the token's subject, issuer, user name, claims and groups.
//
// AWS sends groups (null when the caller is in none) and sourceIp as a
// list; the Amplify AppSync simulator sends no groups (they are only in
// claims["cognito:groups"]), sourceIp as one string and an extra
// "cognito:username". Both decode.
type Identity struct {
	Sub                 string         `json:"sub"`
	Issuer              string         `json:"issuer"`
	Username            string         `json:"username"`
	Claims              map[string]any `json:"claims"`
	SourceIP            SourceIP       `json:"sourceIp"`
	DefaultAuthStrategy string         `json:"defaultAuthStrategy"`
	Groups              []string       `json:"groups"`
}

// SourceIP is the caller's address(es): AWS sends a list, the Amplify
// simulator one string.
type SourceIP []string

// UnmarshalJSON accepts a list of strings, one string, or null.
func (s *SourceIP) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*s = nil
		return nil
	}
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = SourceIP{one}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("sourceIp: want a string or a list of strings")
	}
	*s = list
	return nil
}

// Request is the GraphQL request's HTTP side. Headers hold the caller's
// raw JWT: never log them.
type Request struct {
	Headers    map[string]string `json:"headers"`
	DomainName *string           `json:"domainName"`
}

// Info names the field the event resolves. SelectionSetList and
// SelectionSetGraphQL are kept for completeness but not used: they omit
// fragments (aws-appsync-community #142) and are empty under unions (#358).
type Info struct {
	FieldName           string          `json:"fieldName"`
	ParentTypeName      string          `json:"parentTypeName"`
	Variables           json.RawMessage `json:"variables"`
	SelectionSetList    []string        `json:"selectionSetList"`
	SelectionSetGraphQL string          `json:"selectionSetGraphQL"`
}

// decodeEvents decodes a Direct Lambda event: one Context object (batch
// false) or a JSON array of them (BatchInvoke). An empty array is a batch
// of none.
func decodeEvents(raw json.RawMessage) (events []Event, batch bool, err error) {
	trimmed := bytes.TrimLeft(raw, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if err := json.Unmarshal(raw, &events); err != nil {
			return nil, true, fmt.Errorf("decode BatchInvoke event: %w", err)
		}
		return events, true, nil
	}
	var e Event
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil, false, fmt.Errorf("decode Invoke event: %w", err)
	}
	return []Event{e}, false, nil
}

// errNoIdentity is why an event without a Cognito user pools identity is
// refused: every Dayline field needs a signed-in caller.
var errNoIdentity = errors.New("the event carries no Cognito user pools identity")

// authIdentity returns the caller as auth.Identity. The token is not
// verified again: AppSync did, and only AppSync may invoke the function.
// With trustedIssuer set, an identity of any other issuer (an OIDC
// provider of the same API, whose claims Dayline cannot trust) is refused.
// Groups come from identity.groups, or from claims["cognito:groups"] when
// that is null or absent (the Amplify simulator), read as the server reads
// a token's (auth.GroupsClaim: an array of strings, else refused).
func (id *Identity) authIdentity(trustedIssuer string) (auth.Identity, error) {
	if id == nil || id.Sub == "" {
		return auth.Identity{}, errNoIdentity
	}
	if trustedIssuer != "" && strings.TrimSuffix(id.Issuer, "/") != strings.TrimSuffix(trustedIssuer, "/") {
		return auth.Identity{}, fmt.Errorf("the event's identity is of issuer %q, not of the trusted Cognito user pool", id.Issuer)
	}
	out := auth.Identity{
		Sub: id.Sub, Username: id.Username, Issuer: id.Issuer, Claims: id.Claims, Groups: id.Groups,
	}
	if out.Groups == nil {
		groups, err := auth.GroupsClaim(id.Claims)
		if err != nil {
			return auth.Identity{}, fmt.Errorf("the event's identity: %w", err)
		}
		out.Groups = groups
	}
	if out.Username == "" {
		out.Username, _ = id.Claims["cognito:username"].(string)
	}
	if out.Username == "" {
		out.Username = id.Sub
	}
	out.Email, _ = id.Claims["email"].(string)
	out.TokenUse, _ = id.Claims["token_use"].(string)
	if exp, ok := id.Claims["exp"].(float64); ok {
		out.ExpiresAt = time.Unix(int64(exp), 0)
	}
	return out, nil
}
