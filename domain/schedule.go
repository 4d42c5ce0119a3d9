package domain

import (
	"strings"
	"sync"
	"time"

	"github.com/dayline/dayline/scalars"
)

// Size limits. MaxTasksPerSchedule keeps one schedule and its task
// references inside a single DynamoDB transaction; with the text limits a
// schedule item stays far below DynamoDB's 400 KB item limit.
const (
	MaxTasksPerSchedule = 50
	MaxTaskNotesBytes   = 2000
	MaxTaskIconBytes    = 64
	// MaxSchedulesPerOwner bounds a user's schedules.
	MaxSchedulesPerOwner = 20
)

// Weekday is a day of the week, as the GraphQL enum Weekday.
type Weekday string

// Weekdays, in GraphQL enum form.
const (
	Monday    Weekday = "MON"
	Tuesday   Weekday = "TUE"
	Wednesday Weekday = "WED"
	Thursday  Weekday = "THU"
	Friday    Weekday = "FRI"
	Saturday  Weekday = "SAT"
	Sunday    Weekday = "SUN"
)

var weekdayOf = map[time.Weekday]Weekday{
	time.Monday: Monday, time.Tuesday: Tuesday, time.Wednesday: Wednesday,
	time.Thursday: Thursday, time.Friday: Friday, time.Saturday: Saturday, time.Sunday: Sunday,
}

// WeekdayOf returns the Weekday of a Go weekday.
func WeekdayOf(d time.Weekday) Weekday { return weekdayOf[d] }

// Schedule is a routine owned by one member: the aggregate. Every change to it
// or its tasks bumps Version.
type Schedule struct {
	ID             string        `json:"id"`
	OrganisationID string        `json:"organisationId"`
	OwnerID        string        `json:"ownerId"`
	Title          string        `json:"title"`
	Timezone       string        `json:"timezone"`
	Days           []Weekday     `json:"days"`
	Date           *scalars.Date `json:"date"`
	Active         bool          `json:"active"`
	Tasks          []Task        `json:"tasks"`
	Version        int           `json:"version"`
	CreatedAt      time.Time     `json:"createdAt"`
	UpdatedAt      time.Time     `json:"updatedAt"`
}

// Task is a step in a schedule.
type Task struct {
	ID                    string       `json:"id"`
	ScheduleID            string       `json:"scheduleId"`
	Title                 string       `json:"title"`
	Notes                 *string      `json:"notes"`
	Icon                  *string      `json:"icon"`
	StartTime             scalars.Time `json:"startTime"`
	DurationMinutes       int          `json:"durationMinutes"`
	ReminderMinutesBefore *int         `json:"reminderMinutesBefore"`
	Position              int          `json:"position"`
}

// TaskRef locates a task: which schedule, owner and organisation it belongs to.
type TaskRef struct {
	TaskID         string `json:"taskId"`
	ScheduleID     string `json:"scheduleId"`
	OwnerID        string `json:"ownerId"`
	OrganisationID string `json:"organisationId"`
}

// Location returns the schedule's IANA timezone, or a BadRequest error.
func (s Schedule) Location() (*time.Location, error) {
	if s.Timezone == "" || s.Timezone == "Local" {
		return nil, BadRequest("timezone %q is not an IANA timezone name", s.Timezone)
	}
	if loc, ok := locations.Load(s.Timezone); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		return nil, BadRequest("timezone %q is not an IANA timezone name", s.Timezone)
	}
	locations.Store(s.Timezone, loc)
	return loc, nil
}

// locations memoizes time.LoadLocation, which reads the zoneinfo file on
// every call. Zone data is immutable for the life of the process and the
// set of names is bounded by the IANA database (unknown names are not
// stored), so this cache needs no eviction.
var locations sync.Map

// AppliesOn reports whether the schedule's tasks occur on date: the schedule
// is active and either names that one date or that date's weekday.
func (s Schedule) AppliesOn(date scalars.Date) bool {
	if !s.Active {
		return false
	}
	if s.Date != nil {
		return s.Date.Day() == date.Day()
	}
	y, m, d := date.Civil()
	wd := WeekdayOf(time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Weekday())
	for _, day := range s.Days {
		if day == wd {
			return true
		}
	}
	return false
}

// Validate returns a BadRequest error if the schedule breaks a rule: a title,
// an IANA timezone, either weekdays or one date (not both, not neither), at
// most MaxTasksPerSchedule valid tasks.
func (s Schedule) Validate() error {
	if strings.TrimSpace(s.Title) == "" {
		return BadRequest("schedule title must not be empty")
	}
	if len(s.Title) > 200 {
		return BadRequest("schedule title must be at most 200 characters")
	}
	if _, err := s.Location(); err != nil {
		return err
	}
	if s.Date != nil {
		if _, err := scalars.ParseDate(string(*s.Date)); err != nil {
			return BadRequest("schedule date: %v", err)
		}
	}
	if s.Date != nil && len(s.Days) > 0 {
		return BadRequest("a schedule applies either on weekdays or on one date, not both")
	}
	if s.Date == nil && len(s.Days) == 0 {
		return BadRequest("a schedule needs weekdays or a date")
	}
	if len(s.Tasks) > MaxTasksPerSchedule {
		return BadRequest("a schedule holds at most %d tasks", MaxTasksPerSchedule)
	}
	for _, t := range s.Tasks {
		if err := t.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Validate returns a BadRequest error if the task breaks a rule.
func (t Task) Validate() error {
	if _, err := scalars.ParseTime(string(t.StartTime)); err != nil {
		return BadRequest("task startTime: %v", err)
	}
	switch {
	case strings.TrimSpace(t.Title) == "":
		return BadRequest("task title must not be empty")
	case len(t.Title) > 200:
		return BadRequest("task title must be at most 200 characters")
	case t.Notes != nil && len(*t.Notes) > MaxTaskNotesBytes:
		return BadRequest("task notes must be at most %d bytes", MaxTaskNotesBytes)
	case t.Icon != nil && len(*t.Icon) > MaxTaskIconBytes:
		return BadRequest("task icon must be at most %d bytes", MaxTaskIconBytes)
	case t.DurationMinutes < 0 || t.DurationMinutes > 24*60:
		return BadRequest("task durationMinutes must be between 0 and 1440")
	case t.ReminderMinutesBefore != nil && (*t.ReminderMinutesBefore < 0 || *t.ReminderMinutesBefore > 24*60):
		return BadRequest("task reminderMinutesBefore must be between 0 and 1440")
	}
	return nil
}
