package app

import (
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

// NewUser is a user to add. Its id is the service's choice: generated in
// dev mode, the user's sub with a Directory.
type NewUser struct {
	Name  string
	Email scalars.Email
	Phone *scalars.Phone
	Role  domain.Role
}

// UserChanges are the fields of a user to change; nil leaves one as it is.
type UserChanges struct {
	Name  *string
	Email *scalars.Email
	Phone *scalars.Phone
	Role  *domain.Role
}

// applyTo copies the given fields onto u.
func (c UserChanges) applyTo(u *domain.User) {
	if c.Name != nil {
		u.Name = *c.Name
	}
	if c.Email != nil {
		u.Email = *c.Email
	}
	if c.Phone != nil {
		u.Phone = c.Phone
	}
	if c.Role != nil {
		u.Role = *c.Role
	}
}

// NewSchedule is a schedule to create for OwnerID. Active nil means active.
type NewSchedule struct {
	OwnerID  string
	Title    string
	Timezone string
	Days     []domain.Weekday
	Date     *scalars.Date
	Active   *bool
	Tasks    []NewTask
}

// ScheduleChanges are the fields of a schedule to change; nil (or, for
// Days, an absent list) leaves one as it is. Setting Days clears the date,
// setting Date clears the days; setting both is a BadRequest.
type ScheduleChanges struct {
	Title    *string
	Timezone *string
	Days     []domain.Weekday
	Date     *scalars.Date
	Active   *bool
}

// applyTo copies the given fields onto s.
func (c ScheduleChanges) applyTo(s *domain.Schedule) error {
	if c.Days != nil && c.Date != nil {
		return domain.BadRequest("a schedule applies either on weekdays or on one date, not both")
	}
	if c.Title != nil {
		s.Title = *c.Title
	}
	if c.Timezone != nil {
		s.Timezone = *c.Timezone
	}
	if c.Days != nil {
		s.Days, s.Date = c.Days, nil
	}
	if c.Date != nil {
		s.Date, s.Days = c.Date, nil
	}
	if c.Active != nil {
		s.Active = *c.Active
	}
	return nil
}

// NewTask is a task to add to a schedule.
type NewTask struct {
	Title                 string
	Notes                 *string
	Icon                  *string
	StartTime             scalars.Time
	DurationMinutes       int
	ReminderMinutesBefore *int
}

// TaskChanges are the fields of a task to change; nil leaves one as it is.
type TaskChanges struct {
	Title                 *string
	Notes                 *string
	Icon                  *string
	StartTime             *scalars.Time
	DurationMinutes       *int
	ReminderMinutesBefore *int
}

// applyTo copies the given fields onto t.
func (c TaskChanges) applyTo(t *domain.Task) {
	if c.Title != nil {
		t.Title = *c.Title
	}
	if c.Notes != nil {
		t.Notes = c.Notes
	}
	if c.Icon != nil {
		t.Icon = c.Icon
	}
	if c.StartTime != nil {
		t.StartTime = *c.StartTime
	}
	if c.DurationMinutes != nil {
		t.DurationMinutes = *c.DurationMinutes
	}
	if c.ReminderMinutesBefore != nil {
		t.ReminderMinutesBefore = c.ReminderMinutesBefore
	}
}

// PageArgs are a list's limit and nextToken arguments (AppSync's
// convention), checked by the service after its access rules.
type PageArgs struct {
	Limit     *int
	NextToken *string
}
