package e2e_test

import (
	"testing"

	"github.com/dayline/dayline/subscribe"
)

// scheduleEvent is what the tests' onScheduleChanged selections read.
type scheduleEvent struct {
	OnScheduleChanged *struct {
		ID      string
		OwnerID string
		Version int
		Title   string
		Owner   *struct{ Name string }
		Tasks   []struct{ Title string }
	}
}

const watchSubscription = `subscription Watch($owner: ID, $id: ID) {
  onScheduleChanged(ownerId: $owner, id: $id) { id ownerId version title owner { name } tasks { title } }
}`

// retitle changes schedule id (at version) as userID over HTTP.
func retitle(t *testing.T, e *env, userID, id string, version int, title string) {
	t.Helper()
	dataAs[map[string]any](t, e, userID, `mutation($id: ID!, $v: Int!, $title: String) {
  updateSchedule(input: {id: $id, expectedVersion: $v, title: $title}) { id version }
}`, map[string]any{"id": id, "v": version, "title": title})
}

// TestSubscriptionGetsItsOwnSelection: a member's watch subscribes to its
// schedules and gets a caregiver's change, with the fields the watch
// selected (owner included, which the mutation did not select).
func TestSubscriptionGetsItsOwnSelection(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		var hub *subscribe.Hub
		e := newEnv(t, open, withSubscriptions(t, hubInto(&hub)))
		watch := connect(t, e, "a-member-1")
		watch.subscribe("1", watchSubscription, map[string]any{"owner": "a-member-1"})
		registered(t, hub, 1)
		retitle(t, e, "a-caregiver", "a-member-1-sched", 1, "New mornings")
		got, errs := nextPayload[scheduleEvent](watch, "1")
		if len(errs) > 0 || got.OnScheduleChanged == nil {
			t.Fatalf("event: %+v %+v", got, errs)
		}
		s := got.OnScheduleChanged
		if s.ID != "a-member-1-sched" || s.Version != 2 || s.Title != "New mornings" || s.Owner == nil || s.Owner.Name == "" || len(s.Tasks) != 2 {
			t.Errorf("event %+v, want version 2 titled New mornings with its owner and 2 tasks", *s)
		}
	})
}

// registered waits until the env's hub holds n subscriptions.
func registered(t *testing.T, hub *subscribe.Hub, n int) {
	t.Helper()
	if err := hub.WaitSubscriptions(t.Context(), n); err != nil {
		t.Fatal(err)
	}
}

// refusedStart subscribes query as userID and returns the error types of
// the refusal (the subscription must complete right after).
func refusedStart(t *testing.T, e *env, userID, query string, vars map[string]any) []string {
	t.Helper()
	c := connect(t, e, userID)
	c.subscribe("r", query, vars)
	got, errs := nextPayload[scheduleEvent](c, "r")
	if got.OnScheduleChanged != nil {
		t.Errorf("refused subscription delivered %+v", *got.OnScheduleChanged)
	}
	if m := c.read(); m.Type != "complete" || m.ID != "r" {
		t.Fatalf("after refusal: %+v, want complete", m)
	}
	var types []string
	for _, err := range errs {
		types = append(types, err.ErrorType)
	}
	return types
}

// TestSubscriptionRefusedAtStart: a subscription its caller may not make
// is refused when it starts, with the errorType the matching query gets.
func TestSubscriptionRefusedAtStart(t *testing.T) {
	cases := []struct {
		name, user, query string
		vars              map[string]any
		want              string
	}{
		{"member names another member", "a-member-1", watchSubscription, map[string]any{"owner": "a-member-2"}, "Unauthorized"},
		{"member names another member's schedule", "a-member-1", watchSubscription, map[string]any{"id": "a-member-2-sched"}, "Unauthorized"},
		{"other organisation's owner", "b-admin", watchSubscription, map[string]any{"owner": "a-member-1"}, "NotFound"},
		{"other organisation's schedule", "b-caregiver", watchSubscription, map[string]any{"id": "a-member-1-sched"}, "NotFound"},
		{"other organisation's completions", "b-admin", `subscription { onTaskCompleted(ownerId: "a-member-1") { taskId } }`, nil, "NotFound"},
		{"member names another member's completions", "a-member-2", `subscription { onTaskCompleted(ownerId: "a-member-1") { taskId } }`, nil, "Unauthorized"},
	}
	forEachStore(t, func(t *testing.T, open opener) {
		e := newEnv(t, open, withSubscriptions(t))
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				got := refusedStart(t, e, tc.user, tc.query, tc.vars)
				if len(got) != 1 || got[0] != tc.want {
					t.Errorf("errors %v, want [%s]", got, tc.want)
				}
			})
		}
	})
}

// TestSubscriptionAuthorizedPerSubscriber: every event is read for each
// subscriber under its own rules. Each subscriber sees a change it may
// not see happen first, then one it may: the first thing it gets must be
// the second.
func TestSubscriptionAuthorizedPerSubscriber(t *testing.T) {
	cases := []struct {
		name        string
		subscriber  string
		vars        map[string]any
		hidden      [2]string // changer, schedule the subscriber must not get
		visible     [2]string // changer, schedule it gets
		wantVisible string
	}{
		{"member without arguments gets only its own", "a-member-1", nil,
			[2]string{"a-caregiver", "a-member-2-sched"}, [2]string{"a-caregiver", "a-member-1-sched"}, "a-member-1-sched"},
		{"other organisation without arguments", "b-admin", nil,
			[2]string{"a-caregiver", "a-member-1-sched"}, [2]string{"b-caregiver", "b-member-1-sched"}, "b-member-1-sched"},
		{"other organisation with its own owner", "b-caregiver", map[string]any{"owner": "b-member-1"},
			[2]string{"a-admin", "a-member-1-sched"}, [2]string{"b-admin", "b-member-1-sched"}, "b-member-1-sched"},
		{"id filters", "a-caregiver", map[string]any{"id": "a-member-2-sched"},
			[2]string{"a-admin", "a-member-1-sched"}, [2]string{"a-admin", "a-member-2-sched"}, "a-member-2-sched"},
		{"ownerId filters", "a-admin", map[string]any{"owner": "a-member-1"},
			[2]string{"a-caregiver", "a-member-2-sched"}, [2]string{"a-caregiver", "a-member-1-sched"}, "a-member-1-sched"},
	}
	forEachStore(t, func(t *testing.T, open opener) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var hub *subscribe.Hub
				e := newEnv(t, open, withSubscriptions(t, hubInto(&hub)))
				c := connect(t, e, tc.subscriber)
				c.subscribe("s", watchSubscription, tc.vars)
				registered(t, hub, 1)
				retitle(t, e, tc.hidden[0], tc.hidden[1], 1, "Hidden")
				retitle(t, e, tc.visible[0], tc.visible[1], 1, "Visible")
				got, errs := nextPayload[scheduleEvent](c, "s")
				if len(errs) > 0 || got.OnScheduleChanged == nil {
					t.Fatalf("event: %+v %+v", got, errs)
				}
				if s := got.OnScheduleChanged; s.ID != tc.wantVisible || s.Title != "Visible" {
					t.Errorf("got %s %q, want %s %q", s.ID, s.Title, tc.wantVisible, "Visible")
				}
			})
		}
	})
}

// completionEvent is what onTaskCompleted selections read.
type completionEvent struct {
	OnTaskCompleted *struct {
		OwnerID, TaskID, Date string
		Completed             bool
		CompletedAt           *string
	}
}

const tickSubscription = `subscription($owner: ID) { onTaskCompleted(ownerId: $owner) { ownerId taskId date completed completedAt } }`

// tick completes (done) or uncompletes taskID on testDay as userID.
func tick(t *testing.T, e *env, userID, taskID string, done bool) {
	t.Helper()
	field := "completeTask"
	if !done {
		field = "uncompleteTask"
	}
	dataAs[map[string]any](t, e, userID, `mutation($t: ID!, $d: AWSDate!) { `+field+`(taskId: $t, date: $d) { taskId } }`,
		map[string]any{"t": taskID, "d": testDay})
}

// TestTaskCompletedSubscription: a member's dashboard gets its own ticks
// (made by a caregiver) and not another member's, with the state read
// afresh.
func TestTaskCompletedSubscription(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		var hub *subscribe.Hub
		e := newEnv(t, open, withSubscriptions(t, hubInto(&hub)))
		c := connect(t, e, "a-member-1")
		c.subscribe("t", tickSubscription, nil)
		registered(t, hub, 1)
		tick(t, e, "a-member-2", "a-member-2-task-2", true)
		tick(t, e, "a-caregiver", "a-member-1-task-2", true)
		tick(t, e, "a-member-1", "a-member-1-task-2", false)
		for _, want := range []bool{true, false} {
			got, errs := nextPayload[completionEvent](c, "t")
			if len(errs) > 0 || got.OnTaskCompleted == nil {
				t.Fatalf("event: %+v %+v", got, errs)
			}
			ev := got.OnTaskCompleted
			if ev.OwnerID != "a-member-1" || ev.TaskID != "a-member-1-task-2" || ev.Date != testDay || ev.Completed != want || (ev.CompletedAt != nil) != want {
				t.Errorf("event %+v, want a-member-1-task-2 completed=%v", *ev, want)
			}
		}
	})
}

// TestDeletedScheduleDelivered: deleteSchedule delivers the schedule as
// it was deleted, to those who may see it.
func TestDeletedScheduleDelivered(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		var hub *subscribe.Hub
		e := newEnv(t, open, withSubscriptions(t, hubInto(&hub)))
		watch := connect(t, e, "a-member-1")
		watch.subscribe("w", watchSubscription, map[string]any{"id": "a-member-1-sched"})
		other := connect(t, e, "a-member-2")
		other.subscribe("o", watchSubscription, nil)
		registered(t, hub, 2)
		dataAs[map[string]any](t, e, "a-caregiver", `mutation { deleteSchedule(id: "a-member-1-sched", expectedVersion: 1) { id } }`, nil)
		retitle(t, e, "a-caregiver", "a-member-2-sched", 1, "After the deletion")
		got, errs := nextPayload[scheduleEvent](watch, "w")
		if len(errs) > 0 || got.OnScheduleChanged == nil {
			t.Fatalf("deletion: %+v %+v", got, errs)
		}
		if s := got.OnScheduleChanged; s.ID != "a-member-1-sched" || s.Version != 1 || s.Title != "Mornings of a-member-1" || len(s.Tasks) != 2 {
			t.Errorf("deleted schedule delivered as %+v", *s)
		}
		// The other member never sees it: its first event is its own.
		if got, _ := nextPayload[scheduleEvent](other, "o"); got.OnScheduleChanged == nil || got.OnScheduleChanged.ID != "a-member-2-sched" {
			t.Errorf("other member got %+v first", got)
		}
	})
}
