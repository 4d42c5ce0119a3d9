package e2e_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/dayline/dayline/domain"
)

// TestMutationFieldsSeeEachOther: the fields of one mutation document run
// in order, and each sees what the earlier ones wrote.
func TestMutationFieldsSeeEachOther(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		t.Run("two updates of one user", func(t *testing.T) {
			e := newEnv(t, open)
			got := dataAs[struct{ First, Second userOut }](t, e, "a-admin", `mutation {
				first: updateUser(input: {id: "a-member-2", expectedVersion: 1, name: "One"}) { id version name }
				second: updateUser(input: {id: "a-member-2", expectedVersion: 2, name: "Two"}) { id version name }
			}`, nil)
			if got.First.Version != 2 || got.First.Name != "One" {
				t.Errorf("first update = %+v, want version 2, name One", got.First)
			}
			if got.Second.Version != 3 || got.Second.Name != "Two" {
				t.Errorf("second update = %+v, want version 3, name Two (it must see the first)", got.Second)
			}
			if u := storedUser(t, e, "a-member-2"); u.Version != 3 || u.Name != "Two" {
				t.Errorf("stored user = %+v, want version 3, name Two", u)
			}
		})
		t.Run("no schedule for a user removed in the same document", func(t *testing.T) {
			e := newEnv(t, open)
			r := e.as("a-admin", `mutation {
				removeUser(id: "a-member-2", expectedVersion: 1) { id }
				createSchedule(input: {ownerId: "a-member-2", title: "T", timezone: "UTC", days: [MON]}) { id }
			}`, nil)
			got := decodeData[struct {
				RemoveUser     *userOut
				CreateSchedule *scheduleOut
			}](t, r)
			if got.RemoveUser == nil || got.RemoveUser.ID != "a-member-2" || got.CreateSchedule != nil {
				t.Fatalf("want the removal to succeed and the schedule to be refused: %s", r.Raw)
			}
			if len(r.Errors) != 1 || r.Errors[0].ErrorType != "NotFound" || r.Errors[0].Path.String() != "createSchedule" {
				t.Errorf("want one NotFound error at createSchedule: %s", r.Raw)
			}
			checkUserGone(t, e, "a-member-2")
		})
		t.Run("a changed schedule reads back changed", func(t *testing.T) {
			e := newEnv(t, open)
			r := e.as("a-admin", `mutation {
				addTask(input: {scheduleId: "a-member-1-sched", expectedVersion: 1, task: {title: "Lunch", startTime: "12:00", durationMinutes: 30}}) { version tasks { title } }
				reorderTasks(scheduleId: "a-member-1-sched", expectedVersion: 2, taskIds: ["a-member-1-task-1", "a-member-1-task-2"]) { version tasks { title } }
			}`, nil)
			// reorderTasks names two of three tasks: the schedule it sees has
			// the task added before it (version 2), so this is a BadRequest
			// (about the task count), not a Conflict and not a silent loss.
			got := decodeData[struct{ AddTask, ReorderTasks *scheduleOut }](t, r)
			wantTitles := []string{"Breakfast", "Get up", "Lunch"}
			if got.AddTask == nil || got.AddTask.Version != 2 || !slices.Equal(taskTitles(got.AddTask.Tasks), wantTitles) {
				t.Errorf("addTask = %+v, want version 2 with tasks %q", got.AddTask, wantTitles)
			}
			if got.ReorderTasks != nil || len(r.Errors) != 1 || r.Errors[0].ErrorType != "BadRequest" || r.Errors[0].Path.String() != "reorderTasks" {
				t.Fatalf("the second change must see the first: %s", r.Raw)
			}
			s := dataAs[struct{ Schedule scheduleOut }](t, e, "a-admin", `{ schedule(id: "a-member-1-sched") { version tasks { title } } }`, nil).Schedule
			if s.Version != 2 || !slices.Equal(taskTitles(s.Tasks), wantTitles) {
				t.Errorf("stored schedule = %+v, want version 2 with tasks %q", s, wantTitles)
			}
		})
	})
}

// storedUser reads user id as a-admin.
func storedUser(t *testing.T, e *env, id string) userOut {
	t.Helper()
	u := dataAs[struct{ User *userOut }](t, e, "a-admin", `query($id: ID!) { user(id: $id) { id name role version } }`, map[string]any{"id": id}).User
	if u == nil {
		t.Fatalf("user %s: null", id)
	}
	return *u
}

// checkUserGone fails t unless user id is gone: a NotFound for a-admin's
// user(id), and not among organisation a's members.
func checkUserGone(t *testing.T, e *env, id string) {
	t.Helper()
	r := e.as("a-admin", `query($id: ID!) { user(id: $id) { id } }`, map[string]any{"id": id})
	if r.hasData("user") || len(r.Errors) != 1 || r.Errors[0].ErrorType != "NotFound" {
		t.Errorf("user %s after its removal: want null and one NotFound error, got %s", id, r.Raw)
	}
	members := dataAs[struct{ ListMembers userPage }](t, e, "a-admin", `{ listMembers(organisationId: "a", limit: 100) { items { id } } }`, nil).ListMembers
	if ids := userIDs(members.Items); slices.Contains(ids, id) {
		t.Errorf("user %s still listed after its removal: %v", id, ids)
	}
}

// scheduleFields selects every scheduleOut field.
const scheduleFields = `id ownerId title timezone days active version tasks { id title startTime durationMinutes position }`

// storedSchedule reads schedule id as a-admin.
func storedSchedule(t *testing.T, e *env, id string) scheduleOut {
	t.Helper()
	s := dataAs[struct{ Schedule *scheduleOut }](t, e, "a-admin", `query($id: ID!) { schedule(id: $id) { `+scheduleFields+` } }`, map[string]any{"id": id}).Schedule
	if s == nil {
		t.Fatalf("schedule %s: null", id)
	}
	return *s
}

// checkTasks fails t unless tasks are, in order, the tasks titled titles,
// at positions 0, 1, ...
func checkTasks(t *testing.T, what string, tasks []taskOut, titles ...string) {
	t.Helper()
	if got := taskTitles(tasks); !slices.Equal(got, titles) {
		t.Errorf("%s: tasks %q, want %q", what, got, titles)
	}
	for i, task := range tasks {
		if task.Position != i {
			t.Errorf("%s: task %q at position %d, want %d", what, task.Title, task.Position, i)
		}
	}
}

// agendaDone returns, per task title, whether member's agenda on testDay
// shows it completed.
func agendaDone(t *testing.T, e *env, member string) map[string]bool {
	t.Helper()
	items := dataAs[struct{ Agenda []agendaItemOut }](t, e, member, `query($u: ID!, $d: AWSDate!) { agenda(userId: $u, date: $d) { completed task { title } } }`,
		map[string]any{"u": member, "d": testDay}).Agenda
	done := map[string]bool{}
	for _, it := range items {
		done[it.Task.Title] = it.Completed
	}
	return done
}

// TestMutationResults: every mutation, made by a caller allowed to, answers
// the changed object (its new version, the values sent) and the change
// reads back the same way; a stale expectedVersion changes nothing.
func TestMutationResults(t *testing.T) {
	const member2Sched = "a-member-2-sched"
	cases := []struct {
		name  string
		as    string
		query string
		vars  map[string]any
		// check checks the answer r (HTTP 200, no errors) and what reads back.
		check func(t *testing.T, e *env, r gqlResponse)
	}{
		{
			name: "createOrganisation", as: "operator",
			query: `mutation { createOrganisation(input: {name: "Org c", admin: {name: "Cleo", email: "cleo@example.com"}}) { id name } }`,
			check: func(t *testing.T, e *env, r gqlResponse) {
				org := decodeData[struct{ CreateOrganisation organisationOut }](t, r).CreateOrganisation
				if org.ID == "" || org.Name != "Org c" {
					t.Errorf("createOrganisation = %+v", org)
				}
				admin := e.generatedUser(t, "cleo@example.com")
				me := dataAs[struct{ Me *userOut }](t, e, admin.ID, `{ me { id name role organisationId organisation { name } } }`, nil).Me
				if me == nil || me.Name != "Cleo" || me.Role != domain.RoleAdmin || me.OrganisationID != org.ID || me.Organisation == nil || me.Organisation.Name != "Org c" {
					t.Errorf("the new admin reads %+v", me)
				}
			},
		},
		{
			name: "addUser", as: "a-admin",
			query: `mutation { addUser(input: {organisationId: "a", name: "Newcomer", email: "newcomer@example.com", role: CAREGIVER}) { id organisationId name email role version } }`,
			check: func(t *testing.T, e *env, r gqlResponse) {
				u := decodeData[struct{ AddUser userOut }](t, r).AddUser
				if u.ID == "" || u.OrganisationID != "a" || u.Name != "Newcomer" || u.Email == nil || *u.Email != "newcomer@example.com" || u.Role != domain.RoleCaregiver || u.Version != 1 {
					t.Errorf("addUser = %+v", u)
				}
				if got := storedUser(t, e, u.ID); got.Name != "Newcomer" || got.Role != domain.RoleCaregiver || got.Version != 1 {
					t.Errorf("stored user = %+v", got)
				}
			},
		},
		{
			name: "updateUser", as: "a-admin",
			query: `mutation { updateUser(input: {id: "a-member-2", expectedVersion: 1, name: "Renamed", role: CAREGIVER}) { id name role version } }`,
			check: func(t *testing.T, e *env, r gqlResponse) {
				u := decodeData[struct{ UpdateUser userOut }](t, r).UpdateUser
				want := userOut{ID: "a-member-2", Name: "Renamed", Role: domain.RoleCaregiver, Version: 2}
				if !reflect.DeepEqual(u, want) {
					t.Errorf("updateUser = %+v, want %+v", u, want)
				}
				if got := storedUser(t, e, "a-member-2"); !reflect.DeepEqual(got, want) {
					t.Errorf("stored user = %+v, want %+v", got, want)
				}
			},
		},
		{
			name: "removeUser", as: "a-admin",
			query: `mutation { removeUser(id: "a-member-2", expectedVersion: 1) { id name } }`,
			check: func(t *testing.T, e *env, r gqlResponse) {
				if u := decodeData[struct{ RemoveUser userOut }](t, r).RemoveUser; u.ID != "a-member-2" || u.Name != "a member-2" {
					t.Errorf("removeUser = %+v", u)
				}
				checkUserGone(t, e, "a-member-2")
			},
		},
		{
			name: "createSchedule", as: "a-caregiver",
			query: `mutation { createSchedule(input: {ownerId: "a-member-2", title: "Evenings", timezone: "Europe/Amsterdam", days: [MON, FRI], tasks: [
				{title: "Dinner", startTime: "18:00", durationMinutes: 45}, {title: "Teeth", startTime: "21:00", durationMinutes: 5}]}) { ` + scheduleFields + ` } }`,
			check: func(t *testing.T, e *env, r gqlResponse) {
				s := decodeData[struct{ CreateSchedule scheduleOut }](t, r).CreateSchedule
				if s.ID == "" || s.OwnerID != "a-member-2" || s.Title != "Evenings" || s.Timezone != "Europe/Amsterdam" ||
					!slices.Equal(s.Days, []string{"MON", "FRI"}) || !s.Active || s.Version != 1 {
					t.Errorf("createSchedule = %+v", s)
				}
				checkTasks(t, "createSchedule", s.Tasks, "Dinner", "Teeth")
				if len(s.Tasks) == 2 && (s.Tasks[0].ID == "" || s.Tasks[0].ID == s.Tasks[1].ID ||
					s.Tasks[0].StartTime != "18:00" || s.Tasks[0].DurationMinutes != 45) {
					t.Errorf("createSchedule tasks = %+v", s.Tasks)
				}
				if got := storedSchedule(t, e, s.ID); !reflect.DeepEqual(got, s) {
					t.Errorf("stored schedule = %+v, want %+v", got, s)
				}
			},
		},
		{
			name: "updateSchedule", as: "a-caregiver",
			query: `mutation { updateSchedule(input: {id: "a-member-2-sched", expectedVersion: 1, title: "Early mornings", active: false}) { ` + scheduleFields + ` } }`,
			check: func(t *testing.T, e *env, r gqlResponse) {
				s := decodeData[struct{ UpdateSchedule scheduleOut }](t, r).UpdateSchedule
				if s.ID != member2Sched || s.Title != "Early mornings" || s.Active || s.Version != 2 || s.Timezone != "Europe/Amsterdam" {
					t.Errorf("updateSchedule = %+v", s)
				}
				checkTasks(t, "updateSchedule", s.Tasks, "Breakfast", "Get up")
				if got := storedSchedule(t, e, member2Sched); !reflect.DeepEqual(got, s) {
					t.Errorf("stored schedule = %+v, want %+v", got, s)
				}
			},
		},
		{
			name: "deleteSchedule", as: "a-caregiver",
			query: `mutation { deleteSchedule(id: "a-member-2-sched", expectedVersion: 1) { id } }`,
			check: func(t *testing.T, e *env, r gqlResponse) {
				if s := decodeData[struct{ DeleteSchedule scheduleOut }](t, r).DeleteSchedule; s.ID != member2Sched {
					t.Errorf("deleteSchedule = %+v", s)
				}
				got := e.as("a-admin", `{ schedule(id: "a-member-2-sched") { id } }`, nil)
				if got.hasData("schedule") || len(got.Errors) != 1 || got.Errors[0].ErrorType != "NotFound" {
					t.Errorf("deleted schedule: want null and one NotFound error, got %s", got.Raw)
				}
				list := dataAs[struct{ ListSchedules schedulePage }](t, e, "a-admin", `{ listSchedules(ownerId: "a-member-2") { items { id } } }`, nil).ListSchedules
				if len(list.Items) != 0 {
					t.Errorf("listSchedules after the deletion = %+v", list.Items)
				}
			},
		},
		{
			name: "addTask", as: "a-caregiver",
			query: `mutation { addTask(input: {scheduleId: "a-member-2-sched", expectedVersion: 1, task: {title: "Walk", startTime: "09:00", durationMinutes: 25}}) { ` + scheduleFields + ` } }`,
			check: func(t *testing.T, e *env, r gqlResponse) {
				s := decodeData[struct{ AddTask scheduleOut }](t, r).AddTask
				if s.Version != 2 {
					t.Errorf("addTask: version %d, want 2", s.Version)
				}
				checkTasks(t, "addTask", s.Tasks, "Breakfast", "Get up", "Walk")
				if n := len(s.Tasks); n == 3 && (s.Tasks[2].ID == "" || s.Tasks[2].StartTime != "09:00" || s.Tasks[2].DurationMinutes != 25) {
					t.Errorf("added task = %+v", s.Tasks[2])
				}
				if got := storedSchedule(t, e, member2Sched); !reflect.DeepEqual(got, s) {
					t.Errorf("stored schedule = %+v, want %+v", got, s)
				}
			},
		},
		{
			name: "updateTask", as: "a-caregiver",
			query: `mutation { updateTask(input: {scheduleId: "a-member-2-sched", taskId: "a-member-2-task-1", expectedVersion: 1, title: "Rise", startTime: "06:30"}) { ` + scheduleFields + ` } }`,
			check: func(t *testing.T, e *env, r gqlResponse) {
				s := decodeData[struct{ UpdateTask scheduleOut }](t, r).UpdateTask
				if s.Version != 2 {
					t.Errorf("updateTask: version %d, want 2", s.Version)
				}
				checkTasks(t, "updateTask", s.Tasks, "Breakfast", "Rise")
				if n := len(s.Tasks); n == 2 && (s.Tasks[1].ID != "a-member-2-task-1" || s.Tasks[1].StartTime != "06:30" || s.Tasks[1].DurationMinutes != 10) {
					t.Errorf("updated task = %+v", s.Tasks[1])
				}
				if got := storedSchedule(t, e, member2Sched); !reflect.DeepEqual(got, s) {
					t.Errorf("stored schedule = %+v, want %+v", got, s)
				}
			},
		},
		{
			name: "removeTask", as: "a-caregiver",
			query: `mutation { removeTask(scheduleId: "a-member-2-sched", taskId: "a-member-2-task-2", expectedVersion: 1) { ` + scheduleFields + ` } }`,
			check: func(t *testing.T, e *env, r gqlResponse) {
				s := decodeData[struct{ RemoveTask scheduleOut }](t, r).RemoveTask
				if s.Version != 2 {
					t.Errorf("removeTask: version %d, want 2", s.Version)
				}
				checkTasks(t, "removeTask", s.Tasks, "Get up")
				if got := storedSchedule(t, e, member2Sched); !reflect.DeepEqual(got, s) {
					t.Errorf("stored schedule = %+v, want %+v", got, s)
				}
			},
		},
		{
			name: "reorderTasks", as: "a-caregiver",
			query: `mutation { reorderTasks(scheduleId: "a-member-2-sched", taskIds: ["a-member-2-task-1", "a-member-2-task-2"], expectedVersion: 1) { ` + scheduleFields + ` } }`,
			check: func(t *testing.T, e *env, r gqlResponse) {
				s := decodeData[struct{ ReorderTasks scheduleOut }](t, r).ReorderTasks
				if s.Version != 2 {
					t.Errorf("reorderTasks: version %d, want 2", s.Version)
				}
				checkTasks(t, "reorderTasks", s.Tasks, "Get up", "Breakfast")
				if got := storedSchedule(t, e, member2Sched); !reflect.DeepEqual(got, s) {
					t.Errorf("stored schedule = %+v, want %+v", got, s)
				}
			},
		},
		{
			name: "completeTask", as: "a-member-1",
			query: `mutation { completeTask(taskId: "a-member-1-task-2", date: "2026-03-30") { taskId ownerId date completed completedAt } }`,
			check: func(t *testing.T, e *env, r gqlResponse) {
				c := decodeData[struct{ CompleteTask completionOut }](t, r).CompleteTask
				if c.TaskID != "a-member-1-task-2" || c.OwnerID != "a-member-1" || c.Date != testDay || !c.Completed || c.CompletedAt == nil {
					t.Errorf("completeTask = %+v", c)
				}
				if done := agendaDone(t, e, "a-member-1"); !done["Get up"] || !done["Breakfast"] {
					t.Errorf("agenda after completeTask: completed %v, want both", done)
				}
			},
		},
		{
			name: "uncompleteTask", as: "a-member-1",
			query: `mutation { uncompleteTask(taskId: "a-member-1-task-1", date: "2026-03-30") { taskId ownerId date completed completedAt } }`,
			check: func(t *testing.T, e *env, r gqlResponse) {
				c := decodeData[struct{ UncompleteTask completionOut }](t, r).UncompleteTask
				if c.TaskID != "a-member-1-task-1" || c.OwnerID != "a-member-1" || c.Date != testDay || c.Completed || c.CompletedAt != nil {
					t.Errorf("uncompleteTask = %+v", c)
				}
				if done := agendaDone(t, e, "a-member-1"); done["Get up"] || done["Breakfast"] {
					t.Errorf("agenda after uncompleteTask: completed %v, want neither", done)
				}
			},
		},
	}
	forEachStore(t, func(t *testing.T, open opener) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e := newEnv(t, open)
				r := e.as(tc.as, tc.query, tc.vars)
				if r.Status != 200 || len(r.Errors) > 0 {
					t.Fatalf("status %d: %s", r.Status, r.Raw)
				}
				tc.check(t, e, r)
			})
		}
	})
}

// TestStaleVersionChangesNothing: every versioned mutation with a stale
// expectedVersion is a Conflict with null data, and what it aimed at
// reads back as before.
func TestStaleVersionChangesNothing(t *testing.T) {
	cases := []struct{ name, field, query string }{
		{"updateUser", "updateUser", `mutation { updateUser(input: {id: "a-member-2", expectedVersion: 7, name: "Stale"}) { id } }`},
		{"removeUser", "removeUser", `mutation { removeUser(id: "a-member-2", expectedVersion: 7) { id } }`},
		{"updateSchedule", "updateSchedule", `mutation { updateSchedule(input: {id: "a-member-2-sched", expectedVersion: 7, title: "Stale"}) { id } }`},
		{"deleteSchedule", "deleteSchedule", `mutation { deleteSchedule(id: "a-member-2-sched", expectedVersion: 7) { id } }`},
		{"addTask", "addTask", `mutation { addTask(input: {scheduleId: "a-member-2-sched", expectedVersion: 7, task: {title: "Stale", startTime: "09:00", durationMinutes: 5}}) { id } }`},
		{"updateTask", "updateTask", `mutation { updateTask(input: {scheduleId: "a-member-2-sched", taskId: "a-member-2-task-1", expectedVersion: 7, title: "Stale"}) { id } }`},
		{"removeTask", "removeTask", `mutation { removeTask(scheduleId: "a-member-2-sched", taskId: "a-member-2-task-1", expectedVersion: 7) { id } }`},
		{"reorderTasks", "reorderTasks", `mutation { reorderTasks(scheduleId: "a-member-2-sched", taskIds: ["a-member-2-task-1", "a-member-2-task-2"], expectedVersion: 7) { id } }`},
	}
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open)
		userBefore, schedBefore := storedUser(t, e, "a-member-2"), storedSchedule(t, e, "a-member-2-sched")
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e := envForSubtest(e, t)
				r := e.as("a-admin", tc.query, nil)
				if r.hasData(tc.field) || len(r.Errors) != 1 || r.Errors[0].ErrorType != "Conflict" || r.Errors[0].Extensions.Code != "Conflict" {
					t.Errorf("want null and one Conflict error, got %s", r.Raw)
				}
				if got := storedUser(t, e, "a-member-2"); !reflect.DeepEqual(got, userBefore) {
					t.Errorf("user changed: %+v, was %+v", got, userBefore)
				}
				if got := storedSchedule(t, e, "a-member-2-sched"); !reflect.DeepEqual(got, schedBefore) {
					t.Errorf("schedule changed: %+v, was %+v", got, schedBefore)
				}
			})
		}
	})
}
