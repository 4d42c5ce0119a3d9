// Package e2e_test drives Dayline end to end: real HTTP through httptest,
// real RS256 tokens verified against a JWKS served over HTTP (standing in
// for Cognito), the real GraphQL handler, and a real store.
package e2e_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/server"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
	"github.com/dayline/dayline/store/dynamo/dynamotest"
	"github.com/oklog/ulid/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

const (
	testIssuer   = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_test"
	testClientID = "dayline-test-client"
	// testDay is a Monday: weekday schedules apply on it.
	testDay = "2026-03-30"
)

// sharedKeyDir keeps one RSA signing key for the whole suite (generating a
// key per test would dominate the run time).
var sharedKeyDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dayline-e2e-keys")
	if err != nil {
		panic(err)
	}
	sharedKeyDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// opener opens a fresh, empty store for one test.
type opener func(t testing.TB) store.Store

// storeFactory names an opener.
type storeFactory struct {
	name string
	open opener
}

// stores lists the stores the end-to-end suite runs against: the embedded
// store always, DynamoDB Local when DAYLINE_TEST_DYNAMODB_ENDPOINT is set
// (a missing endpoint skips those subtests, or fails them when
// DAYLINE_REQUIRE_DYNAMODB=1, as in CI).
func stores() []storeFactory {
	return []storeFactory{
		{name: "bolt", open: openBolt},
		{name: "dynamodb", open: func(t testing.TB) store.Store { return dynamotest.NewTestStore(t) }},
	}
}

func openBolt(t testing.TB) store.Store {
	t.Helper()
	st, err := bolt.Open(t.TempDir()+"/dayline.db", store.NewPageTokens([]byte("e2e-page-token-secret")))
	if err != nil {
		t.Fatalf("open bolt store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// forEachStore runs fn as a subtest per store.
func forEachStore(t *testing.T, fn func(t *testing.T, open opener)) {
	for _, sf := range stores() {
		t.Run(sf.name, func(t *testing.T) { fn(t, sf.open) })
	}
}

// env is a running Dayline: an httptest server in OIDC mode whose JWKS is
// served by a second httptest server, seeded with two organisations.
type env struct {
	t      testing.TB
	URL    string
	Store  store.Store
	Issuer *auth.LocalIssuer
	KeyDir string
	// TokenNow is the clock of the issuer and the verifier: the instant
	// the env was made.
	TokenNow func() time.Time
	handler  http.Handler
	tokens   map[string]string
	// ids are the ids Dayline generated (new users', organisations',
	// schedules'...), in order.
	ids *generatedIDs
	// GraphQL is the env's GraphQL handler.
	GraphQL *api.Handler
}

// generatedIDs records the ids an env's Dayline generates.
type generatedIDs struct {
	mu  sync.Mutex
	all []string
}

// next returns a new id (a ULID, as `dayline serve` makes) and records it.
func (g *generatedIDs) next() string {
	id := ulid.Make().String()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.all = append(g.all, id)
	return id
}

// list returns the ids generated so far.
func (g *generatedIDs) list() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.all)
}

// generatedUser returns the stored user with email among those whose id
// Dayline generated (createOrganisation's admin, addUser's user).
func (e *env) generatedUser(t testing.TB, email string) domain.User {
	t.Helper()
	users, err := e.Store.GetUsers(t.Context(), e.ids.list())
	if err != nil {
		t.Fatalf("GetUsers: %v", err)
	}
	for _, u := range users {
		if string(u.Email) == email {
			return u
		}
	}
	t.Fatalf("no user with email %s among the generated ids", email)
	return domain.User{}
}

type envOption func(*api.Config, *server.Config)

func newEnv(t testing.TB, open func(t testing.TB) store.Store, opts ...envOption) *env {
	t.Helper()
	e := newInstance(t, open(t), opts...)
	seedTenants(t, e.Store)
	return e
}

// otherInstance is a second Dayline on first's store, with first's token
// keys: another instance of the same deployment (opts as newEnv's).
func otherInstance(t testing.TB, first *env, opts ...envOption) *env {
	t.Helper()
	return newInstance(t, first.Store, opts...)
}

// newInstance is a Dayline on st, which it does not seed.
func newInstance(t testing.TB, st store.Store, opts ...envOption) *env {
	t.Helper()
	keyDir := sharedKeyDir
	// Tokens are minted and verified at one instant: a token's validity
	// (exp, nbf, iat, each with the verifier's leeway) never depends on how
	// long the test runs.
	minted := time.Now()
	now := func() time.Time { return minted }
	issuer, err := auth.OpenLocalIssuer(keyDir, testIssuer, testClientID, now)
	if err != nil {
		t.Fatalf("local issuer: %v", err)
	}
	jwks := httptest.NewServer(issuer.JWKSHandler())
	t.Cleanup(jwks.Close)
	verifier, err := auth.NewVerifier(auth.Config{Issuer: testIssuer, JWKSURL: jwks.URL, ClientIDs: []string{testClientID}, Now: now},
		auth.NewRemoteKeySource(jwks.URL, jwks.Client(), time.Second, time.Now))
	if err != nil {
		t.Fatalf("verifier: %v", err)
	}
	ids := &generatedIDs{}
	acfg := api.Config{Store: st, Now: time.Now, NewID: ids.next, Introspection: true}
	scfg := server.Config{Verifier: verifier, MaxBodyBytes: 64 << 10}
	for _, o := range opts {
		o(&acfg, &scfg)
	}
	gql := api.New(acfg)
	scfg.GraphQL = gql
	h := server.New(scfg)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, URL: srv.URL, Store: st, ids: ids, Issuer: issuer, KeyDir: keyDir, TokenNow: now, handler: h, tokens: map[string]string{}, GraphQL: gql}
}

// token returns a token for a seeded user id (its role's group), or for
// "operator" (the Operators group, no user record).
func (e *env) token(userID string) string {
	e.t.Helper()
	if tok, ok := e.tokens[userID]; ok {
		return tok
	}
	group := domain.GroupOperators
	if userID != "operator" {
		users, err := e.Store.GetUsers(e.t.Context(), []string{userID})
		if err != nil || len(users) != 1 {
			e.t.Fatalf("token for %s: user not found (%v)", userID, err)
		}
		group = users[0].Role.Group()
	}
	tok := e.mint(userID, group)
	e.tokens[userID] = tok
	return tok
}

func (e *env) mint(sub string, groups ...string) string {
	e.t.Helper()
	tok, err := e.Issuer.Mint(sub, groups, "", time.Hour)
	if err != nil {
		e.t.Fatalf("mint: %v", err)
	}
	return tok
}

// gqlResponse is an AppSync-shaped GraphQL response. Data holds the JSON
// of each top-level field (nil when data is null or absent): decodeData
// and dataAs decode it into typed structs, hasData tells a value from null.
type gqlResponse struct {
	Status int
	Data   map[string]json.RawMessage
	Errors []gqlError
	Raw    string
}

// hasData reports whether data holds field with a value other than null.
func (r gqlResponse) hasData(field string) bool {
	v, ok := r.Data[field]
	return ok && string(v) != "null"
}

// fieldsWithData lists, sorted, the top-level fields whose value is not null.
func (r gqlResponse) fieldsWithData() []string {
	var out []string
	for field := range r.Data {
		if r.hasData(field) {
			out = append(out, field)
		}
	}
	slices.Sort(out)
	return out
}

// responseBody is a GraphQL response body whose data decodes into D.
type responseBody[D any] struct {
	Data   *D         `json:"data"`
	Errors []gqlError `json:"errors"`
}

// decodeData returns the data of r decoded into a D (the zero D when data
// is null or absent). It fails t when the body does not decode into D.
func decodeData[D any](t testing.TB, r gqlResponse) D {
	t.Helper()
	var body responseBody[D]
	if err := json.Unmarshal([]byte(r.Raw), &body); err != nil {
		t.Fatalf("decode data into %T: %v: %s", *new(D), err, r.Raw)
	}
	if body.Data == nil {
		var zero D
		return zero
	}
	return *body.Data
}

// dataAs sends query as the seeded user id and returns its data decoded
// into a D. It fails t unless the answer is HTTP 200 without errors.
func dataAs[D any](t testing.TB, e *env, userID, query string, vars map[string]any) D {
	t.Helper()
	r := e.as(userID, query, vars)
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("as %s: status %d: %s", userID, r.Status, r.Raw)
	}
	return decodeData[D](t, r)
}

// gqlError is one AppSync-shaped GraphQL error as it is on the wire.
type gqlError struct {
	Message    string
	ErrorType  string   `json:"errorType"`
	Path       ast.Path `json:"path"`
	Locations  []struct{ Line, Column int }
	Extensions struct {
		Code string `json:"code"`
	}
}

// errorTypes lists the errorType of every error.
func (r gqlResponse) errorTypes() []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.ErrorType)
	}
	return out
}

// post sends a GraphQL request with token (none when "").
func (e *env) post(token, query string, vars map[string]any) gqlResponse {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return e.raw(token, "application/json", body)
}

// as sends query as the seeded user id.
func (e *env) as(userID, query string, vars map[string]any) gqlResponse {
	e.t.Helper()
	return e.post(e.token(userID), query, vars)
}

func (e *env) raw(token, contentType string, body []byte) gqlResponse {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.send(req)
}

func (e *env) send(req *http.Request) gqlResponse {
	e.t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("request: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	out := gqlResponse{Status: res.StatusCode, Raw: string(b)}
	if err := out.decode(b); err != nil {
		e.t.Fatalf("response is not JSON (status %d): %s", res.StatusCode, b)
	}
	return out
}

// decode fills r's Data and Errors from the response body b.
func (r *gqlResponse) decode(b []byte) error {
	var body responseBody[map[string]json.RawMessage]
	if err := json.Unmarshal(b, &body); err != nil {
		return err
	}
	r.Errors = body.Errors
	if body.Data != nil {
		r.Data = *body.Data
	}
	return nil
}

// healthy fails the test unless the server still answers.
func (e *env) healthy() {
	e.t.Helper()
	res, err := http.Get(e.URL + "/healthz")
	if err != nil || res.StatusCode != http.StatusOK {
		e.t.Fatalf("server no longer healthy: %v", err)
	}
	res.Body.Close()
}

// Seeded tenants: organisations "a" and "b", each with an admin, a
// caregiver and two members; each member owns one weekday schedule with
// two tasks; member 1 has ticked its first task on testDay.
func seedTenants(t testing.TB, st store.Store) {
	t.Helper()
	ctx := t.Context()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, org := range []string{"a", "b"} {
		users := tenantUsers(org, now)
		if err := st.CreateOrganisation(ctx, domain.Organisation{ID: org, Name: "Org " + org, CreatedAt: now}, users[0]); err != nil {
			t.Fatalf("seed org %s: %v", org, err)
		}
		for _, u := range users[1:] {
			if err := st.CreateUser(ctx, u); err != nil {
				t.Fatalf("seed user %s: %v", u.ID, err)
			}
		}
		for _, m := range []string{org + "-member-1", org + "-member-2"} {
			s := tenantSchedule(org, m, now)
			if err := st.CreateSchedule(ctx, s); err != nil {
				t.Fatalf("seed schedule %s: %v", s.ID, err)
			}
		}
		at := now
		if _, err := st.PutCompletion(ctx, domain.Completion{OwnerID: org + "-member-1", OrganisationID: org,
			ScheduleID: org + "-member-1-sched", TaskID: org + "-member-1-task-1", Date: testDay, Completed: true, CompletedAt: &at}); err != nil {
			t.Fatalf("seed completion: %v", err)
		}
	}
}

func tenantUsers(org string, now time.Time) []domain.User {
	mk := func(suffix string, role domain.Role, i int) domain.User {
		at := now.Add(time.Duration(i) * time.Second)
		phone := scalars.Phone("+31 6 1234 567" + string(rune('0'+i)))
		return domain.User{ID: org + "-" + suffix, OrganisationID: org, Name: org + " " + suffix,
			Email: scalars.Email(org + "-" + suffix + "@example.com"), Phone: &phone, Role: role, Version: 1, CreatedAt: at, UpdatedAt: at}
	}
	return []domain.User{
		mk("admin", domain.RoleAdmin, 0), mk("caregiver", domain.RoleCaregiver, 1),
		mk("member-1", domain.RoleMember, 2), mk("member-2", domain.RoleMember, 3),
	}
}

func tenantSchedule(org, ownerID string, now time.Time) domain.Schedule {
	s := domain.Schedule{ID: ownerID + "-sched", OrganisationID: org, OwnerID: ownerID, Title: "Mornings of " + ownerID,
		Timezone: "Europe/Amsterdam", Days: []domain.Weekday{domain.Monday, domain.Tuesday, domain.Wednesday, domain.Thursday, domain.Friday},
		Active: true, CreatedAt: now}
	s.Tasks = []domain.Task{
		{ID: ownerID + "-task-2", Title: "Breakfast", StartTime: "08:00", DurationMinutes: 20},
		{ID: ownerID + "-task-1", Title: "Get up", StartTime: "07:00", DurationMinutes: 10},
	}
	return s.Changed(now)
}
