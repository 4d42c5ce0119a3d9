package domain_test

import (
	"testing"
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

func schedule(id string, days []domain.Weekday, tasks ...domain.Task) domain.Schedule {
	return domain.Schedule{ID: id, Title: id, Timezone: "Europe/Amsterdam", Days: days, Active: true, Tasks: tasks}
}

func task(id string, start scalars.Time, minutes int) domain.Task {
	return domain.Task{ID: id, Title: id, StartTime: start, DurationMinutes: minutes}
}

var everyDay = []domain.Weekday{domain.Monday, domain.Tuesday, domain.Wednesday, domain.Thursday, domain.Friday, domain.Saturday, domain.Sunday}

func TestBuildAgendaAcrossDaylightSaving(t *testing.T) {
	s := schedule("s", everyDay,
		task("late", "03:30", 30), task("early", "01:30", 60), task("gap", "02:30", 10))
	tests := []struct {
		name string
		date scalars.Date
		want map[string]string // task id -> startsAt
	}{
		{"winter day", "2026-03-28", map[string]string{
			"early": "2026-03-28T01:30:00+01:00", "gap": "2026-03-28T02:30:00+01:00", "late": "2026-03-28T03:30:00+01:00"}},
		{"spring forward: 02:00 becomes 03:00", "2026-03-29", map[string]string{
			"early": "2026-03-29T01:30:00+01:00", "gap": "2026-03-29T03:30:00+02:00", "late": "2026-03-29T03:30:00+02:00"}},
		{"summer day", "2026-03-30", map[string]string{
			"early": "2026-03-30T01:30:00+02:00", "gap": "2026-03-30T02:30:00+02:00", "late": "2026-03-30T03:30:00+02:00"}},
		{"fall back: 02:30 happens twice", "2026-10-25", map[string]string{
			"early": "2026-10-25T01:30:00+02:00", "gap": "2026-10-25T02:30:00+01:00", "late": "2026-10-25T03:30:00+01:00"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items, err := domain.BuildAgenda([]domain.Schedule{s}, nil, tc.date)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != 3 {
				t.Fatalf("want 3 items, got %d", len(items))
			}
			for i, it := range items {
				if got := it.StartsAt.Format(time.RFC3339); got != tc.want[it.Task.ID] {
					t.Errorf("%s starts %s, want %s", it.Task.ID, got, tc.want[it.Task.ID])
				}
				if i > 0 && it.StartsAt.Before(items[i-1].StartsAt) {
					t.Errorf("items out of time order at %d", i)
				}
			}
		})
	}
	// On the spring-forward day 01:30 to 03:30 local is one real hour.
	items, _ := domain.BuildAgenda([]domain.Schedule{s}, nil, "2026-03-29")
	if d := items[2].StartsAt.Sub(items[0].StartsAt); d != time.Hour {
		t.Errorf("01:30 to 03:30 on 2026-03-29 lasts %s, want 1h", d)
	}
}

func TestBuildAgendaSelectsAndMarks(t *testing.T) {
	oneDate := scalars.Date("2026-03-31")
	weekdays := schedule("weekdays", []domain.Weekday{domain.Monday, domain.Tuesday}, task("w1", "09:00", 10), task("w2", "07:00", 10))
	weekend := schedule("weekend", []domain.Weekday{domain.Saturday}, task("sat", "08:00", 10))
	dated := schedule("dated", nil, task("d1", "08:00", 10))
	dated.Date = &oneDate
	inactive := schedule("off", everyDay, task("off1", "06:00", 10))
	inactive.Active = false
	at := time.Date(2026, 3, 31, 7, 1, 0, 0, time.UTC)
	done := []domain.Completion{{TaskID: "w2", Completed: true, CompletedAt: &at}}

	items, err := domain.BuildAgenda([]domain.Schedule{weekdays, weekend, dated, inactive}, done, "2026-03-31")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, it.Task.ID)
	}
	if want := []string{"w2", "d1", "w1"}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("agenda order %v, want %v", got, want)
	}
	if !items[0].Completed || items[0].CompletedAt == nil || items[1].Completed || items[2].Completed {
		t.Errorf("completion state wrong: %+v", items)
	}
	if items[0].EndsAt.Sub(items[0].StartsAt) != 10*time.Minute {
		t.Errorf("endsAt should be start + duration")
	}
	empty, err := domain.BuildAgenda(nil, nil, "2026-03-31")
	if err != nil || empty == nil || len(empty) != 0 {
		t.Errorf("no schedules: want an empty, non-nil agenda, got %v, %v", empty, err)
	}
}

func TestScheduleValidate(t *testing.T) {
	d := scalars.Date("2026-03-31")
	bad := scalars.Date("2026-02-30")
	tests := []struct {
		name   string
		mutate func(*domain.Schedule)
		ok     bool
	}{
		{"valid", func(*domain.Schedule) {}, true},
		{"empty title", func(s *domain.Schedule) { s.Title = " " }, false},
		{"unknown timezone", func(s *domain.Schedule) { s.Timezone = "Mars/Olympus" }, false},
		{"Local is not IANA", func(s *domain.Schedule) { s.Timezone = "Local" }, false},
		{"days and date", func(s *domain.Schedule) { s.Date = &d }, false},
		{"neither days nor date", func(s *domain.Schedule) { s.Days = nil }, false},
		{"invalid date", func(s *domain.Schedule) { s.Days, s.Date = nil, &bad }, false},
		{"bad start time", func(s *domain.Schedule) { s.Tasks[0].StartTime = "25:00" }, false},
		{"negative duration", func(s *domain.Schedule) { s.Tasks[0].DurationMinutes = -1 }, false},
		{"too many tasks", func(s *domain.Schedule) {
			for range domain.MaxTasksPerSchedule {
				s.Tasks = append(s.Tasks, task("x", "09:00", 1))
			}
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := schedule("s", []domain.Weekday{domain.Monday}, task("t", "09:00", 5))
			tc.mutate(&s)
			err := s.Validate()
			if (err == nil) != tc.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && domain.ErrorCode(err) != domain.CodeBadRequest {
				t.Errorf("want BadRequest, got %v", domain.ErrorCode(err))
			}
		})
	}
}

func TestReorderTasks(t *testing.T) {
	tasks := []domain.Task{task("a", "09:00", 1), task("b", "10:00", 1)}
	got, err := domain.ReorderTasks(tasks, []string{"b", "a"})
	if err != nil || got[0].ID != "b" || got[1].ID != "a" {
		t.Fatalf("reorder: %v %v", got, err)
	}
	for _, ids := range [][]string{{"a"}, {"a", "a"}, {"a", "c"}} {
		if _, err := domain.ReorderTasks(tasks, ids); domain.ErrorCode(err) != domain.CodeBadRequest {
			t.Errorf("ReorderTasks(%v): want BadRequest, got %v", ids, err)
		}
	}
}
