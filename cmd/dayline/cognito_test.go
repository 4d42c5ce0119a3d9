package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dayline/dayline/cognito/cognitotest"
	"github.com/dayline/dayline/domain"
)

// password is every test user's password, set as the user would after
// the invitation.
const password = "Passw0rd!"

// poolEnv is the environment of a Dayline whose users live in pool.
func poolEnv(pool *cognitotest.Pool) func(string) (string, bool) {
	return envOf(map[string]string{
		"DAYLINE_OIDC_ISSUER":          pool.Issuer, // its JWKS: the issuer's /.well-known/jwks.json
		"DAYLINE_OIDC_CLIENT_IDS":      pool.ClientID,
		"DAYLINE_COGNITO_USER_POOL_ID": pool.ID,
		"DAYLINE_COGNITO_ENDPOINT":     pool.Front.URL,
		"DAYLINE_LOG_LEVEL":            "warn",
	})
}

// groupsOf returns the cognito:groups claim of a token (its signature is
// Dayline's to check).
func groupsOf(t *testing.T, token string) []string {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is no JWT", token)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("token payload: %v", err)
	}
	var claims struct {
		Groups []string `json:"cognito:groups"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatalf("token claims: %v", err)
	}
	return claims.Groups
}

// signIn sets user's password and signs in as email, returning the id
// token and checking it carries groups.
func signIn(t *testing.T, pool *cognitotest.Pool, email string, groups ...string) cognitotest.Tokens {
	t.Helper()
	pool.SetPassword(t, email, password)
	tok, err := pool.SignIn(t.Context(), email, password)
	if err != nil {
		t.Fatalf("sign in as %s: %v", email, err)
	}
	if got := groupsOf(t, tok.IDToken); !slices.Equal(got, groups) {
		t.Fatalf("%s's token has groups %v, want %v", email, got, groups)
	}
	return tok
}

// gqlError is an error of a GraphQL answer.
type gqlError struct {
	Message   string
	ErrorType string
}

// graphQL posts query with vars to url as token's holder and decodes the
// answer's data into out; it returns the answer's errors and HTTP status.
func graphQL(t *testing.T, url, token, query string, vars map[string]any, out any) ([]gqlError, int) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer res.Body.Close()
	var answer struct {
		Data   json.RawMessage
		Errors []gqlError
	}
	if err := json.NewDecoder(res.Body).Decode(&answer); err != nil {
		t.Fatalf("decode answer: %v", err)
	}
	if out != nil && len(answer.Data) > 0 && string(answer.Data) != "null" {
		if err := json.Unmarshal(answer.Data, out); err != nil {
			t.Fatalf("decode data %s: %v", answer.Data, err)
		}
	}
	return answer.Errors, res.StatusCode
}

// mustGraphQL is graphQL that fails t on any error.
func mustGraphQL(t *testing.T, url, token, query string, vars map[string]any, out any) {
	t.Helper()
	if errs, status := graphQL(t, url, token, query, vars, out); len(errs) > 0 || status != http.StatusOK {
		t.Fatalf("%s: HTTP %d, errors %+v", query, status, errs)
	}
}

// serveOnPool runs `dayline serve` in OIDC mode on pool, on a free port,
// and returns its GraphQL URL; it stops when the test ends.
func serveOnPool(t *testing.T, pool *cognitotest.Pool) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir() + "/dayline.db"}, &stdout, &stderr, poolEnv(pool))
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(hangTimeout): // a hang turned into a failure
			t.Error("serve did not stop after cancel")
		}
	})
	urlRe := regexp.MustCompile(`GraphQL:\s+(http://\S+/graphql)`)
	banner := stdout.waitFor(t, done, "banner with the URL", urlRe.MatchString)
	return urlRe.FindStringSubmatch(banner)[1]
}

// TestOperatorCreate: `dayline operator create` makes a user of the pool
// in Operators, who signs in and creates an organisation; a second run
// for the same email fails; a pool without the group keeps no user.
func TestOperatorCreate(t *testing.T) {
	pool := cognitotest.NewPool(t)
	env := poolEnv(pool)
	var stdout bytes.Buffer
	if err := run(t.Context(), []string{"operator", "create", "--email", "op@example.com"}, &stdout, &bytes.Buffer{}, env); err != nil {
		t.Fatalf("operator create: %v", err)
	}
	op, ok := pool.User(t, "op@example.com")
	if !ok || op.Status != "FORCE_CHANGE_PASSWORD" || !strings.Contains(stdout.String(), op.Sub) {
		t.Fatalf("operator %+v (found %v), printed %q", op, ok, stdout.String())
	}
	if got := pool.GroupsOf(t, op.Sub); !slices.Equal(got, []string{domain.GroupOperators}) {
		t.Errorf("operator's groups %v", got)
	}
	tok := signIn(t, pool, "op@example.com", domain.GroupOperators)
	url := serveOnPool(t, pool)
	var created struct{ CreateOrganisation struct{ ID, Name string } }
	mustGraphQL(t, url, tok.AccessToken, `mutation { createOrganisation(input: {name: "Zonnehuis", admin: {name: "Ada", email: "ada@example.com"}}) { id name } }`, nil, &created)
	if created.CreateOrganisation.Name != "Zonnehuis" {
		t.Errorf("createOrganisation = %+v", created)
	}

	err := run(t.Context(), []string{"operator", "create", "--email", "op@example.com"}, &bytes.Buffer{}, &bytes.Buffer{}, env)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "another user signs in with it") {
		t.Errorf("second operator create: %v (exit %d)", err, exitCode(err))
	}

	bare := cognitotest.NewPool(t, domain.GroupAdmins)
	err = run(t.Context(), []string{"operator", "create", "--email", "op@example.com"}, &bytes.Buffer{}, &bytes.Buffer{}, poolEnv(bare))
	if err == nil || !strings.Contains(err.Error(), "deleted again") {
		t.Errorf("operator create on a pool without Operators: %v", err)
	}
	if u, ok := bare.User(t, "op@example.com"); ok {
		t.Errorf("the pool keeps %+v", u)
	}
}

func TestOperatorCreateUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no email", []string{"operator", "create"}, map[string]string{"DAYLINE_COGNITO_USER_POOL_ID": "eu-west-1_AbC"}, "--email is required"},
		{"no pool", []string{"operator", "create", "--email", "op@example.com"}, nil, "--cognito-user-pool-id ($DAYLINE_COGNITO_USER_POOL_ID) is required"},
		{"no email address", []string{"operator", "create", "--email", "op"}, map[string]string{"DAYLINE_COGNITO_USER_POOL_ID": "eu-west-1_AbC"}, "is no email address"},
		{"operator needs create", []string{"operator"}, nil, "usage: dayline operator create"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := run(t.Context(), tc.args, &bytes.Buffer{}, &bytes.Buffer{}, envOf(tc.env))
			if exitCode(err) != 2 || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run(%q) = %v (exit %d), want exit 2 and %q", tc.args, err, exitCode(err), tc.want)
			}
		})
	}
}

func TestNewDirectory(t *testing.T) {
	tests := []struct {
		name    string
		cfg     config
		want    bool // a directory
		wantErr string
	}{
		{"no pool: none", config{Issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"}, false, ""},
		{"the issuer's pool", config{Issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC", UserPoolID: "eu-west-1_AbC"}, true, ""},
		{"dev mode", config{UserPoolID: "eu-west-1_AbC"}, false, "needs --issuer"},
		{"another pool", config{Issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC", UserPoolID: "eu-west-1_XyZ"}, false, "is not the user pool of"},
		{"no region", config{Issuer: "https://example.com/AbC", UserPoolID: "AbC"}, false, "names no region"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, err := newDirectory(tc.cfg, envOf(map[string]string{"AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"}))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("newDirectory: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("newDirectory: %v, want an error saying %q", err, tc.wantErr)
			case (dir != nil) != tc.want:
				t.Errorf("directory %v, want one: %v", dir, tc.want)
			}
		})
	}
}
