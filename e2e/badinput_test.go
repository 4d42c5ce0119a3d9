package e2e_test

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/server"
)

// leakMarkers must never appear in an error answered to a client: they
// betray stacks, source paths or recovered panics.
var leakMarkers = []string{"goroutine", ".go:", "panic", "runtime.", "recovered"}

// assertCleanError fails t unless r is a well-formed client error: not a
// 500, the wanted status (when not 0), at least one error, every error
// AppSync-shaped (a non-empty errorType equal to extensions.code), one of
// them of wantType (when not ""), and no message leaking internals or
// echoing the request body.
func assertCleanError(t *testing.T, r gqlResponse, body string, wantStatus int, wantType string) {
	t.Helper()
	if r.Status >= 500 {
		t.Fatalf("status %d: %s", r.Status, r.Raw)
	}
	if wantStatus != 0 && r.Status != wantStatus {
		t.Errorf("status %d, want %d: %s", r.Status, wantStatus, r.Raw)
	}
	if len(r.Errors) == 0 {
		t.Fatalf("no errors: %s", r.Raw)
	}
	found := wantType == ""
	for _, e := range r.Errors {
		if e.ErrorType == "" {
			t.Errorf("error %q has no errorType: %s", e.Message, r.Raw)
		}
		if e.Extensions.Code != e.ErrorType {
			t.Errorf("error %q: extensions.code %q differs from errorType %q", e.Message, e.Extensions.Code, e.ErrorType)
		}
		if e.ErrorType == wantType {
			found = true
		}
		if e.Message == "" {
			t.Errorf("error without message: %s", r.Raw)
		}
		if len(e.Message) > 512 {
			t.Errorf("error message is %d bytes long: %.200s...", len(e.Message), e.Message)
		}
		if len(body) >= 40 && strings.Contains(e.Message, body) {
			t.Errorf("error message echoes the request body: %.200s", e.Message)
		}
	}
	if !found {
		t.Errorf("want an error of type %s, got %v: %s", wantType, r.errorTypes(), r.Raw)
	}
	for _, m := range leakMarkers {
		if strings.Contains(strings.ToLower(r.Raw), m) {
			t.Errorf("response leaks %q: %.300s", m, r.Raw)
		}
	}
}

// sendKeepingHeaders is env.send for subtests that also need the response
// headers; it fails t (not the env's test) on transport errors.
func sendKeepingHeaders(t *testing.T, req *http.Request) (gqlResponse, http.Header) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	out := gqlResponse{Status: res.StatusCode, Raw: string(b)}
	if err := out.decode(b); err != nil {
		t.Fatalf("response is not JSON (status %d): %s", res.StatusCode, b)
	}
	return out, res.Header
}

// envForSubtest returns a copy of e reporting to t, so harness helpers
// called inside a subtest fail that subtest, not its parent.
func envForSubtest(e *env, t *testing.T) *env {
	c := *e
	c.t = t
	return &c
}

// gqlBody encodes a GraphQL POST body.
func gqlBody(t *testing.T, query string, vars map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestMalformedRequests sends bodies and headers the transport must refuse
// before any GraphQL runs.
func TestMalformedRequests(t *testing.T) {
	const sentinel = "SENTINEL-7f3a"
	big := `{"query":"{ me { id } }","variables":{"pad":"` + strings.Repeat("x", 70<<10) + `"}}`
	cases := []struct {
		name        string
		contentType string
		body        string
		status      int // 0: any 4xx
	}{
		{"malformed JSON", "application/json", `{"query": "{ me { id } } # ` + sentinel + `"`, 400},
		{"truncated JSON", "application/json", `{"query": "{ me { i`, 400},
		{"empty body", "application/json", ``, 400},
		{"two JSON values", "application/json", `{"query":"{ me { id } }"} {"query":"{ me { id } }"}`, 400},
		{"JSON array", "application/json", `[{"query":"{ me { id } }","sentinel":"` + sentinel + `"}]`, 400},
		{"JSON string", "application/json", `"{ me { id } } ` + sentinel + `"`, 400},
		{"JSON number", "application/json", `42`, 400},
		{"JSON true", "application/json", `true`, 400},
		{"JSON null", "application/json", `null`, 400},
		{"empty object", "application/json", `{}`, 400},
		{"query is a number", "application/json", `{"query": 5}`, 400},
		{"variables is an array", "application/json", `{"query":"{ me { id } }","variables":[1,2]}`, 400},
		{"variables is a string", "application/json", `{"query":"{ me { id } }","variables":"{}"}`, 400},
		{"invalid UTF-8", "application/json", "{\"query\":\"{ me { id } }\xff\xfe\"}", 400},
		// Hundreds of invalid bytes in a long body: a decoder bug
		// (goccy/go-json#609) once turned this into a panic.
		{"long invalid UTF-8", "application/json", "{\"query\":\"{ me { id } " + strings.Repeat("\xff", 700) + "\"}", 400},
		{"text/plain content type", "text/plain", `{"query":"{ me { id } }"}`, 0},
		{"no content type", "", `{"query":"{ me { id } }"}`, 0},
		{"form content type", "application/x-www-form-urlencoded", `query=%7B+me+%7B+id+%7D+%7D`, 0},
		{"oversized body", "application/json", big, http.StatusRequestEntityTooLarge},
	}
	forEachStore(t, func(t *testing.T, open opener) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e := newEnv(t, open)
				r := e.raw(e.token("a-admin"), tc.contentType, []byte(tc.body))
				if tc.status == 0 && (r.Status < 400 || r.Status >= 500) {
					t.Errorf("status %d, want a 4xx: %s", r.Status, r.Raw)
				}
				assertCleanError(t, r, tc.body, tc.status, "BadRequest")
				if strings.Contains(r.Raw, sentinel) {
					t.Errorf("response echoes the request body: %.300s", r.Raw)
				}
				e.healthy()
			})
		}
	})
}

// TestUnsupportedMethod covers methods the GraphQL endpoint does not
// serve: the answer is still an AppSync-shaped client error.
func TestUnsupportedMethod(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		for _, method := range []string{http.MethodPut, http.MethodPatch, http.MethodDelete} {
			t.Run(method, func(t *testing.T) {
				e := newEnv(t, open)
				req, err := http.NewRequest(method, e.URL+"/graphql", strings.NewReader(`{"query":"{ me { id } }"}`))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.token("a-admin"))
				r, header := sendKeepingHeaders(t, req)
				if r.Status < 400 || r.Status >= 500 {
					t.Errorf("status %d, want a 4xx: %s", r.Status, r.Raw)
				}
				assertCleanError(t, r, "", 0, "BadRequest")
				if r.Status == http.StatusMethodNotAllowed && !strings.Contains(header.Get("Allow"), "POST") {
					// RFC 9110 section 15.5.6: a 405 response MUST carry Allow.
					t.Errorf("405 without Allow: POST (Allow %q)", header.Get("Allow"))
				}
				e.healthy()
			})
		}
	})
}

// TestInvalidOperations sends well-formed requests whose GraphQL is wrong:
// unknown fields, syntax errors, variables of the wrong type or missing.
func TestInvalidOperations(t *testing.T) {
	cases := []struct {
		name  string
		query string
		vars  map[string]any
	}{
		{"unknown field", `{ me { id nope } }`, nil},
		{"unknown root field", `{ everything { id } }`, nil},
		{"syntax error", `{ me { id `, nil},
		{"syntax error, stray brace", `{ me { id } } }`, nil},
		{"empty query", ``, nil},
		{"missing selection on an object", `{ me }`, nil},
		{"unknown argument", `{ me(id: "x") { id } }`, nil},
		{"String for Int limit", `query($l: Int) { listMembers(organisationId: "a", limit: $l) { items { id } } }`, map[string]any{"l": "ten"}},
		{"Float for Int limit", `query($l: Int) { listMembers(organisationId: "a", limit: $l) { items { id } } }`, map[string]any{"l": 2.5}},
		{"String literal for Int limit", `{ listMembers(organisationId: "a", limit: "ten") { items { id } } }`, nil},
		{"object for ID", `query($id: ID!) { user(id: $id) { id } }`, map[string]any{"id": map[string]any{"a": 1}}},
		{"list for ID", `query($id: ID!) { user(id: $id) { id } }`, map[string]any{"id": []any{"a-admin"}}},
		{"missing required variable", `query($id: ID!) { user(id: $id) { id } }`, nil},
		{"null for required variable", `query($id: ID!) { user(id: $id) { id } }`, map[string]any{"id": nil}},
		{"undeclared variable", `{ user(id: $id) { id } }`, map[string]any{"id": "a-admin"}},
		{"unknown enum value", `mutation { addUser(input: {organisationId: "a", name: "x", email: "x@example.com", role: OWNER}) { id } }`, nil},
		{"two operations without a name", `query A { me { id } } query B { me { id } }`, nil},
		{"fragment cycle", `query { me { ...A } } fragment A on User { organisation { members { items { ...A } } } }`, nil},
	}
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e := envForSubtest(e, t)
				r := e.as("a-admin", tc.query, tc.vars)
				assertCleanError(t, r, gqlBody(t, tc.query, tc.vars), http.StatusBadRequest, "BadRequest")
				if r.Data != nil {
					t.Errorf("a request error must not carry data: %s", r.Raw)
				}
			})
		}
		e.healthy()
	})
}

// scalarCase is one operation carrying an invalid scalar value; when it
// has variables, "v" is set to the schedule's current version.
type scalarCase struct {
	name, as, query string
	vars            map[string]any
}

// TestBadScalarValues sends invalid AWSDate, AWSTime and AWSEmail values
// through variables and literals: each is a BadRequest and nothing is
// written.
func TestBadScalarValues(t *testing.T) {
	const scheduleQuery = `{ schedule(id: "a-member-1-sched") { version tasks { id startTime } } }`
	var cases []scalarCase
	for _, d := range []string{"2023-02-30", "2023-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "yesterday", "30-03-2026", "2026-03-30T07:00:00Z", ""} {
		cases = append(cases,
			scalarCase{
				"AWSDate " + d + " variable", "a-member-1",
				`query($d: AWSDate!) { agenda(userId: "a-member-1", date: $d) { startsAt } }`, map[string]any{"d": d}},
			scalarCase{
				"AWSDate " + d + " literal", "a-member-1",
				fmt.Sprintf(`{ agenda(userId: "a-member-1", date: %q) { startsAt } }`, d), nil},
			scalarCase{
				"AWSDate " + d + " in completeTask", "a-member-1",
				`mutation($d: AWSDate!) { completeTask(taskId: "a-member-1-task-2", date: $d) { completed } }`, map[string]any{"d": d}},
		)
	}
	cases = append(cases, scalarCase{
		"AWSDate number variable", "a-member-1",
		`query($d: AWSDate!) { agenda(userId: "a-member-1", date: $d) { startsAt } }`, map[string]any{"d": 20260330}})
	for _, tm := range []string{"25:00", "12:60", "noon", "7:00:00:00"} {
		cases = append(cases,
			scalarCase{
				"AWSTime " + tm + " in addTask variable", "a-admin",
				`mutation($v: Int!, $t: AWSTime!) { addTask(input: {scheduleId: "a-member-1-sched", expectedVersion: $v, task: {title: "Lunch", startTime: $t, durationMinutes: 30}}) { version } }`,
				map[string]any{"t": tm}},
			scalarCase{
				"AWSTime " + tm + " in addTask literal", "a-admin",
				fmt.Sprintf(`mutation($v: Int!) { addTask(input: {scheduleId: "a-member-1-sched", expectedVersion: $v, task: {title: "Lunch", startTime: %q, durationMinutes: 30}}) { version } }`, tm),
				map[string]any{}},
			scalarCase{
				"AWSTime " + tm + " in updateTask", "a-admin",
				`mutation($v: Int!, $t: AWSTime) { updateTask(input: {scheduleId: "a-member-1-sched", taskId: "a-member-1-task-1", expectedVersion: $v, startTime: $t}) { version } }`,
				map[string]any{"t": tm}},
		)
	}
	for _, em := range []string{"not-an-email", "a@", "@example.com", "A Person <a@example.com>", "a b@example.com"} {
		cases = append(cases,
			scalarCase{
				"AWSEmail " + em + " in addUser variable", "a-admin",
				`mutation($e: AWSEmail!) { addUser(input: {organisationId: "a", name: "Newcomer", email: $e, role: MEMBER}) { id } }`,
				map[string]any{"e": em}},
			scalarCase{
				"AWSEmail " + em + " in addUser literal", "a-admin",
				fmt.Sprintf(`mutation { addUser(input: {organisationId: "a", name: "Newcomer", email: %q, role: MEMBER}) { id } }`, em), nil},
		)
	}

	forEachStore(t, func(t *testing.T, open opener) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e := newEnv(t, open)
				before := e.as("a-admin", scheduleQuery, nil)
				members := countMembers(t, e)
				var vars map[string]any
				if tc.vars != nil {
					vars = maps.Clone(tc.vars)
					// Pass the right version so only the bad value can fail.
					vars["v"] = decodeData[struct{ Schedule scheduleOut }](t, before).Schedule.Version
				}
				r := e.as(tc.as, tc.query, vars)
				assertCleanError(t, r, gqlBody(t, tc.query, vars), 0, "BadRequest")
				if fields := r.fieldsWithData(); len(fields) > 0 {
					t.Errorf("bad input produced data for %v: %s", fields, r.Raw)
				}
				if after := e.as("a-admin", scheduleQuery, nil); after.Raw != before.Raw {
					t.Errorf("schedule changed:\nbefore %s\nafter  %s", before.Raw, after.Raw)
				}
				if got := countMembers(t, e); got != members {
					t.Errorf("members: %d before, %d after", members, got)
				}
				completions := e.as("a-member-1", `query($d: AWSDate!) { agenda(userId: "a-member-1", date: $d) { completed } }`, map[string]any{"d": testDay})
				if !strings.Contains(completions.Raw, `[{"completed":true},{"completed":false}]`) {
					t.Errorf("completions changed: %s", completions.Raw)
				}
				e.healthy()
			})
		}
	})
}

// TestValidScalarValuesAreWritten is the control group of
// TestBadScalarValues: the same mutations with valid values succeed, so
// the failures above come from the values alone.
func TestValidScalarValuesAreWritten(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		v := dataAs[struct{ Schedule scheduleOut }](t, e, "a-admin", `{ schedule(id: "a-member-1-sched") { version } }`, nil).Schedule.Version
		added := dataAs[struct{ AddTask scheduleOut }](t, e, "a-admin", `mutation($v: Int!, $t: AWSTime!) { addTask(input: {scheduleId: "a-member-1-sched", expectedVersion: $v, task: {title: "Lunch", startTime: $t, durationMinutes: 30}}) { version tasks { title startTime } } }`,
			map[string]any{"v": v, "t": "12:30"}).AddTask
		if n := len(added.Tasks); added.Version != v+1 || n != 3 || added.Tasks[n-1].Title != "Lunch" || added.Tasks[n-1].StartTime != "12:30" {
			t.Fatalf("addTask with a valid AWSTime = %+v, want version %d and Lunch at 12:30 last of 3 tasks", added, v+1)
		}
		user := dataAs[struct{ AddUser userOut }](t, e, "a-admin", `mutation($e: AWSEmail!) { addUser(input: {organisationId: "a", name: "Newcomer", email: $e, role: MEMBER}) { id name email role version } }`,
			map[string]any{"e": "newcomer@example.com"}).AddUser
		if user.ID == "" || user.Name != "Newcomer" || user.Email == nil || *user.Email != "newcomer@example.com" || user.Role != domain.RoleMember || user.Version != 1 {
			t.Fatalf("addUser with a valid AWSEmail = %+v", user)
		}
		if n := countMembers(t, e); n != 5 {
			t.Errorf("members after addUser: %d, want 5", n)
		}
		agenda := dataAs[struct{ Agenda []agendaItemOut }](t, e, "a-member-1", `query($d: AWSDate!) { agenda(userId: "a-member-1", date: $d) { startsAt task { title } } }`, map[string]any{"d": testDay}).Agenda
		if len(agenda) != 3 || agenda[2].Task.Title != "Lunch" || agenda[2].StartsAt != testDay+"T12:30:00+02:00" {
			t.Errorf("agenda with a valid AWSDate should list the new task last, at 12:30: %+v", agenda)
		}
	})
}

func countMembers(t *testing.T, e *env) int {
	t.Helper()
	r := e.as("a-admin", `{ listMembers(organisationId: "a", limit: 100) { items { id } nextToken } }`, nil)
	page := decodeData[struct{ ListMembers *userPage }](t, r).ListMembers
	if r.Status != 200 || len(r.Errors) > 0 || page == nil {
		t.Fatalf("listMembers: %d %s", r.Status, r.Raw)
	}
	return len(page.Items)
}

// connection returns data[field] as a list connection (items' ids and the
// nextToken, "" when null), failing t on errors.
func connection(t *testing.T, r gqlResponse, field string) (ids []string, nextToken string) {
	t.Helper()
	var conn *struct {
		Items     []struct{ ID string }
		NextToken *string
	}
	if raw, ok := r.Data[field]; ok {
		if err := json.Unmarshal(raw, &conn); err != nil {
			t.Fatalf("%s: %v: %s", field, err, r.Raw)
		}
	}
	if r.Status != 200 || len(r.Errors) > 0 || conn == nil {
		t.Fatalf("%s: %d %s", field, r.Status, r.Raw)
	}
	for _, it := range conn.Items {
		ids = append(ids, it.ID)
	}
	if conn.NextToken != nil {
		nextToken = *conn.NextToken
	}
	return ids, nextToken
}

// TestBadPagination: forged, altered and foreign nextTokens and
// out-of-range limits are BadRequest errors, never a page of something.
func TestBadPagination(t *testing.T) {
	const (
		membersQ   = `query($org: ID!, $l: Int, $n: String) { listMembers(organisationId: $org, limit: $l, nextToken: $n) { items { id } nextToken } }`
		schedulesQ = `query($o: ID!, $l: Int, $n: String) { listSchedules(ownerId: $o, limit: $l, nextToken: $n) { items { id } nextToken } }`
	)
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		// A second schedule for a-member-1, so its list has two pages.
		created := dataAs[struct{ CreateSchedule scheduleOut }](t, e, "a-admin", `mutation { createSchedule(input: {ownerId: "a-member-1", title: "Evenings", timezone: "Europe/Amsterdam", days: [MON]}) { id } }`, nil).CreateSchedule
		if created.ID == "" {
			t.Fatalf("createSchedule answered no id")
		}

		firstMembers, membersTok := connection(t, e.as("a-admin", membersQ, map[string]any{"org": "a", "l": 1}), "listMembers")
		firstScheds, schedTok := connection(t, e.as("a-member-1", schedulesQ, map[string]any{"o": "a-member-1", "l": 1}), "listSchedules")
		if membersTok == "" || schedTok == "" || len(firstMembers) != 1 || len(firstScheds) != 1 {
			t.Fatalf("want first pages of one item with nextTokens, got %q %q and %q %q", firstMembers, membersTok, firstScheds, schedTok)
		}
		// Controls: the tokens work where they belong, and lead on.
		if ids, _ := connection(t, e.as("a-admin", membersQ, map[string]any{"org": "a", "l": 1, "n": membersTok}), "listMembers"); len(ids) != 1 || ids[0] == firstMembers[0] {
			t.Fatalf("second members page = %q after %q", ids, firstMembers)
		}
		ids, _ := connection(t, e.as("a-member-1", schedulesQ, map[string]any{"o": "a-member-1", "l": 1, "n": schedTok}), "listSchedules")
		if both := append(firstScheds, ids...); len(ids) != 1 || !slices.Contains(both, created.ID) || !slices.Contains(both, "a-member-1-sched") {
			t.Fatalf("schedule pages = %q, %q; want a-member-1-sched and %s", firstScheds, ids, created.ID)
		}

		cases := []struct {
			name  string
			as    string
			query string
			vars  map[string]any
		}{
			{"garbage nextToken", "a-admin", membersQ, map[string]any{"org": "a", "n": "garbage"}},
			{"empty JSON nextToken", "a-admin", membersQ, map[string]any{"org": "a", "n": "e30"}},
			{"non-base64 nextToken", "a-admin", membersQ, map[string]any{"org": "a", "n": "!!!***"}},
			{"members token with one character flipped", "a-admin", membersQ, map[string]any{"org": "a", "n": flipChar(membersTok, len(membersTok)/2)}},
			{"members token with its first character flipped", "a-admin", membersQ, map[string]any{"org": "a", "n": flipChar(membersTok, 0)}},
			{"members token truncated", "a-admin", membersQ, map[string]any{"org": "a", "n": membersTok[:len(membersTok)-4]}},
			{"org a members token in org b", "b-admin", membersQ, map[string]any{"org": "b", "n": membersTok}},
			{"a-member-1 schedules token for a-member-2, as a-member-2", "a-member-2", schedulesQ, map[string]any{"o": "a-member-2", "n": schedTok}},
			{"a-member-1 schedules token for a-member-2, as admin", "a-admin", schedulesQ, map[string]any{"o": "a-member-2", "n": schedTok}},
			{"schedules token with one character flipped", "a-member-1", schedulesQ, map[string]any{"o": "a-member-1", "n": flipChar(schedTok, len(schedTok)/2)}},
			{"members token in listSchedules", "a-admin", schedulesQ, map[string]any{"o": "a-member-1", "n": membersTok}},
			{"schedules token in listMembers", "a-admin", membersQ, map[string]any{"org": "a", "n": schedTok}},
			{"nested members garbage nextToken", "a-admin", `{ organisation(id: "a") { members(nextToken: "garbage") { items { id } } } }`, nil},
			{"listMembers limit 0", "a-admin", membersQ, map[string]any{"org": "a", "l": 0}},
			{"listMembers limit -1", "a-admin", membersQ, map[string]any{"org": "a", "l": -1}},
			{"listMembers limit 101", "a-admin", membersQ, map[string]any{"org": "a", "l": 101}},
			{"listMembers limit 1000", "a-admin", membersQ, map[string]any{"org": "a", "l": 1000}},
			{"listSchedules limit 0", "a-member-1", schedulesQ, map[string]any{"o": "a-member-1", "l": 0}},
			{"listSchedules limit 1000", "a-member-1", schedulesQ, map[string]any{"o": "a-member-1", "l": 1000}},
			{"nested members limit 0", "a-admin", `{ organisation(id: "a") { members(limit: 0) { items { id } } } }`, nil},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e := envForSubtest(e, t)
				r := e.as(tc.as, tc.query, tc.vars)
				assertCleanError(t, r, gqlBody(t, tc.query, tc.vars), 0, "BadRequest")
				if strings.Contains(r.Raw, `"items"`) {
					t.Errorf("a bad page request returned items: %s", r.Raw)
				}
			})
		}
		// Limits at the edges are fine.
		if ids, next := connection(t, e.as("a-admin", membersQ, map[string]any{"org": "a", "l": 1}), "listMembers"); len(ids) != 1 || next == "" {
			t.Errorf("limit 1: %d members, nextToken %q; want 1 and a token for the rest", len(ids), next)
		}
		if ids, next := connection(t, e.as("a-admin", membersQ, map[string]any{"org": "a", "l": 100}), "listMembers"); len(ids) < 2 || next != "" {
			t.Errorf("limit 100: %d members, nextToken %q; want every member and no token", len(ids), next)
		}
		e.healthy()
	})
}

// flipChar replaces the byte at i with another base64url character.
func flipChar(s string, i int) string {
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}

// TestQueryLimits: operations nested deeper than MaxDepth or costlier than
// MaxComplexity are refused before they run, with 400 naming the limit.
func TestQueryLimits(t *testing.T) {
	limits := func(depth, complexity int) envOption {
		return func(a *api.Config, _ *server.Config) { a.Limits.MaxDepth, a.Limits.MaxComplexity = depth, complexity }
	}
	cases := []struct {
		name    string
		opt     envOption
		query   string
		ok      bool
		message string // a substring of the error message when !ok
	}{
		{"depth 5 at limit 5", limits(5, 0), `{ me { organisation { members { items { id } } } } }`, true, ""},
		{"depth 6 over limit 5", limits(5, 0), `{ me { organisation { members { items { organisation { id } } } } } }`, false, "5"},
		{"depth 9 over limit 5", limits(5, 0), `{ me { organisation { members { items { organisation { members { items { schedules { id } } } } } } } } }`, false, "5"},
		{"depth through fragments over limit 5", limits(5, 0), `{ me { ...U } } fragment U on User { organisation { members { items { ... on User { organisation { id } } } } } }`, false, "5"},
		{"depth over the default limit", limits(0, 0), `{ me { organisation { members { items { organisation { members { items { organisation { members { items { organisation { members { items { organisation { members { items { id } } } } } } } } } } } } } } } } }`, false, fmt.Sprint(api.DefaultLimits.MaxDepth)},
		{"cheap query under complexity 50", limits(0, 50), `{ me { id name } }`, true, ""},
		{"members(limit: 100) with agendas over complexity 50", limits(0, 50), `{ me { organisation { members(limit: 100) { items { id agenda(date: "2026-03-30") { startsAt task { title } } } } } } }`, false, "50"},
		{"listMembers(limit: 100) over complexity 50", limits(0, 50), `{ listMembers(organisationId: "a", limit: 100) { items { id name } } }`, false, "50"},
		{"aliases add up over complexity 50", limits(0, 50), `{ a: listMembers(organisationId: "a", limit: 10) { items { id name } } b: listMembers(organisationId: "a", limit: 10) { items { id name } } c: listMembers(organisationId: "a", limit: 10) { items { id name } } }`, false, "50"},
	}
	forEachStore(t, func(t *testing.T, open opener) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e := newEnv(t, open, tc.opt)
				r := e.as("a-admin", tc.query, nil)
				if tc.ok {
					if r.Status != 200 || len(r.Errors) > 0 {
						t.Fatalf("within the limits, got %d %s", r.Status, r.Raw)
					}
					return
				}
				assertCleanError(t, r, gqlBody(t, tc.query, nil), http.StatusBadRequest, "BadRequest")
				if r.Data != nil {
					t.Errorf("refused operation has data: %s", r.Raw)
				}
				if msg := r.Errors[0].Message; !strings.Contains(msg, tc.message) || !strings.Contains(strings.ToLower(msg), "limit") {
					t.Errorf("message %q should name the limit %s", msg, tc.message)
				}
				e.healthy()
			})
		}
	})
}

// TestGetRequests: GET serves queries and refuses mutations with 405.
func TestGetRequests(t *testing.T) {
	get := func(t *testing.T, e *env, query string, vars string) gqlResponse {
		t.Helper()
		q := url.Values{"query": {query}}
		if vars != "" {
			q.Set("variables", vars)
		}
		req, err := http.NewRequest(http.MethodGet, e.URL+"/graphql?"+q.Encode(), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+e.token("a-admin"))
		return e.send(req)
	}
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		t.Run("query", func(t *testing.T) {
			e := envForSubtest(e, t)
			r := get(t, e, `{ me { id } }`, "")
			if r.Status != 200 || len(r.Errors) > 0 || !strings.Contains(r.Raw, `"id":"a-admin"`) {
				t.Fatalf("GET query: %d %s", r.Status, r.Raw)
			}
		})
		t.Run("query with variables", func(t *testing.T) {
			e := envForSubtest(e, t)
			r := get(t, e, `query($id: ID!) { user(id: $id) { id } }`, `{"id":"a-member-1"}`)
			if r.Status != 200 || len(r.Errors) > 0 || !strings.Contains(r.Raw, `"id":"a-member-1"`) {
				t.Fatalf("GET query: %d %s", r.Status, r.Raw)
			}
		})
		t.Run("variables not JSON", func(t *testing.T) {
			e := envForSubtest(e, t)
			r := get(t, e, `query($id: ID!) { user(id: $id) { id } }`, `{id: a-member-1`)
			assertCleanError(t, r, "", http.StatusBadRequest, "BadRequest")
		})
		t.Run("no query", func(t *testing.T) {
			e := envForSubtest(e, t)
			r := get(t, e, ``, "")
			assertCleanError(t, r, "", http.StatusBadRequest, "BadRequest")
		})
		mutation := `mutation { removeUser(id: "a-member-2", expectedVersion: 1) { id } }`
		t.Run("mutation", func(t *testing.T) {
			e := envForSubtest(e, t)
			r := get(t, e, mutation, "")
			assertCleanError(t, r, "", http.StatusMethodNotAllowed, "BadRequest")
			if r.Data != nil {
				t.Errorf("refused mutation has data: %s", r.Raw)
			}
		})
		t.Run("mutation chosen by operationName", func(t *testing.T) {
			e := envForSubtest(e, t)
			doc := `query Q { me { id } } mutation M { removeUser(id: "a-member-2", expectedVersion: 1) { id } }`
			req, _ := http.NewRequest(http.MethodGet, e.URL+"/graphql?"+url.Values{"query": {doc}, "operationName": {"M"}}.Encode(), nil)
			req.Header.Set("Authorization", "Bearer "+e.token("a-admin"))
			assertCleanError(t, e.send(req), "", http.StatusMethodNotAllowed, "BadRequest")
		})
		t.Run("405 names the allowed method", func(t *testing.T) {
			e := envForSubtest(e, t)
			// RFC 9110 section 15.5.6: a 405 response MUST carry Allow.
			req, _ := http.NewRequest(http.MethodGet, e.URL+"/graphql?"+url.Values{"query": {mutation}}.Encode(), nil)
			req.Header.Set("Authorization", "Bearer "+e.token("a-admin"))
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(res.Header.Get("Allow"), "POST") {
				t.Errorf("status %d, Allow %q: want 405 with Allow: POST", res.StatusCode, res.Header.Get("Allow"))
			}
		})
		// Nothing was removed by the refused GETs.
		if n := countMembers(t, e); n != 4 {
			t.Errorf("members after refused GET mutations: %d, want 4", n)
		}
		e.healthy()
	})
}

// hangTimeout only turns a hang into a failure: a healthy run never waits
// for it, however slow the machine.
const hangTimeout = 2 * time.Minute

// TestSubscriptionOverPOST: a subscription sent as a plain POST is answered
// promptly with a client error instead of holding the request open.
func TestSubscriptionOverPOST(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		query := `subscription { onTaskCompleted(ownerId: "a-member-1") { taskId } }`
		body := gqlBody(t, query, nil)
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/graphql", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.token("a-member-1"))
		// A subscription held open never answers: the timeout only turns
		// that hang into a failure, a healthy run never reaches it.
		client := &http.Client{Timeout: hangTimeout}
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("subscription over POST was not answered: %v", err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		var doc struct {
			Errors []gqlError `json:"errors"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("status %d, body not JSON: %s", res.StatusCode, raw)
		}
		assertCleanError(t, gqlResponse{Status: res.StatusCode, Errors: doc.Errors, Raw: string(raw)}, body, 0, "BadRequest")
		e.healthy()
	})
}

// TestBadRequestStorm fires 200 concurrent bad requests of every kind at
// one server: every one is answered, none with a 5xx, and a good request
// works afterwards.
func TestBadRequestStorm(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open, func(a *api.Config, _ *server.Config) { a.Limits.MaxDepth = 5 })
		tok := e.token("a-admin")
		type badReq struct {
			method, contentType, path, body string
		}
		bodies := []badReq{
			{"POST", "application/json", "/graphql", `{"query": "{ me { id } }"`},
			{"POST", "application/json", "/graphql", `[1,2,3]`},
			{"POST", "text/plain", "/graphql", `{"query":"{ me { id } }"}`},
			{"POST", "application/json", "/graphql", gqlBody(t, `{ me { id nope } }`, nil)},
			{"POST", "application/json", "/graphql", gqlBody(t, `{ me { id `, nil)},
			{"POST", "application/json", "/graphql", gqlBody(t, `query($l: Int) { listMembers(organisationId: "a", limit: $l) { items { id } } }`, map[string]any{"l": "x"})},
			{"POST", "application/json", "/graphql", gqlBody(t, `{ agenda(userId: "a-member-1", date: "2023-02-30") { startsAt } }`, nil)},
			{"POST", "application/json", "/graphql", gqlBody(t, `mutation { addUser(input: {organisationId: "a", name: "x", email: "nope", role: MEMBER}) { id } }`, nil)},
			{"POST", "application/json", "/graphql", gqlBody(t, `{ listMembers(organisationId: "a", nextToken: "garbage") { items { id } } }`, nil)},
			{"POST", "application/json", "/graphql", gqlBody(t, `{ listMembers(organisationId: "a", limit: 1000) { items { id } } }`, nil)},
			{"POST", "application/json", "/graphql", gqlBody(t, `{ me { organisation { members { items { organisation { members { items { id } } } } } } } }`, nil)},
			{"POST", "application/json", "/graphql", `{"query":"{ me { id } }","variables":{"pad":"` + strings.Repeat("y", 70<<10) + `"}}`},
			{"GET", "", "/graphql?query=" + url.QueryEscape(`mutation { removeUser(id: "a-member-2", expectedVersion: 1) { id } }`), ""},
		}
		const n = 200
		type outcome struct {
			status int
			err    error
		}
		results := make(chan outcome, n)
		for i := range n {
			go func() {
				b := bodies[i%len(bodies)]
				req, err := http.NewRequest(b.method, e.URL+b.path, strings.NewReader(b.body))
				if err != nil {
					results <- outcome{err: err}
					return
				}
				if b.contentType != "" {
					req.Header.Set("Content-Type", b.contentType)
				}
				req.Header.Set("Authorization", "Bearer "+tok)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					results <- outcome{err: err}
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				results <- outcome{status: res.StatusCode}
			}()
		}
		statuses := map[int]int{}
		for range n {
			o := <-results
			if o.err != nil {
				t.Errorf("request not answered: %v", o.err)
				continue
			}
			statuses[o.status]++
			if o.status >= 500 {
				t.Errorf("bad request answered %d", o.status)
			}
		}
		t.Logf("statuses: %v", statuses)
		e.healthy()
		if r := e.as("a-member-1", `{ me { id } }`, nil); r.Status != 200 || len(r.Errors) > 0 {
			t.Fatalf("good request after the storm: %d %s", r.Status, r.Raw)
		}
		if n := countMembers(t, e); n != 4 {
			t.Errorf("members after the storm: %d, want 4", n)
		}
	})
}

// TestUpgradeHeaders: an Upgrade header is not a reason to refuse a plain
// GraphQL POST. curl --http2 against an http:// URL sends "Upgrade: h2c"
// (the server may ignore it and answer in HTTP/1.1), and a POST asking for
// a WebSocket is no handshake (those are GETs): both deserve an answer in
// AppSync's shape.
func TestUpgradeHeaders(t *testing.T) {
	cases := []struct {
		name    string
		upgrade string
		ok      bool // answered like any POST
	}{
		{"h2c upgrade offer (curl --http2)", "h2c", true},
		{"websocket upgrade on a POST", "websocket", false},
	}
	forEachStore(t, func(t *testing.T, open opener) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e := newEnv(t, open)
				body := `{"query":"{ me { id } }"}`
				req, err := http.NewRequest(http.MethodPost, e.URL+"/graphql", strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.token("a-admin"))
				req.Header.Set("Connection", "Upgrade, HTTP2-Settings")
				req.Header.Set("Upgrade", tc.upgrade)
				req.Header.Set("HTTP2-Settings", "AAMAAABkAAQAoAAAAAIAAAAA")
				r := e.send(req)
				if tc.ok {
					if r.Status != 200 || len(r.Errors) > 0 || !strings.Contains(r.Raw, `"id":"a-admin"`) {
						t.Fatalf("POST with Upgrade: %s: %d %s", tc.upgrade, r.Status, r.Raw)
					}
					return
				}
				if r.Status < 400 {
					t.Errorf("status %d, want a 4xx: %s", r.Status, r.Raw)
				}
				assertCleanError(t, r, body, 0, "BadRequest")
				e.healthy()
			})
		}
	})
}
