package domain

import (
	"sync"
	"time"

	"github.com/dayline/dayline/scalars"
)

// Size limits. MaxTasksPerSchedule keeps one schedule and its task
// references inside a single DynamoDB transaction; with the text limits a
// schedule item stays far below DynamoDB's 400 KB item limit.
// MaxSchedulesPerOwner bounds the unpaged lists of a user's schedules (and
// so an agenda); the stores enforce it when a schedule is created
// (TooManySchedules). The other text limits are in text.go.
const (
	MaxTasksPerSchedule  = 50
	MaxTaskNotesBytes    = 2000
	MaxTaskIconBytes     = 64
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
	wd := weekdayOn(date)
	for _, day := range s.Days {
		if day == wd {
			return true
		}
	}
	return false
}

// Validate returns a BadRequest error if the schedule breaks a rule: an id, a
// title and an IANA timezone that pass CheckText within their limits,
// either weekdays (each at most once) or one date (not both, not neither),
// at most MaxTasksPerSchedule valid tasks.
func (s Schedule) Validate() error {
	if err := CheckID("schedule id", s.ID); err != nil {
		return err
	}
	if err := CheckRequiredText("schedule title", s.Title, MaxTitleBytes, SingleLine); err != nil {
		return err
	}
	if err := CheckRequiredText("schedule timezone", s.Timezone, MaxTimezoneBytes, SingleLine); err != nil {
		return err
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
	seen := make(map[Weekday]bool, len(s.Days))
	for _, d := range s.Days {
		if seen[d] {
			return BadRequest("schedule days must name each weekday at most once")
		}
		seen[d] = true
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

// Validate returns a BadRequest error if the task breaks a rule: an id, a
// title, notes and an icon that pass CheckText within their limits (notes
// may hold tabs and newlines), a valid start time, a duration and reminder
// of at most a day.
func (t Task) Validate() error {
	if err := CheckID("task id", t.ID); err != nil {
		return err
	}
	if _, err := scalars.ParseTime(string(t.StartTime)); err != nil {
		return BadRequest("task startTime: %v", err)
	}
	if err := CheckRequiredText("task title", t.Title, MaxTitleBytes, SingleLine); err != nil {
		return err
	}
	if t.Notes != nil {
		if err := CheckText("task notes", *t.Notes, MaxTaskNotesBytes, MultiLine); err != nil {
			return err
		}
	}
	if t.Icon != nil {
		if err := CheckText("task icon", *t.Icon, MaxTaskIconBytes, SingleLine); err != nil {
			return err
		}
	}
	switch {
	case t.DurationMinutes < 0 || t.DurationMinutes > 24*60:
		return BadRequest("task durationMinutes must be between 0 and 1440")
	case t.ReminderMinutesBefore != nil && (*t.ReminderMinutesBefore < 0 || *t.ReminderMinutesBefore > 24*60):
		return BadRequest("task reminderMinutesBefore must be between 0 and 1440")
	}
	return nil
}

// TooManySchedules is the error of creating a schedule for an owner who
// holds MaxSchedulesPerOwner already.
func TooManySchedules() *Error {
	return BadRequest("a user holds at most %d schedules", MaxSchedulesPerOwner)
}
