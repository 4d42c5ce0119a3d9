package appsync_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/appsync"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
	"github.com/dayline/dayline/store/storetest"
)

// testDay is a Monday: weekday schedules apply on it.
const testDay = "2026-03-30"

// env is the AppSync adapter over the real GraphQL handler and an embedded
// store seeded with two organisations, a and b, each with an admin, a
// caregiver and two members with a weekday schedule of two tasks.
type env struct {
	t       testing.TB
	Store   *storetest.Counting
	Handler *appsync.Handler
	// Ctx, when set, is the context each event is handled in (a test may
	// count DynamoDB requests in it); context.Background otherwise.
	Ctx func() context.Context
	// afterStep, when set, returns what the test counts besides store
	// calls for the events handled since Ctx was last called.
	afterStep func() int
}

type envOption func(*api.Config, *appsync.Config)

func newEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	st, err := bolt.Open(t.TempDir()+"/dayline.db", store.NewPageTokens([]byte("appsync-test-page-token-secret")))
	if err != nil {
		t.Fatalf("open bolt store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return newEnvOn(t, st, opts...)
}

// newEnvOn is newEnv on st.
func newEnvOn(t testing.TB, st store.Store, opts ...envOption) *env {
	t.Helper()
	counting := &storetest.Counting{Store: st}
	seedTenants(t, st)
	acfg := api.Config{Store: counting, Now: time.Now, NewID: func() string { return ulid.Make().String() }}
	cfg := appsync.Config{}
	for _, o := range opts {
		o(&acfg, &cfg)
	}
	cfg.GraphQL = api.New(acfg)
	return &env{t: t, Store: counting, Handler: appsync.New(cfg)}
}

func seedTenants(t testing.TB, st store.Store) {
	t.Helper()
	ctx := t.Context()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, org := range []string{"a", "b"} {
		mk := func(suffix string, role domain.Role, i int) domain.User {
			at := now.Add(time.Duration(i) * time.Second)
			return domain.User{ID: org + "-" + suffix, OrganisationID: org, Name: org + " " + suffix,
				Email: scalars.Email(org + "-" + suffix + "@example.com"), Role: role, Version: 1, CreatedAt: at, UpdatedAt: at}
		}
		users := []domain.User{mk("admin", domain.RoleAdmin, 0), mk("caregiver", domain.RoleCaregiver, 1),
			mk("member-1", domain.RoleMember, 2), mk("member-2", domain.RoleMember, 3)}
		if err := st.CreateOrganisation(ctx, domain.Organisation{ID: org, Name: "Org " + org, CreatedAt: now}, users[0]); err != nil {
			t.Fatalf("seed org %s: %v", org, err)
		}
		for _, u := range users[1:] {
			if err := st.CreateUser(ctx, u); err != nil {
				t.Fatalf("seed user %s: %v", u.ID, err)
			}
		}
		for _, m := range []string{org + "-member-1", org + "-member-2"} {
			if err := st.CreateSchedule(ctx, weekdaySchedule(org, m, now)); err != nil {
				t.Fatalf("seed schedule of %s: %v", m, err)
			}
		}
	}
}

func weekdaySchedule(org, ownerID string, now time.Time) domain.Schedule {
	s := domain.Schedule{ID: ownerID + "-sched", OrganisationID: org, OwnerID: ownerID, Title: "Mornings of " + ownerID,
		Timezone: "Europe/Amsterdam", Days: []domain.Weekday{domain.Monday, domain.Tuesday, domain.Wednesday, domain.Thursday, domain.Friday},
		Active: true, CreatedAt: now}
	s.Tasks = []domain.Task{
		{ID: ownerID + "-task-2", Title: "Breakfast", StartTime: "08:00", DurationMinutes: 20},
		{ID: ownerID + "-task-1", Title: "Get up", StartTime: "07:00", DurationMinutes: 10},
	}
	return s.Changed(now)
}

// groupOf is the Cognito group of a seeded user id.
func groupOf(userID string) string {
	for _, r := range []struct {
		suffix string
		role   domain.Role
	}{{"admin", domain.RoleAdmin}, {"caregiver", domain.RoleCaregiver}, {"member-1", domain.RoleMember}, {"member-2", domain.RoleMember}} {
		if len(userID) > len(r.suffix) && userID[len(userID)-len(r.suffix):] == r.suffix {
			return r.role.Group()
		}
	}
	return domain.GroupOperators
}

// event is an AppSync Direct Lambda Context object in AWS's shape (see
// testdata/invoke-query.json) for caller resolving parent.field.
func event(caller, parent, field string, args map[string]any, source any) map[string]any {
	if args == nil {
		args = map[string]any{}
	}
	group := groupOf(caller)
	return map[string]any{
		"arguments": args,
		"identity": map[string]any{
			"sub": caller, "issuer": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_test", "username": caller,
			"claims":   map[string]any{"sub": caller, "cognito:groups": []string{group}, "token_use": "id", "email": caller + "@example.com"},
			"sourceIp": []string{"192.0.2.10"}, "defaultAuthStrategy": "ALLOW", "groups": []string{group},
		},
		"source":  source,
		"request": map[string]any{"headers": map[string]any{"authorization": "eyJraWQiOiJ0ZXN0In0.not-a-real-token.sig"}, "domainName": nil},
		"prev":    nil,
		"info": map[string]any{"fieldName": field, "parentTypeName": parent, "variables": map[string]any{},
			"selectionSetList": []string{}, "selectionSetGraphQL": ""},
		"stash": map[string]any{},
	}
}

// invoke sends one event (Invoke) and returns the answer's JSON or its
// *appsync.Error.
func (e *env) invoke(ev any) (json.RawMessage, *appsync.Error) {
	e.t.Helper()
	raw, err := json.Marshal(ev)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.invokeRaw(raw)
}

func (e *env) invokeRaw(raw []byte) (json.RawMessage, *appsync.Error) {
	e.t.Helper()
	base := context.Background()
	if e.Ctx != nil {
		base = e.Ctx()
	}
	ctx := api.WithRequestID(base, "req-1")
	answer, err := e.Handler.HandleEvent(ctx, raw)
	if err != nil {
		ae, ok := err.(*appsync.Error)
		if !ok {
			e.t.Fatalf("HandleEvent error %T %v, want *appsync.Error", err, err)
		}
		return nil, ae
	}
	b, merr := json.Marshal(answer)
	if merr != nil {
		e.t.Fatalf("answer does not encode: %v", merr)
	}
	return b, nil
}

// batch sends events as one BatchInvoke and returns its items.
func (e *env) batch(events ...any) []appsync.BatchItem {
	e.t.Helper()
	raw, err := json.Marshal(events)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.batchRaw(raw)
}

func (e *env) batchRaw(raw []byte) []appsync.BatchItem {
	e.t.Helper()
	out, aerr := e.invokeRaw(raw)
	if aerr != nil {
		e.t.Fatalf("BatchInvoke failed as a whole: %s: %s", aerr.Type, aerr.Message)
	}
	var items []appsync.BatchItem
	if err := json.Unmarshal(out, &items); err != nil {
		e.t.Fatalf("BatchInvoke answer %s: %v", out, err)
	}
	return items
}

// decode decodes raw into a T.
func decode[T any](t testing.TB, raw json.RawMessage) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return v
}
