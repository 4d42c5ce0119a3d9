// Package cognitotest gives tests a fresh user pool on cognito-local (the
// npm package, started by scripts/cognito-local/start.sh, found through
// $DAYLINE_TEST_COGNITO_ENDPOINT): the pool with Dayline's four groups
// and an app client allowing USER_PASSWORD_AUTH, a cognito.Client for
// it, and what a test does as the pool's users or its operator (set a
// password, sign in, read a user and its groups).
//
// Tests reach the pool through a Front (front.go): it answers the one
// call cognito-local 5.3.0 does not serve (AdminUserGlobalSignOut),
// counting it, and fails chosen calls on request.
package cognitotest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/dayline/dayline/cognito"
	"github.com/dayline/dayline/domain"
)

// Environment variables: where cognito-local runs, and whether its
// absence fails the tests (scripts/test.sh sets both) instead of
// skipping them.
const (
	EnvEndpoint = "DAYLINE_TEST_COGNITO_ENDPOINT"
	EnvRequire  = "DAYLINE_REQUIRE_COGNITO"
)

// Groups are the groups of every pool NewPool makes: Dayline's.
var Groups = []string{domain.GroupOperators, domain.GroupAdmins, domain.GroupCaregivers, domain.GroupMembers}

// Endpoint returns cognito-local's endpoint. Without one it skips tb, or
// fails it when $DAYLINE_REQUIRE_COGNITO is 1.
func Endpoint(tb testing.TB) string {
	tb.Helper()
	ep := os.Getenv(EnvEndpoint)
	if ep != "" {
		return ep
	}
	msg := "no cognito-local: set $" + EnvEndpoint + " (scripts/cognito-local/start.sh prints it; make test does it all)"
	if os.Getenv(EnvRequire) == "1" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
	return ""
}

// Pool is a fresh user pool on cognito-local, reached through its Front.
type Pool struct {
	ID       string
	ClientID string
	// Issuer is the "iss" of the pool's tokens: cognito-local's endpoint
	// and the pool id (https://cognito-idp.<region>.amazonaws.com/<id> on
	// AWS).
	Issuer string
	// JWKSURL is where the pool's signing keys are.
	JWKSURL string
	Front   *Front
	local   string
}

// NewPool creates a pool on cognito-local whose users sign in with their
// email, with groups (Groups when none given) and an app client for
// USER_PASSWORD_AUTH. It skips or fails tb as Endpoint does.
func NewPool(tb testing.TB, groups ...string) *Pool {
	tb.Helper()
	local := Endpoint(tb)
	if len(groups) == 0 {
		groups = Groups
	}
	p := &Pool{local: local}
	var pool struct{ UserPool struct{ Id string } }
	p.must(tb, "CreateUserPool", map[string]any{"PoolName": tb.Name(), "UsernameAttributes": []string{"email"}}, &pool)
	p.ID = pool.UserPool.Id
	for _, g := range groups {
		p.must(tb, "CreateGroup", map[string]any{"UserPoolId": p.ID, "GroupName": g}, nil)
	}
	var client struct{ UserPoolClient struct{ ClientId string } }
	p.must(tb, "CreateUserPoolClient", map[string]any{"UserPoolId": p.ID, "ClientName": "dayline-test", "ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH"}}, &client)
	p.ClientID = client.UserPoolClient.ClientId
	p.Issuer = local + "/" + p.ID
	p.JWKSURL = p.Issuer + "/.well-known/jwks.json"
	p.Front = newFront(tb, local)
	return p
}

// Client returns a cognito.Client of the pool, through the Front.
func (p *Pool) Client(tb testing.TB) *cognito.Client {
	tb.Helper()
	c, err := cognito.New(cognito.Config{UserPoolID: p.ID, Endpoint: p.Front.URL, Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")})
	if err != nil {
		tb.Fatalf("cognito client: %v", err)
	}
	return c
}

// SetPassword gives user (its sub or email) the permanent password pw:
// what the user does with the invitation's temporary one.
func (p *Pool) SetPassword(tb testing.TB, user, pw string) {
	tb.Helper()
	p.must(tb, "AdminSetUserPassword", map[string]any{"UserPoolId": p.ID, "Username": user, "Password": pw, "Permanent": true}, nil)
}

// Tokens are what a sign-in returns.
type Tokens struct {
	IDToken     string `json:"IdToken"`
	AccessToken string `json:"AccessToken"`
}

// SignIn signs in as email with pw (InitiateAuth, USER_PASSWORD_AUTH) and
// returns the tokens, or the error cognito-local answered.
func (p *Pool) SignIn(ctx context.Context, email, pw string) (Tokens, error) {
	var out struct{ AuthenticationResult Tokens }
	err := p.call(ctx, "InitiateAuth", map[string]any{
		"ClientId": p.ClientID, "AuthFlow": "USER_PASSWORD_AUTH",
		"AuthParameters": map[string]string{"USERNAME": email, "PASSWORD": pw},
	}, &out)
	if err == nil && out.AuthenticationResult.AccessToken == "" {
		err = fmt.Errorf("InitiateAuth answered no tokens (a challenge?)")
	}
	return out.AuthenticationResult, err
}

// User is a user of the pool as AdminGetUser tells it.
type User struct {
	Sub, Email string
	Enabled    bool
	Status     string
}

// User returns the pool's user (its sub or email), and false when the pool
// has none.
func (p *Pool) User(tb testing.TB, user string) (User, bool) {
	tb.Helper()
	var out struct {
		Enabled        bool
		UserStatus     string
		UserAttributes []struct{ Name, Value string }
	}
	err := p.call(tb.Context(), "AdminGetUser", map[string]any{"UserPoolId": p.ID, "Username": user}, &out)
	if apiErr, ok := err.(*callError); ok && apiErr.Type == "UserNotFoundException" {
		return User{}, false
	}
	if err != nil {
		tb.Fatalf("AdminGetUser %s: %v", user, err)
	}
	u := User{Enabled: out.Enabled, Status: out.UserStatus}
	for _, a := range out.UserAttributes {
		switch a.Name {
		case "sub":
			u.Sub = a.Value
		case "email":
			u.Email = a.Value
		}
	}
	return u, true
}

// GroupsOf returns the groups of user (its sub or email), by name.
func (p *Pool) GroupsOf(tb testing.TB, user string) []string {
	tb.Helper()
	var out struct{ Groups []struct{ GroupName string } }
	p.must(tb, "AdminListGroupsForUser", map[string]any{"UserPoolId": p.ID, "Username": user}, &out)
	names := []string{}
	for _, g := range out.Groups {
		names = append(names, g.GroupName)
	}
	return names
}

// must calls op on cognito-local directly, failing tb on an error.
func (p *Pool) must(tb testing.TB, op string, in, out any) {
	tb.Helper()
	if err := p.call(tb.Context(), op, in, out); err != nil {
		tb.Fatalf("cognito-local %s: %v", op, err)
	}
}

// callError is an error answer of cognito-local.
type callError struct {
	Op, Type, Message string
	Status            int
}

func (e *callError) Error() string {
	return fmt.Sprintf("%s: %s (HTTP %d): %s", e.Op, e.Type, e.Status, e.Message)
}

// call sends op to cognito-local, unsigned (it checks no signature), and
// decodes the answer into out (nil: ignore it).
func (p *Pool) call(ctx context.Context, op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.local, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		var doc struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(answer, &doc)
		return &callError{Op: op, Type: doc.Type, Message: doc.Message, Status: resp.StatusCode}
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(answer, out)
}
