package domain

import (
	"strings"
	"time"

	"github.com/dayline/dayline/scalars"
)

// CheckTaskOccurs returns nil if task taskID of s occurs on date (it is one
// of s's tasks, and s applies on date: see AppliesOn), else a BadRequest
// error saying why not: a task can only be ticked on a day it is on the
// agenda. It returns NotFound if s has no task taskID.
func (s Schedule) CheckTaskOccurs(taskID string, date scalars.Date) error {
	if _, err := s.TaskIndex(taskID); err != nil {
		return err
	}
	if s.AppliesOn(date) {
		return nil
	}
	day := date.Day()
	switch {
	case !s.Active:
		return BadRequest("task %s does not occur on %s: its schedule is not active", taskID, day)
	case s.Date != nil:
		return BadRequest("task %s does not occur on %s: its schedule applies only on %s", taskID, day, s.Date.Day())
	}
	days := make([]string, len(s.Days))
	for i, d := range s.Days {
		days[i] = string(d)
	}
	return BadRequest("task %s does not occur on %s, a %s: its schedule applies on %s only", taskID, day, weekdayOn(date), strings.Join(days, ", "))
}

// weekdayOn returns the weekday of date (its offset, if any, ignored).
func weekdayOn(date scalars.Date) Weekday {
	y, m, d := date.Civil()
	return WeekdayOf(time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Weekday())
}
