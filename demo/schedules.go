package demo

import (
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

type taskSpec struct {
	title, icon string
	start       scalars.Time
	minutes     int
}

var weekdays = []domain.Weekday{domain.Monday, domain.Tuesday, domain.Wednesday, domain.Thursday, domain.Friday}

// schedulesFor returns a week of routines for one member: weekday mornings,
// weekend mornings, and every evening.
func schedulesFor(ownerID string, now time.Time, newID func() string) []domain.Schedule {
	routines := []struct {
		title string
		days  []domain.Weekday
		tasks []taskSpec
	}{
		{"Weekday morning", weekdays, []taskSpec{
			{"Get up", "sun", "07:00", 10},
			{"Shower and dress", "shirt", "07:15", 20},
			{"Breakfast and medication", "pill", "07:40", 20},
			{"Pack your bag", "bag", "08:05", 10},
			{"Bus to day centre", "bus", "08:20", 30},
		}},
		{"Weekend morning", []domain.Weekday{domain.Saturday, domain.Sunday}, []taskSpec{
			{"Get up", "sun", "08:30", 10},
			{"Breakfast and medication", "pill", "09:00", 30},
			{"Walk in the park", "tree", "10:00", 45},
		}},
		{"Evening", append(append([]domain.Weekday{}, weekdays...), domain.Saturday, domain.Sunday), []taskSpec{
			{"Dinner", "plate", "18:00", 45},
			{"Evening medication", "pill", "20:00", 5},
			{"Brush teeth", "tooth", "21:30", 5},
			{"Lights out", "moon", "22:00", 0},
		}},
	}
	var out []domain.Schedule
	for _, r := range routines {
		s := domain.Schedule{
			ID: newID(), OrganisationID: OrganisationID, OwnerID: ownerID, Title: r.title,
			Timezone: Timezone, Days: r.days, Active: true, CreatedAt: now,
		}
		for _, t := range r.tasks {
			icon := t.icon
			reminder := 5
			s.Tasks = append(s.Tasks, domain.Task{
				ID: newID(), Title: t.title, Icon: &icon, StartTime: t.start,
				DurationMinutes: t.minutes, ReminderMinutesBefore: &reminder,
			})
		}
		out = append(out, s.Changed(now))
	}
	return out
}
