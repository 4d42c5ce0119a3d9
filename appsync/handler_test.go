package appsync_test

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/appsync"
)

// TestInvoke: one event per case, through the real handler; the data or
// the errorType (and message) is what the server would answer.
func TestInvoke(t *testing.T) {
	e := newEnv(t)
	type user struct {
		ID, Name, Role string
		Email          *string
	}
	tests := []struct {
		name     string
		event    map[string]any
		wantType string // errorType; "" for data
		wantMsg  string // part of the message
		check    func(t *testing.T, data json.RawMessage)
	}{
		{name: "query me as a caregiver", event: event("a-caregiver", "Query", "me", nil, nil),
			check: func(t *testing.T, data json.RawMessage) {
				u := decode[user](t, data)
				if u.ID != "a-caregiver" || u.Role != "CAREGIVER" || u.Email == nil || *u.Email != "a-caregiver@example.com" {
					t.Errorf("me = %+v", u)
				}
			}},
		{name: "a member's answer leaves out the fields it may not read", event: event("a-member-1", "Query", "me", nil, nil),
			check: func(t *testing.T, data json.RawMessage) {
				fields := decode[map[string]any](t, data)
				if _, ok := fields["email"]; ok || fields["id"] != "a-member-1" {
					t.Errorf("me = %v, want id a-member-1 and no email", fields)
				}
				if _, ok := fields["organisation"]; ok {
					t.Errorf("me selects organisation, a field with its own resolver: %v", fields)
				}
			}},
		{name: "cross-tenant id", event: event("a-caregiver", "Query", "schedule", map[string]any{"id": "b-member-1-sched"}, nil),
			wantType: "NotFound", wantMsg: "b-member-1-sched"},
		{name: "nested field of a cross-tenant parent", event: event("a-caregiver", "User", "agenda", map[string]any{"date": testDay}, map[string]any{"id": "b-member-1"}),
			wantType: "NotFound"},
		{name: "denied root field", event: event("a-member-1", "Query", "listMembers", map[string]any{"organisationId": "a"}, nil),
			wantType: "Unauthorized", wantMsg: "Not Authorized to access listMembers on type Query"},
		{name: "denied nested field", event: event("a-member-1", "Organisation", "members", nil, map[string]any{"id": "a"}),
			wantType: "Unauthorized", wantMsg: "Not Authorized to access members on type Organisation"},
		{name: "stale expectedVersion", event: event("a-caregiver", "Mutation", "updateSchedule",
			map[string]any{"input": map[string]any{"id": "a-member-1-sched", "expectedVersion": 99, "title": "Late"}}, nil),
			wantType: "Conflict"},
		{name: "bad input value", event: event("a-caregiver", "Mutation", "createSchedule",
			map[string]any{"input": map[string]any{"ownerId": "a-member-1", "title": "T", "timezone": "Mars/Olympus_Mons", "days": []string{"MON"}}}, nil),
			wantType: "BadRequest"},
		{name: "bad scalar argument", event: event("a-caregiver", "Query", "agenda", map[string]any{"userId": "a-member-1", "date": "2026-13-45"}, nil),
			wantType: "BadRequest"},
		{name: "unknown argument", event: event("a-caregiver", "Query", "me", map[string]any{"id": "x"}, nil),
			wantType: "BadRequest", wantMsg: `unknown argument "id"`},
		{name: "field without an AppSync resolver", event: event("a-caregiver", "User", "name", nil, map[string]any{"id": "a-caregiver"}),
			wantType: "BadRequest", wantMsg: "User.name has no AppSync resolver"},
		{name: "nested event without a source id", event: event("a-caregiver", "User", "agenda", map[string]any{"date": testDay}, map[string]any{"name": "x"}),
			wantType: "BadRequest", wantMsg: "no id"},
		{name: "no identity", event: func() map[string]any {
			ev := event("a-caregiver", "Query", "me", nil, nil)
			ev["identity"] = nil
			return ev
		}(), wantType: "Unauthorized"},
		{name: "mutation", event: event("a-member-1", "Mutation", "completeTask", map[string]any{"taskId": "a-member-1-task-1", "date": testDay}, nil),
			check: func(t *testing.T, data json.RawMessage) {
				c := decode[struct {
					TaskID, Date string
					Completed    bool
				}](t, data)
				if c.TaskID != "a-member-1-task-1" || c.Date != testDay || !c.Completed {
					t.Errorf("completeTask = %+v", c)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := e.invoke(tc.event)
			if tc.wantType == "" {
				if err != nil {
					t.Fatalf("error %s: %s", err.Type, err.Message)
				}
				tc.check(t, data)
				return
			}
			if err == nil {
				t.Fatalf("data %s, want a %s error", data, tc.wantType)
			}
			if err.Type != tc.wantType || !strings.Contains(err.Message, tc.wantMsg) {
				t.Errorf("error %s: %q, want %s containing %q", err.Type, err.Message, tc.wantType, tc.wantMsg)
			}
			if err.ErrorType() == "UnauthorizedException" {
				t.Error("UnauthorizedException: AppSync replaces its message")
			}
		})
	}
}

// TestBatchInvoke: the answer has one item per event, in order, a failing
// item among good ones included, also when the batch runs as several
// operations.
func TestBatchInvoke(t *testing.T) {
	type agendaItem struct{ ScheduleID string }
	agenda := func(userID string) map[string]any {
		return event("a-caregiver", "User", "agenda", map[string]any{"date": testDay}, map[string]any{"id": userID, "name": "ignored"})
	}
	tests := []struct {
		name     string
		maxItems int
		users    []string
	}{
		{"one operation", 0, []string{"a-member-1", "b-member-1", "a-member-2", "a-admin"}},
		{"operations of two", 2, []string{"a-member-2", "a-member-1", "b-member-2", "a-member-1", "a-caregiver"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(_ *api.Config, c *appsync.Config) { c.MaxBatchItems = tc.maxItems })
			events := make([]any, len(tc.users))
			for i, u := range tc.users {
				events[i] = agenda(u)
			}
			items := e.batch(events...)
			if len(items) != len(tc.users) {
				t.Fatalf("%d items, want %d", len(items), len(tc.users))
			}
			for i, u := range tc.users {
				it := items[i]
				switch {
				case strings.HasPrefix(u, "b-"):
					if it.ErrorType != "NotFound" || string(it.Data) != "null" {
						t.Errorf("item %d (%s): %+v, want NotFound", i, u, it)
					}
				case strings.Contains(u, "member"):
					got := decode[[]agendaItem](t, it.Data)
					if it.ErrorType != "" || len(got) != 2 || got[0].ScheduleID != u+"-sched" {
						t.Errorf("item %d (%s): %s %+v, want 2 items of %s-sched", i, u, it.ErrorType, got, u)
					}
				default:
					if it.ErrorType != "" || string(it.Data) != "[]" {
						t.Errorf("item %d (%s): %+v, want an empty agenda", i, u, it)
					}
				}
			}
		})
	}

	t.Run("an item refused before running leaves the others whole", func(t *testing.T) {
		e := newEnv(t)
		noSource := agenda("a-member-1")
		noSource["source"] = map[string]any{"name": "no id"}
		noSource["arguments"] = map[string]any{"date": "2026-04-01"} // a variable of its own
		items := e.batch(noSource, agenda("a-member-1"))
		if len(items) != 2 || items[0].ErrorType != "BadRequest" || items[1].ErrorType != "" {
			t.Fatalf("items %+v, want BadRequest, ok", items)
		}
		if got := decode[[]agendaItem](t, items[1].Data); len(got) != 2 {
			t.Errorf("good item: %v", got)
		}
	})

	t.Run("one bad argument value fails its item only", func(t *testing.T) {
		e := newEnv(t)
		bad := agenda("a-member-2")
		bad["arguments"] = map[string]any{"date": "not-a-date"}
		items := e.batch(agenda("a-member-1"), bad, agenda("a-member-1"))
		if len(items) != 3 || items[0].ErrorType != "" || items[1].ErrorType != "BadRequest" || items[2].ErrorType != "" {
			t.Fatalf("items %+v, want ok, BadRequest, ok", items)
		}
		if a, b := decode[[]agendaItem](t, items[0].Data), decode[[]agendaItem](t, items[2].Data); len(a) != 2 || len(b) != 2 {
			t.Errorf("good items: %v %v", a, b)
		}
	})
}

// TestPanicIsInternal: a panic while resolving answers InternalError with
// the request id only, and the next event is served.
// TestBatchOfOneFieldReadsOnce sends BatchInvokes of one field for parents
// of both tenants: the prefetch (api.Prefetch) reads every parent with
// the field's batch resolver, yet each item keeps its own answer and
// error, and the batch costs one store call per kind of read.
func TestBatchOfOneFieldReadsOnce(t *testing.T) {
	e := newEnv(t)
	const caller = "a-caregiver"
	tests := []struct {
		parent, field string
		ids           []string
		wantCalls     map[string]int
		check         func(t *testing.T, id string, it appsync.BatchItem)
	}{
		{"Schedule", "owner", []string{"a-member-1-sched", "b-member-1-sched", "a-member-2-sched"},
			map[string]int{"GetUsers": 2, "GetSchedules": 1},
			func(t *testing.T, id string, it appsync.BatchItem) {
				if strings.HasPrefix(id, "b-") {
					if it.ErrorType != "NotFound" {
						t.Errorf("%s: %+v, want NotFound", id, it)
					}
					return
				}
				if got := decode[struct{ ID string }](t, it.Data); it.ErrorType != "" || got.ID+"-sched" != id {
					t.Errorf("%s: %s %s, want its owner", id, it.ErrorType, it.Data)
				}
			}},
		{"User", "schedules", []string{"a-member-1", "b-member-2", "a-member-2"},
			map[string]int{"GetUsers": 1, "SchedulesByOwners": 1},
			func(t *testing.T, id string, it appsync.BatchItem) {
				if strings.HasPrefix(id, "b-") {
					if it.ErrorType != "NotFound" {
						t.Errorf("%s: %+v, want NotFound", id, it)
					}
					return
				}
				got := decode[[]struct{ ID string }](t, it.Data)
				if it.ErrorType != "" || len(got) != 1 || got[0].ID != id+"-sched" {
					t.Errorf("%s: %s %s, want [%s-sched]", id, it.ErrorType, it.Data, id)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.parent+"."+tc.field, func(t *testing.T) {
			events := make([]any, len(tc.ids))
			for i, id := range tc.ids {
				events[i] = event(caller, tc.parent, tc.field, nil, map[string]any{"id": id})
			}
			e.Store.Take()
			items := e.batch(events...)
			calls := e.Store.Take()
			for i, id := range tc.ids {
				tc.check(t, id, items[i])
			}
			if !maps.Equal(calls, tc.wantCalls) {
				t.Errorf("store calls %v, want %v", calls, tc.wantCalls)
			}
		})
	}
}

// TestSubscriptionStart: AppSync invokes a Subscription field's resolver
// when a client subscribes; the answer is the subscription's filter (the
// caller's organisation, itself as owner for a member, and the arguments)
// or the error the matching query gets.
func TestSubscriptionStart(t *testing.T) {
	e := newEnv(t)
	type filter map[string]map[string]string
	eq := func(kv ...string) filter {
		f := filter{}
		for i := 0; i+1 < len(kv); i += 2 {
			f[kv[i]] = map[string]string{"eq": kv[i+1]}
		}
		return f
	}
	tests := []struct {
		name, caller, field string
		args                map[string]any
		want                filter
		wantType            string
	}{
		{"caregiver, no arguments", "a-caregiver", "onScheduleChanged", nil, eq("organisationId", "a"), ""},
		{"caregiver names a member", "a-caregiver", "onScheduleChanged", map[string]any{"ownerId": "a-member-1"},
			eq("organisationId", "a", "ownerId", "a-member-1"), ""},
		{"member, no arguments", "a-member-1", "onScheduleChanged", nil, eq("organisationId", "a", "ownerId", "a-member-1"), ""},
		{"member names its schedule", "a-member-1", "onScheduleChanged", map[string]any{"id": "a-member-1-sched"},
			eq("organisationId", "a", "ownerId", "a-member-1", "id", "a-member-1-sched"), ""},
		{"member's completions", "a-member-2", "onTaskCompleted", nil, eq("organisationId", "a", "ownerId", "a-member-2"), ""},
		{"member names another member", "a-member-1", "onScheduleChanged", map[string]any{"ownerId": "a-member-2"}, nil, "Unauthorized"},
		{"member names another member's schedule", "a-member-1", "onScheduleChanged", map[string]any{"id": "a-member-2-sched"}, nil, "Unauthorized"},
		{"other organisation's owner", "b-admin", "onScheduleChanged", map[string]any{"ownerId": "a-member-1"}, nil, "NotFound"},
		{"other organisation's schedule", "b-caregiver", "onScheduleChanged", map[string]any{"id": "a-member-1-sched"}, nil, "NotFound"},
		{"other organisation's completions", "b-admin", "onTaskCompleted", map[string]any{"ownerId": "a-member-1"}, nil, "NotFound"},
		{"operator (no user)", "operator", "onScheduleChanged", nil, nil, "Unauthorized"},
		{"unknown argument", "a-caregiver", "onTaskCompleted", map[string]any{"id": "x"}, nil, "BadRequest"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := e.invoke(event(tc.caller, "Subscription", tc.field, tc.args, nil))
			if err != nil {
				t.Fatalf("function error %s: %s; want an answer (refusals are data)", err.Type, err.Message)
			}
			answer := decode[appsync.BatchItem](t, raw)
			if tc.wantType != "" {
				if answer.ErrorType != tc.wantType || answer.ErrorMessage == "" || string(answer.Data) != "null" {
					t.Fatalf("answer %s, want a %s refusal", raw, tc.wantType)
				}
				return
			}
			if answer.ErrorType != "" {
				t.Fatalf("refused: %s: %s", answer.ErrorType, answer.ErrorMessage)
			}
			if got := decode[filter](t, answer.Data); !maps.EqualFunc(got, tc.want, maps.Equal) {
				t.Errorf("filter %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPanicIsInternal(t *testing.T) {
	e := newEnv(t)
	e.Store.PanicIn("GetSchedules")
	ev := event("a-caregiver", "Query", "schedule", map[string]any{"id": "a-member-1-sched"}, nil)
	if _, err := e.invoke(ev); err == nil || err.Type != "InternalError" || err.Message != "internal error (request id req-1)" {
		t.Fatalf("error %+v, want InternalError naming request id req-1 only", err)
	}
	e.Store.PanicIn("")
	data, err := e.invoke(ev)
	if err != nil {
		t.Fatalf("after the panic: %s: %s", err.Type, err.Message)
	}
	if s := decode[struct{ ID, Title string }](t, data); s.ID != "a-member-1-sched" || s.Title != "Mornings of a-member-1" {
		t.Errorf("schedule = %+v", s)
	}
}

// TestNotAnEvent: a body that is no event fails as a whole with
// BadRequest.
func TestNotAnEvent(t *testing.T) {
	e := newEnv(t)
	if _, err := e.invokeRaw([]byte(`{"arguments": 3}`)); err == nil || err.Type != "BadRequest" {
		t.Fatalf("error %+v, want BadRequest", err)
	}
}

// TestIdentity: with a trusted issuer, only its identities are served;
// groups missing from the identity are read from the claims as the server
// reads a token's, and a groups claim that is not an array of strings is
// refused.
func TestIdentity(t *testing.T) {
	const pool = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_test"
	e := newEnv(t, func(_ *api.Config, c *appsync.Config) { c.Issuer = pool })
	with := func(change func(id map[string]any)) map[string]any {
		ev := event("a-caregiver", "Query", "me", nil, nil)
		id, ok := ev["identity"].(map[string]any)
		if !ok {
			t.Fatal("event without identity")
		}
		change(id)
		return ev
	}
	claims := func(id map[string]any) map[string]any {
		c, ok := id["claims"].(map[string]any)
		if !ok {
			t.Fatal("identity without claims")
		}
		return c
	}
	tests := []struct {
		name     string
		event    map[string]any
		wantType string
	}{
		{"the trusted pool", with(func(map[string]any) {}), ""},
		{"groups from the claims", with(func(id map[string]any) { delete(id, "groups") }), ""},
		{"another issuer", with(func(id map[string]any) { id["issuer"] = "https://idp.example.com" }), "Unauthorized"},
		{"groups claim not an array", with(func(id map[string]any) {
			delete(id, "groups")
			claims(id)["cognito:groups"] = "Operators"
		}), "Unauthorized"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := e.invoke(tc.event)
			switch {
			case tc.wantType == "" && (err != nil || decode[struct{ ID string }](t, data).ID != "a-caregiver"):
				t.Errorf("me = %s, %v; want a-caregiver", data, err)
			case tc.wantType != "" && (err == nil || err.Type != tc.wantType):
				t.Errorf("me = %s, %v; want a %s error", data, err, tc.wantType)
			}
		})
	}
}
