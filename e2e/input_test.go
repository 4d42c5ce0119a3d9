package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/dayline/dayline/domain"
)

// loneSurrogate stands for the JSON escape \ud800 in a value: the request
// body is encoded with it and the marker then replaced, since Go's encoder
// never writes a lone surrogate. Decoders turn it into U+FFFD.
const loneSurrogate = "LONE-SURROGATE-MARKER"

// badTextClasses are the kinds of text every stored string refuses, each
// to be put inside an otherwise valid value.
var badTextClasses = []struct{ name, bad string }{
	{"NUL", "\x00"},
	{"C0 control BEL", "\x07"},
	{"DEL", "\x7f"},
	{"C1 control NEL", "\u0085"},
	{"ANSI escape", "\x1b[31m"},
	{"bidi override RLO", "\u202E"},
	{"bidi isolate LRI", "\u2066"},
	{"lone surrogate", loneSurrogate},
}

// textField is one string argument of a mutation.
type textField struct {
	name  string // mutation.argument, the subtest name
	as    string // the caller
	query string // takes $v (the value) and, for schedule changes, $ver
	label string // what the error message must name (lower case)
	// wrap builds a value holding bad that is otherwise valid.
	wrap func(bad string) string
	// long is the shortest value over the field's limit.
	long string
	// version is set for mutations that need the schedule's version.
	version bool
}

func wrapIn(prefix, suffix string) func(string) string {
	return func(bad string) string { return prefix + bad + suffix }
}

// emailOf returns a valid email address of n bytes.
func emailOf(n int) string { return strings.Repeat("e", n-len("@example.com")) + "@example.com" }

// phoneOf returns a valid AWSPhone of n bytes.
func phoneOf(n int) string { return "12" + strings.Repeat("-", n-3) + "3" }

// textFields lists every string argument of every mutation that stores
// text. New users and organisations get ids the env records (env.ids), so
// that a stray write would be found.
var textFields = func() []textField {
	const (
		createOrg = `mutation($v: String!) { createOrganisation(input: {name: $v, admin: {name: "Ann", email: "ann@example.com"}}) { id } }`
		adminName = `mutation($v: String!) { createOrganisation(input: {name: "New", admin: {name: $v, email: "ann@example.com"}}) { id } }`
		adminMail = `mutation($v: AWSEmail!) { createOrganisation(input: {name: "New", admin: {name: "Ann", email: $v}}) { id } }`
		addName   = `mutation($v: String!) { addUser(input: {organisationId: "a", name: $v, email: "new@example.com", role: MEMBER}) { id } }`
		addMail   = `mutation($v: AWSEmail!) { addUser(input: {organisationId: "a", name: "Newcomer", email: $v, role: MEMBER}) { id } }`
		addPhone  = `mutation($v: AWSPhone!) { addUser(input: {organisationId: "a", name: "Newcomer", email: "new@example.com", phone: $v, role: MEMBER}) { id } }`
		updName   = `mutation($v: String!) { updateUser(input: {id: "a-member-2", expectedVersion: 1, name: $v}) { id } }`
		updMail   = `mutation($v: AWSEmail!) { updateUser(input: {id: "a-member-2", expectedVersion: 1, email: $v}) { id } }`
		updPhone  = `mutation($v: AWSPhone!) { updateUser(input: {id: "a-member-2", expectedVersion: 1, phone: $v}) { id } }`
		crTitle   = `mutation($v: String!) { createSchedule(input: {ownerId: "a-member-2", title: $v, timezone: "Europe/Amsterdam", days: [MON]}) { id } }`
		crZone    = `mutation($v: String!) { createSchedule(input: {ownerId: "a-member-2", title: "Evenings", timezone: $v, days: [MON]}) { id } }`
		crTask    = `mutation($v: String!) { createSchedule(input: {ownerId: "a-member-2", title: "Evenings", timezone: "Europe/Amsterdam", days: [MON], tasks: [{title: $v, startTime: "20:00", durationMinutes: 5}]}) { id } }`
		crNotes   = `mutation($v: String!) { createSchedule(input: {ownerId: "a-member-2", title: "Evenings", timezone: "Europe/Amsterdam", days: [MON], tasks: [{title: "Teeth", notes: $v, startTime: "20:00", durationMinutes: 5}]}) { id } }`
		crIcon    = `mutation($v: String!) { createSchedule(input: {ownerId: "a-member-2", title: "Evenings", timezone: "Europe/Amsterdam", days: [MON], tasks: [{title: "Teeth", icon: $v, startTime: "20:00", durationMinutes: 5}]}) { id } }`
		usTitle   = `mutation($v: String!, $ver: Int!) { updateSchedule(input: {id: "a-member-1-sched", expectedVersion: $ver, title: $v}) { id } }`
		usZone    = `mutation($v: String!, $ver: Int!) { updateSchedule(input: {id: "a-member-1-sched", expectedVersion: $ver, timezone: $v}) { id } }`
		atTitle   = `mutation($v: String!, $ver: Int!) { addTask(input: {scheduleId: "a-member-1-sched", expectedVersion: $ver, task: {title: $v, startTime: "12:00", durationMinutes: 30}}) { id } }`
		atNotes   = `mutation($v: String!, $ver: Int!) { addTask(input: {scheduleId: "a-member-1-sched", expectedVersion: $ver, task: {title: "Lunch", notes: $v, startTime: "12:00", durationMinutes: 30}}) { id } }`
		atIcon    = `mutation($v: String!, $ver: Int!) { addTask(input: {scheduleId: "a-member-1-sched", expectedVersion: $ver, task: {title: "Lunch", icon: $v, startTime: "12:00", durationMinutes: 30}}) { id } }`
		utTitle   = `mutation($v: String!, $ver: Int!) { updateTask(input: {scheduleId: "a-member-1-sched", taskId: "a-member-1-task-1", expectedVersion: $ver, title: $v}) { id } }`
		utNotes   = `mutation($v: String!, $ver: Int!) { updateTask(input: {scheduleId: "a-member-1-sched", taskId: "a-member-1-task-1", expectedVersion: $ver, notes: $v}) { id } }`
		utIcon    = `mutation($v: String!, $ver: Int!) { updateTask(input: {scheduleId: "a-member-1-sched", taskId: "a-member-1-task-1", expectedVersion: $ver, icon: $v}) { id } }`
	)
	name, text := wrapIn("Ann ", " Smith"), wrapIn("Brush ", " teeth")
	mail, phone, zone := wrapIn("ann", "@example.com"), wrapIn("+31 6 ", "1234"), wrapIn("Europe/", "Amsterdam")
	long := func(n int) string { return strings.Repeat("a", n+1) }
	return []textField{
		{name: "createOrganisation.name", as: "operator", query: createOrg, label: "organisation name", wrap: name, long: long(domain.MaxNameBytes)},
		{name: "createOrganisation.admin.name", as: "operator", query: adminName, label: "user name", wrap: name, long: long(domain.MaxNameBytes)},
		{name: "createOrganisation.admin.email", as: "operator", query: adminMail, label: "email", wrap: mail, long: emailOf(domain.MaxEmailBytes + 1)},
		{name: "addUser.name", as: "a-admin", query: addName, label: "user name", wrap: name, long: long(domain.MaxNameBytes)},
		{name: "addUser.email", as: "a-admin", query: addMail, label: "email", wrap: mail, long: emailOf(domain.MaxEmailBytes + 1)},
		{name: "addUser.phone", as: "a-admin", query: addPhone, label: "phone", wrap: phone, long: phoneOf(domain.MaxPhoneBytes + 1)},
		{name: "updateUser.name", as: "a-admin", query: updName, label: "user name", wrap: name, long: long(domain.MaxNameBytes)},
		{name: "updateUser.email", as: "a-admin", query: updMail, label: "email", wrap: mail, long: emailOf(domain.MaxEmailBytes + 1)},
		{name: "updateUser.phone", as: "a-admin", query: updPhone, label: "phone", wrap: phone, long: phoneOf(domain.MaxPhoneBytes + 1)},
		{name: "createSchedule.title", as: "a-admin", query: crTitle, label: "schedule title", wrap: text, long: long(domain.MaxTitleBytes)},
		{name: "createSchedule.timezone", as: "a-admin", query: crZone, label: "schedule timezone", wrap: zone, long: long(domain.MaxTimezoneBytes)},
		{name: "createSchedule.tasks.title", as: "a-admin", query: crTask, label: "task title", wrap: text, long: long(domain.MaxTitleBytes)},
		{name: "createSchedule.tasks.notes", as: "a-admin", query: crNotes, label: "task notes", wrap: text, long: long(domain.MaxTaskNotesBytes)},
		{name: "createSchedule.tasks.icon", as: "a-admin", query: crIcon, label: "task icon", wrap: text, long: long(domain.MaxTaskIconBytes)},
		{name: "updateSchedule.title", as: "a-admin", query: usTitle, label: "schedule title", wrap: text, long: long(domain.MaxTitleBytes), version: true},
		{name: "updateSchedule.timezone", as: "a-admin", query: usZone, label: "schedule timezone", wrap: zone, long: long(domain.MaxTimezoneBytes), version: true},
		{name: "addTask.title", as: "a-admin", query: atTitle, label: "task title", wrap: text, long: long(domain.MaxTitleBytes), version: true},
		{name: "addTask.notes", as: "a-admin", query: atNotes, label: "task notes", wrap: text, long: long(domain.MaxTaskNotesBytes), version: true},
		{name: "addTask.icon", as: "a-admin", query: atIcon, label: "task icon", wrap: text, long: long(domain.MaxTaskIconBytes), version: true},
		{name: "updateTask.title", as: "a-admin", query: utTitle, label: "task title", wrap: text, long: long(domain.MaxTitleBytes), version: true},
		{name: "updateTask.notes", as: "a-admin", query: utNotes, label: "task notes", wrap: text, long: long(domain.MaxTaskNotesBytes), version: true},
		{name: "updateTask.icon", as: "a-admin", query: utIcon, label: "task icon", wrap: text, long: long(domain.MaxTaskIconBytes), version: true},
	}
}()

// storedState is everything the text mutations could write: organisation
// a's members, every schedule of its members, and the users and
// organisations that createOrganisation and addUser would create (those
// with an id the env generated).
type storedState struct {
	Members   []domain.User
	Schedules map[string][]domain.Schedule
	New       []domain.User
	// NewOrganisations are those with a generated id.
	NewOrganisations []domain.Organisation
}

func readState(t *testing.T, e *env) storedState {
	t.Helper()
	ctx := t.Context()
	members, err := e.Store.ListMembers(ctx, "a", domain.PageRequest{Limit: 100})
	if err != nil {
		t.Fatalf("ListMembers: %v", err)
	}
	ids := make([]string, len(members.Items))
	for i, u := range members.Items {
		ids[i] = u.ID
	}
	schedules, err := e.Store.SchedulesByOwners(ctx, ids)
	if err != nil {
		t.Fatalf("SchedulesByOwners: %v", err)
	}
	created, err := e.Store.GetUsers(ctx, e.ids.list())
	if err != nil {
		t.Fatalf("GetUsers: %v", err)
	}
	orgs, err := e.Store.GetOrganisations(ctx, e.ids.list())
	if err != nil {
		t.Fatalf("GetOrganisations: %v", err)
	}
	return storedState{Members: members.Items, Schedules: schedules, New: created, NewOrganisations: orgs}
}

// storedVersion returns the stored version of a-member-1's schedule.
func storedVersion(t *testing.T, e *env) int {
	t.Helper()
	got, err := e.Store.GetSchedules(t.Context(), []string{"a-member-1-sched"})
	if err != nil || len(got) != 1 {
		t.Fatalf("GetSchedules: %v %v", got, err)
	}
	return got[0].Version
}

// postWithSurrogates sends query with vars, every loneSurrogate marker
// in the body replaced by the JSON escape \ud800.
func postWithSurrogates(t *testing.T, e *env, as, query string, vars map[string]any) (gqlResponse, string) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	body = bytes.ReplaceAll(body, []byte(loneSurrogate), []byte(`\ud800`))
	return e.raw(e.token(as), "application/json", body), string(body)
}

// assertSafeMessages fails unless every error message is valid UTF-8
// without control or bidi characters: no message echoes bad bytes raw.
func assertSafeMessages(t *testing.T, r gqlResponse) {
	t.Helper()
	for _, er := range r.Errors {
		if !utf8.ValidString(er.Message) || strings.ContainsFunc(er.Message, func(r rune) bool {
			return unicode.IsControl(r) || (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
		}) {
			t.Errorf("message carries raw bad text: %q", er.Message)
		}
	}
}

// TestInputBadText sends every class of bad text, and a value one byte
// over its limit, in every string argument of every mutation that stores
// text: each is a BadRequest whose message names the field, and nothing is
// stored.
func TestInputBadText(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		for _, f := range textFields {
			t.Run(f.name, func(t *testing.T) {
				values := []struct{ name, v string }{{"over the limit", f.long}}
				for _, c := range badTextClasses {
					values = append(values, struct{ name, v string }{c.name, f.wrap(c.bad)})
				}
				for _, v := range values {
					t.Run(v.name, func(t *testing.T) {
						e := envForSubtest(e, t)
						before := readState(t, e)
						vars := map[string]any{"v": v.v}
						if f.version {
							vars["ver"] = storedVersion(t, e)
						}
						r, body := postWithSurrogates(t, e, f.as, f.query, vars)
						assertCleanError(t, r, body, 0, "BadRequest")
						assertSafeMessages(t, r)
						if msg := strings.ToLower(r.Errors[0].Message); !strings.Contains(msg, f.label) {
							t.Errorf("message %q does not name the field (%s)", r.Errors[0].Message, f.label)
						}
						if fields := r.fieldsWithData(); len(fields) > 0 {
							t.Errorf("bad input produced data for %v: %s", fields, r.Raw)
						}
						if after := readState(t, e); !reflect.DeepEqual(after, before) {
							t.Errorf("stored data changed:\nbefore %+v\nafter  %+v", before, after)
						}
					})
				}
			})
		}
		e.healthy()
	})
}

// TestInputGoodTextIsStored is the control group of TestInputBadText: the
// longest allowed values, tabs and newlines in notes, and text in other
// scripts with bidi marks are stored as sent.
func TestInputGoodTextIsStored(t *testing.T) {
	notes := "Line one\n\tindented\nلا تنسَ\u200F الدواء"
	title := strings.Repeat("é", domain.MaxTitleBytes/2)
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		r := e.as("a-admin", `mutation($ver: Int!, $t: String!, $n: String!, $i: String!) { addTask(input: {scheduleId: "a-member-1-sched", expectedVersion: $ver, task: {title: $t, notes: $n, icon: $i, startTime: "12:00", durationMinutes: 30}}) { tasks { title notes icon } } }`,
			map[string]any{"ver": storedVersion(t, e), "t": title, "n": notes, "i": strings.Repeat("i", domain.MaxTaskIconBytes)})
		var got struct {
			Data struct {
				AddTask struct {
					Tasks []struct{ Title, Notes, Icon string }
				}
			}
		}
		decodeResponse(t, r, &got)
		tasks := got.Data.AddTask.Tasks
		if len(tasks) != 3 || tasks[2].Title != title || tasks[2].Notes != notes || len(tasks[2].Icon) != domain.MaxTaskIconBytes {
			t.Errorf("stored task = %+v", tasks)
		}
	})
}

// decodeResponse decodes a successful response into out, failing t on
// errors.
func decodeResponse(t *testing.T, r gqlResponse, out any) {
	t.Helper()
	if r.Status != 200 || len(r.Errors) > 0 {
		t.Fatalf("status %d: %s", r.Status, r.Raw)
	}
	if err := json.Unmarshal([]byte(r.Raw), out); err != nil {
		t.Fatalf("decode %s: %v", r.Raw, err)
	}
}

// TestInputDuplicateDays: a schedule names each weekday at most once.
func TestInputDuplicateDays(t *testing.T) {
	many := make([]string, 10000)
	for i := range many {
		many[i] = "MON"
	}
	cases := []struct {
		name  string
		query string
		days  []string
		ok    bool
	}{
		{"createSchedule twice MON", `mutation($d: [Weekday!]) { createSchedule(input: {ownerId: "a-member-2", title: "Evenings", timezone: "Europe/Amsterdam", days: $d}) { days } }`, []string{"MON", "TUE", "MON"}, false},
		{"createSchedule 10,000 MON", `mutation($d: [Weekday!]) { createSchedule(input: {ownerId: "a-member-2", title: "Evenings", timezone: "Europe/Amsterdam", days: $d}) { days } }`, many, false},
		{"updateSchedule twice SUN", `mutation($d: [Weekday!], $ver: Int!) { updateSchedule(input: {id: "a-member-1-sched", expectedVersion: $ver, days: $d}) { days } }`, []string{"SUN", "SUN"}, false},
		{"createSchedule every day once", `mutation($d: [Weekday!]) { createSchedule(input: {ownerId: "a-member-2", title: "Evenings", timezone: "Europe/Amsterdam", days: $d}) { days } }`, []string{"SUN", "SAT", "FRI", "THU", "WED", "TUE", "MON"}, true},
		{"updateSchedule every day once", `mutation($d: [Weekday!], $ver: Int!) { updateSchedule(input: {id: "a-member-1-sched", expectedVersion: $ver, days: $d}) { days } }`, []string{"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"}, true},
	}
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e := envForSubtest(e, t)
				before := readState(t, e)
				vars := map[string]any{"d": tc.days}
				if strings.Contains(tc.query, "$ver") {
					vars["ver"] = storedVersion(t, e)
				}
				r := e.as("a-admin", tc.query, vars)
				if tc.ok {
					var got struct {
						Data map[string]struct{ Days []string }
					}
					decodeResponse(t, r, &got)
					for _, s := range got.Data {
						if len(s.Days) != 7 {
							t.Errorf("days = %v, want all seven", s.Days)
						}
					}
					return
				}
				assertCleanError(t, r, gqlBody(t, tc.query, vars), 0, "BadRequest")
				if msg := r.Errors[0].Message; !strings.Contains(msg, "schedule days") {
					t.Errorf("message %q does not name the days", msg)
				}
				if after := readState(t, e); !reflect.DeepEqual(after, before) {
					t.Errorf("stored data changed")
				}
			})
		}
	})
}

// TestInputKeySizeLimits: the longest allowed id, email and texts work end
// to end (create, read, list, change, tick, remove) on every store,
// DynamoDB Local included; one byte more is a BadRequest; ids of any
// length given to lookups are NotFound (or BadRequest), never an internal
// error.
func TestInputKeySizeLimits(t *testing.T) {
	longID := strings.Repeat("i", domain.MaxIDBytes)
	longEmail := emailOf(domain.MaxEmailBytes)
	longName := strings.Repeat("n", domain.MaxNameBytes)
	longPhone := phoneOf(domain.MaxPhoneBytes)
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		t.Run("longest values end to end", func(t *testing.T) {
			e := envForSubtest(e, t)
			var added struct {
				Data struct {
					AddUser struct{ ID, Email, Phone string }
				}
			}
			decodeResponse(t, e.as("a-admin", `mutation($n: String!, $e: AWSEmail!, $p: AWSPhone!) { addUser(input: {organisationId: "a", name: $n, email: $e, phone: $p, role: MEMBER}) { id email phone } }`,
				map[string]any{"n": longName, "e": longEmail, "p": longPhone}), &added)
			if u := added.Data.AddUser; u.ID == "" || u.Email != longEmail || u.Phone != longPhone {
				t.Fatalf("addUser = %+v", u)
			}
			id := added.Data.AddUser.ID // chosen by Dayline
			var read struct {
				Data struct {
					User struct{ ID, Name, Email string }
				}
			}
			decodeResponse(t, e.as("a-admin", `query($id: ID!) { user(id: $id) { id name email } }`, map[string]any{"id": id}), &read)
			if u := read.Data.User; u.ID != id || u.Name != longName || u.Email != longEmail {
				t.Fatalf("user = %+v", u)
			}
			var created struct {
				Data struct {
					CreateSchedule struct {
						ID      string
						Version int
						Tasks   []struct{ ID string }
					}
				}
			}
			decodeResponse(t, e.as("a-admin", `mutation($o: ID!, $t: String!, $n: String!, $i: String!) { createSchedule(input: {ownerId: $o, title: $t, timezone: "America/Argentina/ComodRivadavia", days: [MON], tasks: [{title: $t, notes: $n, icon: $i, startTime: "09:00", durationMinutes: 5}]}) { id version tasks { id } } }`,
				map[string]any{"o": id, "t": strings.Repeat("t", domain.MaxTitleBytes), "n": strings.Repeat("n", domain.MaxTaskNotesBytes), "i": strings.Repeat("i", domain.MaxTaskIconBytes)}), &created)
			sc := created.Data.CreateSchedule
			if len(sc.Tasks) != 1 {
				t.Fatalf("createSchedule = %+v", sc)
			}
			var listed struct {
				Data struct {
					ListSchedules struct{ Items []struct{ ID string } }
				}
			}
			decodeResponse(t, e.as("a-admin", `query($o: ID!) { listSchedules(ownerId: $o) { items { id } } }`, map[string]any{"o": id}), &listed)
			if items := listed.Data.ListSchedules.Items; len(items) != 1 || items[0].ID != sc.ID {
				t.Errorf("listSchedules = %+v", items)
			}
			var done struct {
				Data struct{ CompleteTask struct{ Completed bool } }
			}
			decodeResponse(t, e.as("a-admin", `mutation($t: ID!) { completeTask(taskId: $t, date: "2026-03-30") { completed } }`, map[string]any{"t": sc.Tasks[0].ID}), &done)
			if !done.Data.CompleteTask.Completed {
				t.Errorf("completeTask: not completed")
			}
			var agenda struct {
				Data struct{ Agenda []struct{ Completed bool } }
			}
			decodeResponse(t, e.as("a-admin", `query($u: ID!) { agenda(userId: $u, date: "2026-03-30") { completed } }`, map[string]any{"u": id}), &agenda)
			if a := agenda.Data.Agenda; len(a) != 1 || !a[0].Completed {
				t.Errorf("agenda = %+v", a)
			}
			var removed struct {
				Data struct{ RemoveUser struct{ ID string } }
			}
			decodeResponse(t, e.as("a-admin", `mutation($id: ID!) { removeUser(id: $id, expectedVersion: 1) { id } }`, map[string]any{"id": id}), &removed)
			if removed.Data.RemoveUser.ID != id {
				t.Errorf("removeUser = %+v", removed.Data.RemoveUser)
			}
		})

		t.Run("the longest organisation admin", func(t *testing.T) {
			e := envForSubtest(e, t)
			var got struct {
				Data struct{ CreateOrganisation struct{ Name string } }
			}
			decodeResponse(t, e.as("operator", `mutation($n: String!, $e: AWSEmail!) { createOrganisation(input: {name: $n, admin: {name: $n, email: $e}}) { name } }`,
				map[string]any{"n": longName, "e": longEmail}), &got)
			if got.Data.CreateOrganisation.Name != longName {
				t.Errorf("createOrganisation = %+v", got.Data.CreateOrganisation)
			}
		})

		overLimit := []struct {
			name, query, field string
			vars               map[string]any
		}{
			{"addUser email one byte over", `mutation($e: AWSEmail!) { addUser(input: {organisationId: "a", name: "N", email: $e, role: MEMBER}) { id } }`,
				"user email", map[string]any{"e": "e" + longEmail}},
			{"addUser email of 3,000 bytes", `mutation($e: AWSEmail!) { addUser(input: {organisationId: "a", name: "N", email: $e, role: MEMBER}) { id } }`,
				"user email", map[string]any{"e": emailOf(3000)}},
		}
		for _, tc := range overLimit {
			t.Run(tc.name, func(t *testing.T) {
				e := envForSubtest(e, t)
				before := readState(t, e)
				r := e.as("a-admin", tc.query, tc.vars)
				assertCleanError(t, r, gqlBody(t, tc.query, tc.vars), 0, "BadRequest")
				if msg := r.Errors[0].Message; !strings.Contains(msg, tc.field) {
					t.Errorf("message %q does not name %s", msg, tc.field)
				}
				if after := readState(t, e); !reflect.DeepEqual(after, before) {
					t.Errorf("stored data changed")
				}
			})
		}

		lookups := []struct{ name, query string }{
			{"user", `query($id: ID!) { user(id: $id) { id } }`},
			{"schedule", `query($id: ID!) { schedule(id: $id) { id } }`},
			{"organisation", `query($id: ID!) { organisation(id: $id) { id } }`},
			{"listSchedules", `query($id: ID!) { listSchedules(ownerId: $id) { items { id } } }`},
			{"listMembers", `query($id: ID!) { listMembers(organisationId: $id) { items { id } } }`},
			{"agenda", `query($id: ID!) { agenda(userId: $id, date: "2026-03-30") { startsAt } }`},
			{"addUser organisationId", `mutation($id: ID!) { addUser(input: {organisationId: $id, name: "N", email: "n@example.com", role: MEMBER}) { id } }`},
			{"updateUser", `mutation($id: ID!) { updateUser(input: {id: $id, expectedVersion: 1, name: "N"}) { id } }`},
			{"removeUser", `mutation($id: ID!) { removeUser(id: $id, expectedVersion: 1) { id } }`},
			{"createSchedule ownerId", `mutation($id: ID!) { createSchedule(input: {ownerId: $id, title: "T", timezone: "Europe/Amsterdam", days: [MON]}) { id } }`},
			{"updateSchedule", `mutation($id: ID!) { updateSchedule(input: {id: $id, expectedVersion: 1, title: "T"}) { id } }`},
			{"deleteSchedule", `mutation($id: ID!) { deleteSchedule(id: $id, expectedVersion: 1) { id } }`},
			{"addTask", `mutation($id: ID!) { addTask(input: {scheduleId: $id, expectedVersion: 1, task: {title: "T", startTime: "09:00", durationMinutes: 5}}) { id } }`},
			{"updateTask taskId", `mutation($id: ID!) { updateTask(input: {scheduleId: "a-member-1-sched", taskId: $id, expectedVersion: 1, title: "T"}) { id } }`},
			{"removeTask taskId", `mutation($id: ID!) { removeTask(scheduleId: "a-member-1-sched", taskId: $id, expectedVersion: 1) { id } }`},
			{"reorderTasks taskIds", `mutation($id: ID!) { reorderTasks(scheduleId: "a-member-1-sched", taskIds: [$id, "a-member-1-task-1"], expectedVersion: 1) { id } }`},
			{"completeTask", `mutation($id: ID!) { completeTask(taskId: $id, date: "2026-03-30") { completed } }`},
			{"uncompleteTask", `mutation($id: ID!) { uncompleteTask(taskId: $id, date: "2026-03-30") { completed } }`},
		}
		ids := []struct{ name, id string }{
			{"one byte over", longID + "i"},
			{"over DynamoDB's sort key limit", strings.Repeat("k", 1100)},
			{"over DynamoDB's partition key limit", strings.Repeat("k", 2100)},
			{"40,000 bytes", strings.Repeat("k", 40000)},
			{"with NUL and RLO", "a-member-1\x00\u202E"},
		}
		for _, l := range lookups {
			for _, id := range ids {
				t.Run(fmt.Sprintf("%s with an id %s", l.name, id.name), func(t *testing.T) {
					e := envForSubtest(e, t)
					vars := map[string]any{"id": id.id}
					r := e.as("a-admin", l.query, vars)
					assertCleanError(t, r, gqlBody(t, l.query, vars), 0, "")
					assertSafeMessages(t, r)
					for _, er := range r.Errors {
						if er.ErrorType != "NotFound" && er.ErrorType != "BadRequest" {
							t.Errorf("errorType %s, want NotFound or BadRequest: %s", er.ErrorType, er.Message)
						}
					}
				})
			}
		}
		e.healthy()
	})
}

// TestInputCompletionDates: a task is ticked only on a date it occurs:
// its schedule is active and applies that day. A tick made before the
// schedule was deactivated can still be undone.
func TestInputCompletionDates(t *testing.T) {
	const (
		complete   = `mutation($t: ID!, $d: AWSDate!) { completeTask(taskId: $t, date: $d) { taskId date completed } }`
		uncomplete = `mutation($t: ID!, $d: AWSDate!) { uncompleteTask(taskId: $t, date: $d) { taskId date completed } }`
		saturday   = "2026-04-04"
	)
	type completion struct {
		TaskID    string
		Date      string
		Completed bool
	}
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		// a-member-2's second schedule applies on one Wednesday only.
		var oneDate struct {
			Data struct {
				CreateSchedule struct {
					Tasks []struct{ ID string }
				}
			}
		}
		decodeResponse(t, e.as("a-admin", `mutation { createSchedule(input: {ownerId: "a-member-2", title: "Dentist", timezone: "Europe/Amsterdam", date: "2026-04-01", tasks: [{title: "Go", startTime: "10:00", durationMinutes: 60}]}) { tasks { id } } }`, nil), &oneDate)
		dentist := oneDate.Data.CreateSchedule.Tasks[0].ID
		// a-member-2's weekday schedule is deactivated.
		var version struct {
			Data struct{ Schedule struct{ Version int } }
		}
		decodeResponse(t, e.as("a-admin", `{ schedule(id: "a-member-2-sched") { version } }`, nil), &version)
		decodeResponse(t, e.as("a-admin", `mutation($v: Int!) { updateSchedule(input: {id: "a-member-2-sched", expectedVersion: $v, active: false}) { active } }`,
			map[string]any{"v": version.Data.Schedule.Version}), &struct{}{})

		cases := []struct {
			name, as, query, task, date string
			reason                      string // "" when it succeeds
			completed                   bool
		}{
			{"complete on a weekday of the schedule", "a-member-1", complete, "a-member-1-task-2", testDay, "", true},
			{"complete on a weekday not in days", "a-member-1", complete, "a-member-1-task-2", saturday, "does not occur on 2026-04-04", false},
			{"uncomplete on a weekday not in days, never ticked", "a-member-1", uncomplete, "a-member-1-task-2", saturday, "does not occur", false},
			{"uncomplete on a weekday of the schedule, never ticked", "a-member-1", uncomplete, "a-member-1-task-2", "2026-03-31", "", false},
			{"complete on the one date", "a-member-2", complete, dentist, "2026-04-01", "", true},
			{"complete on another date of a one-date schedule", "a-member-2", complete, dentist, "2026-04-08", "applies only on 2026-04-01", false},
			{"complete in an inactive schedule", "a-member-2", complete, "a-member-2-task-1", testDay, "not active", false},
			{"complete in an inactive schedule, as staff", "a-caregiver", complete, "a-member-2-task-1", testDay, "not active", false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e := envForSubtest(e, t)
				owner := strings.TrimSuffix(strings.TrimSuffix(tc.task, "-task-1"), "-task-2")
				if !strings.HasPrefix(owner, "a-member") {
					owner = "a-member-2"
				}
				day := domain.OwnerDate{OwnerID: owner, Day: tc.date}
				before, err := e.Store.CompletionsOn(t.Context(), []domain.OwnerDate{day})
				if err != nil {
					t.Fatal(err)
				}
				vars := map[string]any{"t": tc.task, "d": tc.date}
				r := e.as(tc.as, tc.query, vars)
				if tc.reason == "" {
					var got struct{ Data map[string]completion }
					decodeResponse(t, r, &got)
					for _, c := range got.Data {
						if c.TaskID != tc.task || c.Date != tc.date || c.Completed != tc.completed {
							t.Errorf("completion = %+v", c)
						}
					}
					return
				}
				assertCleanError(t, r, gqlBody(t, tc.query, vars), 0, "BadRequest")
				if msg := r.Errors[0].Message; !strings.Contains(msg, tc.reason) {
					t.Errorf("message %q should say %q", msg, tc.reason)
				}
				after, err := e.Store.CompletionsOn(t.Context(), []domain.OwnerDate{day})
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(after, before) {
					t.Errorf("completions changed: %v -> %v", before, after)
				}
			})
		}

		t.Run("a tick from before the schedule was deactivated can be undone", func(t *testing.T) {
			e := envForSubtest(e, t)
			// a-member-1 ticked task-1 on testDay (seed); then the schedule
			// is deactivated.
			decodeResponse(t, e.as("a-admin", `{ schedule(id: "a-member-1-sched") { version } }`, nil), &version)
			decodeResponse(t, e.as("a-admin", `mutation($v: Int!) { updateSchedule(input: {id: "a-member-1-sched", expectedVersion: $v, active: false}) { active } }`,
				map[string]any{"v": version.Data.Schedule.Version}), &struct{}{})
			vars := map[string]any{"t": "a-member-1-task-1", "d": testDay}
			var got struct {
				Data struct{ UncompleteTask completion }
			}
			decodeResponse(t, e.as("a-member-1", uncomplete, vars), &got)
			if c := got.Data.UncompleteTask; c.Completed || c.TaskID != "a-member-1-task-1" {
				t.Errorf("uncompleteTask = %+v", c)
			}
			done, err := e.Store.CompletionsOn(t.Context(), []domain.OwnerDate{{OwnerID: "a-member-1", Day: testDay}})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(done[domain.OwnerDate{OwnerID: "a-member-1", Day: testDay}]); n != 1 {
				t.Errorf("%d completions left on %s, want 1 (task-2's)", n, testDay)
			}
			// Nothing is left to undo, and the task does not occur.
			r := e.as("a-member-1", uncomplete, vars)
			assertCleanError(t, r, gqlBody(t, uncomplete, vars), 0, "BadRequest")
			// Nor can it be ticked again.
			r = e.as("a-member-1", complete, vars)
			assertCleanError(t, r, gqlBody(t, complete, vars), 0, "BadRequest")
		})
		e.healthy()
	})
}

// TestInputSchedulesPerOwner: createSchedule beyond MaxSchedulesPerOwner
// is a BadRequest and stores nothing.
func TestInputSchedulesPerOwner(t *testing.T) {
	const create = `mutation { createSchedule(input: {ownerId: "a-member-1", title: "More", timezone: "Europe/Amsterdam", days: [SUN]}) { id } }`
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		for range domain.MaxSchedulesPerOwner - 1 { // the seed holds one
			decodeResponse(t, e.as("a-admin", create, nil), &struct{}{})
		}
		r := e.as("a-admin", create, nil)
		assertCleanError(t, r, "", 0, "BadRequest")
		if msg := r.Errors[0].Message; msg != "a user holds at most 20 schedules" {
			t.Errorf("message %q", msg)
		}
		var list struct {
			Data struct {
				User struct{ Schedules []struct{ ID string } }
			}
		}
		decodeResponse(t, e.as("a-admin", `{ user(id: "a-member-1") { schedules { id } } }`, nil), &list)
		if n := len(list.Data.User.Schedules); n != domain.MaxSchedulesPerOwner {
			t.Errorf("a-member-1 holds %d schedules, want %d", n, domain.MaxSchedulesPerOwner)
		}
	})
}
