package app_test

import (
	"testing"
	"time"

	"github.com/dayline/dayline/app"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

// Days of the fixture's routine (Mondays and Tuesdays) and one it skips.
const (
	onMonday    scalars.Date = "2026-03-30"
	onWednesday scalars.Date = "2026-04-01"
)

func TestCompletionsComplete(t *testing.T) {
	tests := []struct {
		name string
		by   func(*fixture) app.Actor
		task func(domain.Schedule) string
		date scalars.Date
		code domain.Code
	}{
		{"member ticks its own", byAnn, firstTask, onMonday, ""},
		{"caregiver ticks for a member", byCaregiver, firstTask, onMonday, ""},
		{"member may not tick another's", byBob, firstTask, onMonday, domain.CodeUnauthorized},
		{"other organisation's admin", byStranger, firstTask, onMonday, domain.CodeNotFound},
		{"a day the task does not occur", byAnn, firstTask, onWednesday, domain.CodeBadRequest},
		{"missing task", byAnn, func(domain.Schedule) string { return "nope" }, onMonday, domain.CodeNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			s := f.routine(t, "ann")
			at := f.later(time.Hour)
			c, err := f.svc.Completions.Complete(t.Context(), f.loaders(), tc.by(f), tc.task(s), tc.date)
			wantCode(t, err, tc.code)
			if err != nil {
				return
			}
			if !c.Completed || c.CompletedAt == nil || !c.CompletedAt.Equal(at) || c.OwnerID != "ann" || c.ScheduleID != s.ID || c.Date != tc.date {
				t.Errorf("completion %+v, want ann's of %s on %s completed at %v", c, s.ID, tc.date, at)
			}
			again, err := f.svc.Completions.Complete(t.Context(), f.loaders(), tc.by(f), tc.task(s), tc.date)
			wantCode(t, err, "")
			f.later(time.Hour)
			if again.CompletedAt == nil || !again.CompletedAt.Equal(at) {
				t.Errorf("completing again: completedAt %v, want the first, %v", again.CompletedAt, at)
			}
		})
	}
}

func TestCompletionsUncomplete(t *testing.T) {
	tests := []struct {
		name       string
		tick       bool // ticked on Monday first
		deactivate bool // then the schedule deactivated
		by         func(*fixture) app.Actor
		code       domain.Code
	}{
		{"untick a tick", true, false, byAnn, ""},
		{"untick what was never ticked", false, false, byAnn, ""},
		{"untick a tick of a schedule deactivated since", true, true, byAnn, ""},
		{"nothing to untick on a day the task no longer occurs", false, true, byAnn, domain.CodeBadRequest},
		{"member may not untick another's", true, false, byBob, domain.CodeUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			s := f.routine(t, "ann")
			task := firstTask(s)
			if tc.tick {
				if _, err := f.svc.Completions.Complete(t.Context(), f.loaders(), f.ann, task, onMonday); err != nil {
					t.Fatalf("complete: %v", err)
				}
			}
			if tc.deactivate {
				if _, err := f.svc.Schedules.Update(t.Context(), f.loaders(), f.admin, s.ID, 1, app.ScheduleChanges{Active: ptr(false)}); err != nil {
					t.Fatalf("deactivate: %v", err)
				}
			}
			c, err := f.svc.Completions.Uncomplete(t.Context(), f.loaders(), tc.by(f), task, onMonday)
			wantCode(t, err, tc.code)
			day := f.day(t, "ann", onMonday)
			if err != nil {
				if tc.tick && len(day.Completions) != 1 {
					t.Errorf("a refused untick removed the completion")
				}
				return
			}
			if c.Completed || c.CompletedAt != nil || c.TaskID != task || c.Date != onMonday {
				t.Errorf("answer %+v, want the uncompleted key of %s on %s", c, task, onMonday)
			}
			if len(day.Completions) != 0 {
				t.Errorf("%d completions left, want none", len(day.Completions))
			}
		})
	}
}

func firstTask(s domain.Schedule) string { return s.Tasks[0].ID }
