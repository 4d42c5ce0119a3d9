package app_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/dayline/dayline/app"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

func TestSchedulesCreate(t *testing.T) {
	valid := app.NewSchedule{
		OwnerID: "ann", Title: "Evening", Timezone: "Europe/Amsterdam", Days: []domain.Weekday{domain.Friday},
		Tasks: []app.NewTask{{Title: "Dinner", StartTime: "18:00", DurationMinutes: 45}, {Title: "Bed", StartTime: "22:00"}},
	}
	with := func(change func(*app.NewSchedule)) app.NewSchedule {
		in := valid
		change(&in)
		return in
	}
	tests := []struct {
		name string
		by   func(*fixture) app.Actor
		in   app.NewSchedule
		code domain.Code
	}{
		{"admin plans for a member", byAdmin, valid, ""},
		{"caregiver plans for a member", byCaregiver, valid, ""},
		{"admin plans for the caregiver", byAdmin, with(func(in *app.NewSchedule) { in.OwnerID = "carla" }), ""},
		{"caregiver may not plan for the admin", byCaregiver, with(func(in *app.NewSchedule) { in.OwnerID = "admin" }), domain.CodeUnauthorized},
		{"member may not plan, even its own", byAnn, valid, domain.CodeUnauthorized},
		{"other organisation's admin", byStranger, valid, domain.CodeNotFound},
		{"missing owner", byAdmin, with(func(in *app.NewSchedule) { in.OwnerID = "nobody" }), domain.CodeNotFound},
		{"unknown timezone", byAdmin, with(func(in *app.NewSchedule) { in.Timezone = "Mars/Olympus" }), domain.CodeBadRequest},
		{"days and a date", byAdmin, with(func(in *app.NewSchedule) { in.Date = ptr(scalars.Date("2026-04-03")) }), domain.CodeBadRequest},
		{"inactive", byAdmin, with(func(in *app.NewSchedule) { in.Active = ptr(false) }), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			at := f.later(time.Hour)
			s, err := f.svc.Schedules.Create(t.Context(), f.loaders(), tc.by(f), tc.in)
			wantCode(t, err, tc.code)
			if err != nil {
				return
			}
			stored := f.schedule(t, s.ID)
			for _, got := range []domain.Schedule{s, stored} {
				if got.Version != 1 || !got.CreatedAt.Equal(at) || !got.UpdatedAt.Equal(at) {
					t.Errorf("version %d created %v updated %v, want version 1 created and updated %v", got.Version, got.CreatedAt, got.UpdatedAt, at)
				}
				if got.OwnerID != tc.in.OwnerID || got.OrganisationID != f.org.ID || got.Active != (tc.in.Active == nil) {
					t.Errorf("owner %s of %s active %v, want %s of %s active %v", got.OwnerID, got.OrganisationID, got.Active, tc.in.OwnerID, f.org.ID, tc.in.Active == nil)
				}
				if titles := taskTitles(got.Tasks); !slices.Equal(titles, []string{"Dinner", "Bed"}) {
					t.Errorf("tasks %v, want [Dinner Bed]", titles)
				}
				for i, task := range got.Tasks {
					if task.Position != i || task.ScheduleID != s.ID || task.ID == "" || task.ID == s.ID {
						t.Errorf("task %d: position %d of %s id %q, want position %d of %s with an id of its own", i, task.Position, task.ScheduleID, task.ID, i, s.ID)
					}
				}
			}
		})
	}
}

// scheduleChange is a change to a schedule created by fixture.routine
// (tasks "Breakfast" at 09:00 and "Wake up" at 07:30, version 1).
type scheduleChange func(ctx context.Context, f *fixture, by app.Actor, s domain.Schedule, expected int) (domain.Schedule, error)

func TestSchedulesChange(t *testing.T) {
	update := func(c app.ScheduleChanges) scheduleChange {
		return func(ctx context.Context, f *fixture, by app.Actor, s domain.Schedule, expected int) (domain.Schedule, error) {
			return f.svc.Schedules.Update(ctx, f.loaders(), by, s.ID, expected, c)
		}
	}
	addTask := func(title string, position *int) scheduleChange {
		return func(ctx context.Context, f *fixture, by app.Actor, s domain.Schedule, expected int) (domain.Schedule, error) {
			return f.svc.Schedules.AddTask(ctx, f.loaders(), by, s.ID, expected, app.NewTask{Title: title, StartTime: "12:00", DurationMinutes: 5}, position)
		}
	}
	updateTask := func(task int, c app.TaskChanges) scheduleChange {
		return func(ctx context.Context, f *fixture, by app.Actor, s domain.Schedule, expected int) (domain.Schedule, error) {
			return f.svc.Schedules.UpdateTask(ctx, f.loaders(), by, s.ID, s.Tasks[task].ID, expected, c)
		}
	}
	removeTask := func(taskID func(domain.Schedule) string) scheduleChange {
		return func(ctx context.Context, f *fixture, by app.Actor, s domain.Schedule, expected int) (domain.Schedule, error) {
			return f.svc.Schedules.RemoveTask(ctx, f.loaders(), by, s.ID, taskID(s), expected)
		}
	}
	reorder := func(order ...int) scheduleChange {
		return func(ctx context.Context, f *fixture, by app.Actor, s domain.Schedule, expected int) (domain.Schedule, error) {
			ids := make([]string, len(order))
			for i, o := range order {
				ids[i] = s.Tasks[o].ID
			}
			return f.svc.Schedules.ReorderTasks(ctx, f.loaders(), by, s.ID, ids, expected)
		}
	}
	first := func(s domain.Schedule) string { return s.Tasks[0].ID }
	tests := []struct {
		name      string
		by        func(*fixture) app.Actor
		expected  int
		change    scheduleChange
		wantTitle string
		wantTasks []string
		code      domain.Code
	}{
		{"rename", byAdmin, 1, update(app.ScheduleChanges{Title: ptr("Early")}), "Early", []string{"Breakfast", "Wake up"}, ""},
		{"caregiver renames a member's", byCaregiver, 1, update(app.ScheduleChanges{Title: ptr("Early")}), "Early", []string{"Breakfast", "Wake up"}, ""},
		{"one date instead of days", byAdmin, 1, update(app.ScheduleChanges{Date: ptr(scalars.Date("2026-04-01"))}), "Morning", []string{"Breakfast", "Wake up"}, ""},
		{"days and a date", byAdmin, 1, update(app.ScheduleChanges{Days: []domain.Weekday{domain.Monday}, Date: ptr(scalars.Date("2026-04-01"))}), "", nil, domain.CodeBadRequest},
		{"blank title", byAdmin, 1, update(app.ScheduleChanges{Title: ptr("")}), "", nil, domain.CodeBadRequest},
		{"stale version", byAdmin, 2, update(app.ScheduleChanges{Title: ptr("Early")}), "", nil, domain.CodeConflict},
		{"member may not change its own", byAnn, 1, update(app.ScheduleChanges{Title: ptr("Early")}), "", nil, domain.CodeUnauthorized},
		{"other organisation's admin", byStranger, 1, update(app.ScheduleChanges{Title: ptr("Early")}), "", nil, domain.CodeNotFound},
		{"add a task first", byAdmin, 1, addTask("Lunch", ptr(0)), "Morning", []string{"Lunch", "Breakfast", "Wake up"}, ""},
		{"append a task", byAdmin, 1, addTask("Lunch", nil), "Morning", []string{"Breakfast", "Wake up", "Lunch"}, ""},
		{"negative position", byAdmin, 1, addTask("Lunch", ptr(-1)), "", nil, domain.CodeBadRequest},
		{"update a task", byAdmin, 1, updateTask(1, app.TaskChanges{Title: ptr("Rise")}), "Morning", []string{"Breakfast", "Rise"}, ""},
		{"remove a task", byAdmin, 1, removeTask(first), "Morning", []string{"Wake up"}, ""},
		{"remove a missing task", byAdmin, 1, removeTask(func(domain.Schedule) string { return "nope" }), "", nil, domain.CodeNotFound},
		{"reorder", byAdmin, 1, reorder(1, 0), "Morning", []string{"Wake up", "Breakfast"}, ""},
		{"reorder naming a task twice", byAdmin, 1, reorder(0, 0), "", nil, domain.CodeBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			s := f.routine(t, "ann")
			at := f.later(time.Hour)
			got, err := tc.change(t.Context(), f, tc.by(f), s, tc.expected)
			wantCode(t, err, tc.code)
			stored := f.schedule(t, s.ID)
			if err != nil {
				if stored.Version != 1 || !slices.Equal(taskTitles(stored.Tasks), taskTitles(s.Tasks)) {
					t.Errorf("a refused change was stored: version %d tasks %v", stored.Version, taskTitles(stored.Tasks))
				}
				return
			}
			for _, sc := range []domain.Schedule{got, stored} {
				if sc.Version != 2 || !sc.UpdatedAt.Equal(at) || !sc.CreatedAt.Equal(s.CreatedAt) {
					t.Errorf("version %d updated %v created %v, want 2, %v, %v", sc.Version, sc.UpdatedAt, sc.CreatedAt, at, s.CreatedAt)
				}
				if sc.Title != tc.wantTitle || !slices.Equal(taskTitles(sc.Tasks), tc.wantTasks) {
					t.Errorf("title %q tasks %v, want %q %v", sc.Title, taskTitles(sc.Tasks), tc.wantTitle, tc.wantTasks)
				}
				for i, task := range sc.Tasks {
					if task.Position != i {
						t.Errorf("task %s at position %d, want %d", task.Title, task.Position, i)
					}
				}
			}
		})
	}
}

func TestSchedulesDelete(t *testing.T) {
	tests := []struct {
		name     string
		by       func(*fixture) app.Actor
		expected int
		code     domain.Code
	}{
		{"admin deletes", byAdmin, 1, ""},
		{"stale version", byAdmin, 3, domain.CodeConflict},
		{"member may not", byAnn, 1, domain.CodeUnauthorized},
		{"other organisation's admin", byStranger, 1, domain.CodeNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			s := f.routine(t, "ann")
			deleted, err := f.svc.Schedules.Delete(t.Context(), f.loaders(), tc.by(f), s.ID, tc.expected)
			wantCode(t, err, tc.code)
			_, readErr := f.loaders().Schedules().Load(t.Context(), s.ID)
			if err != nil {
				wantCode(t, readErr, "")
				return
			}
			if deleted.ID != s.ID || deleted.Version != 1 {
				t.Errorf("deleted %s version %d, want %s version 1", deleted.ID, deleted.Version, s.ID)
			}
			wantCode(t, readErr, domain.CodeNotFound)
		})
	}
}

func TestSchedulesRead(t *testing.T) {
	f := newFixture(t)
	anns := []domain.Schedule{f.routine(t, "ann"), f.routine(t, "ann")}
	tests := []struct {
		name  string
		by    func(*fixture) app.Actor
		owner string
		code  domain.Code
	}{
		{"member reads its own", byAnn, "ann", ""},
		{"caregiver reads a member's", byCaregiver, "ann", ""},
		{"member may not read another's", byBob, "ann", domain.CodeUnauthorized},
		{"other organisation's admin", byStranger, "ann", domain.CodeNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := f.svc.Schedules.Get(t.Context(), f.loaders(), tc.by(f), anns[0].ID)
			wantCode(t, err, tc.code)
			if err == nil && s.ID != anns[0].ID {
				t.Errorf("got schedule %s, want %s", s.ID, anns[0].ID)
			}
			p, err := f.svc.Schedules.List(t.Context(), f.loaders(), tc.by(f), tc.owner, app.PageArgs{Limit: ptr(1)})
			wantCode(t, err, tc.code)
			if err == nil && (len(p.Items) != 1 || p.Items[0].ID != anns[0].ID || p.NextToken == nil) {
				t.Errorf("first page %v (next %v), want [%s] and a next page", p.Items, p.NextToken, anns[0].ID)
			}
			lists, errs := f.svc.Schedules.OfOwners(t.Context(), f.loaders(), tc.by(f), []*domain.User{&f.ann.User})
			wantCode(t, errs[0], tc.code)
			if errs[0] == nil && len(lists[0]) != 2 {
				t.Errorf("%d schedules of ann, want 2", len(lists[0]))
			}
		})
	}
	t.Run("bad limit", func(t *testing.T) {
		_, err := f.svc.Schedules.List(t.Context(), f.loaders(), f.admin, "ann", app.PageArgs{Limit: ptr(domain.MaxPageLimit + 1)})
		wantCode(t, err, domain.CodeBadRequest)
	})
	t.Run("no schedules is an empty list", func(t *testing.T) {
		lists, errs := f.svc.Schedules.OfOwners(t.Context(), f.loaders(), f.admin, []*domain.User{&f.bob.User})
		wantCode(t, errs[0], "")
		if lists[0] == nil || len(lists[0]) != 0 {
			t.Errorf("bob's schedules %v, want an empty, non-nil list", lists[0])
		}
	})
}
