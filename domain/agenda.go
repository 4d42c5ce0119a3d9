package domain

import (
	"cmp"
	"slices"
	"time"

	"github.com/dayline/dayline/scalars"
)

// Completion records that a member ticked a task on a date. Completed is
// false for the answer to an uncompletion.
type Completion struct {
	OwnerID        string       `json:"ownerId"`
	OrganisationID string       `json:"organisationId"`
	ScheduleID     string       `json:"scheduleId"`
	TaskID         string       `json:"taskId"`
	Date           scalars.Date `json:"date"`
	Completed      bool         `json:"completed"`
	CompletedAt    *time.Time   `json:"completedAt"`
}

// OwnerDate names one member's day: the key of their completions.
type OwnerDate struct {
	OwnerID string
	Day     string // YYYY-MM-DD
}

// AgendaItem is one occurrence of a task on a date, with its completion state.
type AgendaItem struct {
	Task          Task         `json:"task"`
	ScheduleID    string       `json:"scheduleId"`
	ScheduleTitle string       `json:"scheduleTitle"`
	Date          scalars.Date `json:"date"`
	StartsAt      time.Time    `json:"startsAt"`
	EndsAt        time.Time    `json:"endsAt"`
	Completed     bool         `json:"completed"`
	CompletedAt   *time.Time   `json:"completedAt"`
}

// BuildAgenda returns the occurrences on date of the tasks of those schedules
// that apply on it, in time order (ties keep schedule and task order), each
// marked completed when completions holds its task. Start times are computed
// in each schedule's IANA timezone, so daylight-saving changes are honoured:
// a local time skipped by a spring-forward gap moves forward by the gap, and
// an autumn local time that occurs twice resolves to its second occurrence
// (what time.Date does; agenda_test.go pins it).
// A schedule with an unknown timezone yields a BadRequest error.
func BuildAgenda(schedules []Schedule, completions []Completion, date scalars.Date) ([]AgendaItem, error) {
	done := make(map[string]Completion, len(completions))
	for _, c := range completions {
		done[c.TaskID] = c
	}
	y, m, d := date.Civil()
	items := []AgendaItem{}
	for _, s := range schedules {
		if !s.AppliesOn(date) {
			continue
		}
		loc, err := s.Location()
		if err != nil {
			return nil, err
		}
		for _, t := range s.Tasks {
			hh, mm, ss, ns := t.StartTime.Clock()
			start := time.Date(y, m, d, hh, mm, ss, ns, loc)
			item := AgendaItem{
				Task:          t,
				ScheduleID:    s.ID,
				ScheduleTitle: s.Title,
				Date:          date,
				StartsAt:      start,
				EndsAt:        start.Add(time.Duration(t.DurationMinutes) * time.Minute),
			}
			if c, ok := done[t.ID]; ok {
				item.Completed = true
				item.CompletedAt = c.CompletedAt
			}
			items = append(items, item)
		}
	}
	slices.SortStableFunc(items, func(a, b AgendaItem) int { return a.StartsAt.Compare(b.StartsAt) })
	return items, nil
}

// SortSchedules orders schedules by id (ids are time-ordered ULIDs).
func SortSchedules(s []Schedule) {
	slices.SortFunc(s, func(a, b Schedule) int { return cmp.Compare(a.ID, b.ID) })
}
