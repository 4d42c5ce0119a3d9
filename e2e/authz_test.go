package e2e_test

import (
	"slices"
	"strings"
	"testing"
)

// roles are the callers of the authorization matrix: an operator (no user
// record), and organisation a's admin, caregiver and first member.
var roles = []string{"operator", "a-admin", "a-caregiver", "a-member-1"}

// allow lists the roles that may run an operation; the rest are denied.
func allow(r ...string) map[string]bool {
	m := map[string]bool{}
	for _, x := range r {
		m[x] = true
	}
	return m
}

var staff = []string{"a-admin", "a-caregiver"}

type matrixCase struct {
	name  string
	field string // top-level field whose value must be non-null when allowed
	query string
	vars  map[string]any
	allow map[string]bool
}

var matrix = []matrixCase{
	{"me", "me", `{ me { id } }`, nil, allow(append(staff, "a-member-1")...)},
	{"organisation", "organisation", `{ organisation(id: "a") { id name } }`, nil, allow(append(staff, "a-member-1")...)},
	{"user other member", "user", `{ user(id: "a-member-2") { id name } }`, nil, allow(staff...)},
	{"user self", "user", `{ user(id: "a-member-1") { id name } }`, nil, allow(append(staff, "a-member-1")...)},
	{"schedule of other member", "schedule", `{ schedule(id: "a-member-2-sched") { id } }`, nil, allow(staff...)},
	{"schedule own", "schedule", `{ schedule(id: "a-member-1-sched") { id tasks { id } } }`, nil, allow(append(staff, "a-member-1")...)},
	{"listMembers", "listMembers", `{ listMembers(organisationId: "a") { items { id } } }`, nil, allow(staff...)},
	{"listSchedules other", "listSchedules", `{ listSchedules(ownerId: "a-member-2") { items { id } } }`, nil, allow(staff...)},
	{"listSchedules own", "listSchedules", `{ listSchedules(ownerId: "a-member-1") { items { id } } }`, nil, allow(append(staff, "a-member-1")...)},
	{"agenda other", "agenda", `{ agenda(userId: "a-member-2", date: "2026-03-30") { startsAt } }`, nil, allow(staff...)},
	{"agenda own", "agenda", `{ agenda(userId: "a-member-1", date: "2026-03-30") { startsAt } }`, nil, allow(append(staff, "a-member-1")...)},

	{"createOrganisation", "createOrganisation", `mutation { createOrganisation(input: {name: "New", admin: {name: "N", email: "n@example.com"}}) { id } }`, nil, allow("operator")},
	{"addUser", "addUser", `mutation { addUser(input: {organisationId: "a", name: "New", email: "new@example.com", role: MEMBER}) { id } }`, nil, allow("a-admin")},
	{"updateUser", "updateUser", `mutation { updateUser(input: {id: "a-member-2", expectedVersion: 1, name: "Renamed"}) { id version } }`, nil, allow("a-admin")},
	{"removeUser", "removeUser", `mutation { removeUser(id: "a-member-2", expectedVersion: 1) { id } }`, nil, allow("a-admin")},
	{"createSchedule", "createSchedule", `mutation { createSchedule(input: {ownerId: "a-member-2", title: "T", timezone: "Europe/Amsterdam", days: [MON]}) { id version } }`, nil, allow(staff...)},
	{"updateSchedule", "updateSchedule", `mutation { updateSchedule(input: {id: "a-member-2-sched", expectedVersion: 1, title: "T2"}) { id version } }`, nil, allow(staff...)},
	{"deleteSchedule", "deleteSchedule", `mutation { deleteSchedule(id: "a-member-2-sched", expectedVersion: 1) { id } }`, nil, allow(staff...)},
	{"addTask", "addTask", `mutation { addTask(input: {scheduleId: "a-member-2-sched", expectedVersion: 1, task: {title: "x", startTime: "09:00", durationMinutes: 5}}) { id } }`, nil, allow(staff...)},
	{"updateTask", "updateTask", `mutation { updateTask(input: {scheduleId: "a-member-2-sched", taskId: "a-member-2-task-1", expectedVersion: 1, title: "y"}) { id } }`, nil, allow(staff...)},
	{"removeTask", "removeTask", `mutation { removeTask(scheduleId: "a-member-2-sched", taskId: "a-member-2-task-1", expectedVersion: 1) { id } }`, nil, allow(staff...)},
	{"reorderTasks", "reorderTasks", `mutation { reorderTasks(scheduleId: "a-member-2-sched", taskIds: ["a-member-2-task-1", "a-member-2-task-2"], expectedVersion: 1) { id } }`, nil, allow(staff...)},
	{"own schedule changes are for planners", "updateSchedule", `mutation { updateSchedule(input: {id: "a-member-1-sched", expectedVersion: 1, title: "mine"}) { id } }`, nil, allow(staff...)},
	{"completeTask own", "completeTask", `mutation { completeTask(taskId: "a-member-1-task-2", date: "2026-03-30") { completed } }`, nil, allow(append(staff, "a-member-1")...)},
	{"completeTask other", "completeTask", `mutation { completeTask(taskId: "a-member-2-task-1", date: "2026-03-30") { completed } }`, nil, allow(staff...)},
	{"uncompleteTask own", "uncompleteTask", `mutation { uncompleteTask(taskId: "a-member-1-task-1", date: "2026-03-30") { completed } }`, nil, allow(append(staff, "a-member-1")...)},
	{"uncompleteTask other", "uncompleteTask", `mutation { uncompleteTask(taskId: "a-member-2-task-1", date: "2026-03-30") { completed } }`, nil, allow(staff...)},
}

// TestAuthorizationMatrix runs every operation as every role: allowed
// ones answer data without errors, denied ones answer null plus an
// Unauthorized error in AppSync's shape.
func TestAuthorizationMatrix(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		for _, tc := range matrix {
			t.Run(tc.name, func(t *testing.T) {
				e := newEnv(t, open)
				for _, role := range roles {
					r := e.as(role, tc.query, tc.vars)
					if r.Status != 200 {
						t.Fatalf("%s: status %d: %s", role, r.Status, r.Raw)
					}
					if tc.allow[role] {
						if len(r.Errors) > 0 || !r.hasData(tc.field) {
							t.Errorf("%s should be allowed: %s", role, r.Raw)
						}
						e = newEnv(t, open) // the next role starts from the seed again
						continue
					}
					if r.hasData(tc.field) {
						t.Errorf("%s should be denied, got data: %s", role, r.Raw)
					}
					if !slices.Contains(r.errorTypes(), "Unauthorized") {
						t.Errorf("%s: want errorType Unauthorized, got %s", role, r.Raw)
					}
				}
			})
		}
	})
}

// TestRestrictedFields checks the field-level directives on nested fields:
// email and phone for staff only, Organisation.members for staff only; a
// denied field is null with an AppSync error and the rest survives.
func TestRestrictedFields(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		query := `{ me { id email phone organisation { name members { items { id } } } } }`
		for _, role := range []string{"a-admin", "a-caregiver"} {
			me := dataAs[struct{ Me *userOut }](t, e, role, query, nil).Me
			if me == nil || me.Email == nil || *me.Email != role+"@example.com" || me.Phone == nil ||
				me.Organisation == nil || me.Organisation.Members == nil || len(me.Organisation.Members.Items) != 4 {
				t.Errorf("%s should see email, phone and the 4 members: %+v", role, me)
			}
		}
		r := e.as("a-member-1", query, nil)
		me := decodeData[struct{ Me *userOut }](t, r).Me
		if me == nil || me.ID != "a-member-1" {
			t.Fatalf("member's own record should survive: %s", r.Raw)
		}
		if me.Email != nil || me.Phone != nil {
			t.Errorf("member must not see email/phone: %s", r.Raw)
		}
		if org := me.Organisation; org == nil || org.Name != "Org a" || org.Members != nil {
			t.Errorf("member sees the organisation's name but not its members: %s", r.Raw)
		}
		wantMsgs := map[string]bool{
			"Not Authorized to access email on type User":           false,
			"Not Authorized to access phone on type User":           false,
			"Not Authorized to access members on type Organisation": false,
		}
		for _, er := range r.Errors {
			if _, ok := wantMsgs[er.Message]; ok && er.ErrorType == "Unauthorized" && len(er.Path) > 0 && len(er.Locations) > 0 {
				wantMsgs[er.Message] = true
			}
		}
		for msg, seen := range wantMsgs {
			if !seen {
				t.Errorf("missing AppSync-shaped error %q in %s", msg, r.Raw)
			}
		}
	})
}

// TestRestrictedFieldsHoweverSelected: a member never reads email, whether
// it is selected through a fragment, an inline fragment, an alias or under
// @include/@skip; the field authorizer checks the whole document before it
// decides to skip the per-field check.
func TestRestrictedFieldsHoweverSelected(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		queries := map[string]string{
			"fragment":        `{ me { id ...Contact } } fragment Contact on User { email }`,
			"nested fragment": `{ me { ...Outer } } fragment Outer on User { id ...Contact } fragment Contact on User { email }`,
			"inline fragment": `{ me { id ... on User { email } } }`,
			"alias":           `{ me { id contact: email } }`,
			"include true":    `{ me { id email @include(if: true) } }`,
			"skip false":      `{ me { id email @skip(if: false) } }`,
			"include false":   `{ me { id email @include(if: false) } }`,
		}
		for name, query := range queries {
			t.Run(name, func(t *testing.T) {
				r := e.as("a-member-1", query, nil)
				if strings.Contains(string(r.Raw), "@") {
					t.Errorf("an email address leaked: %s", r.Raw)
				}
				me := decodeData[struct{ Me *userOut }](t, r).Me
				if me == nil || me.ID != "a-member-1" {
					t.Fatalf("member's own record should survive: %s", r.Raw)
				}
				denied := false
				for _, er := range r.Errors {
					denied = denied || (er.Message == "Not Authorized to access email on type User" && er.ErrorType == "Unauthorized")
				}
				if want := name != "include false"; denied != want {
					t.Errorf("Unauthorized error on email: %v, want %v: %s", denied, want, r.Raw)
				}
			})
		}
	})
}
