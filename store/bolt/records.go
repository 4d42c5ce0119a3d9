package bolt

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

// This file maps domain values to the records of format 2 and back. Records
// are JSON objects whose field names are spelled out here, never taken from
// the domain structs' JSON tags, so that renaming an API field cannot change
// what is stored. Times are stored in UTC (RFC 3339 with up to nine fraction
// digits); optional values are omitted when absent.

// organisationRecord is the value of an organisation in organisationsBucket.
type organisationRecord struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"createdAt"`
}

func newOrganisationRecord(o domain.Organisation) organisationRecord {
	return organisationRecord{ID: o.ID, Name: o.Name, CreatedAt: o.CreatedAt.UTC()}
}

func (r organisationRecord) domain() domain.Organisation {
	return domain.Organisation{ID: r.ID, Name: r.Name, CreatedAt: r.CreatedAt}
}

// userRecord is the value of a user in usersBucket.
type userRecord struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisationId"`
	Name           string    `json:"name"`
	Email          string    `json:"email"`
	Phone          *string   `json:"phone,omitempty"`
	Role           string    `json:"role"`
	Version        int       `json:"version"`
	CreatedAt      time.Time `json:"createdAt"`
	UpdatedAt      time.Time `json:"updatedAt"`
}

func newUserRecord(u domain.User) userRecord {
	r := userRecord{
		ID:             u.ID,
		OrganisationID: u.OrganisationID,
		Name:           u.Name,
		Email:          string(u.Email),
		Role:           string(u.Role),
		Version:        u.Version,
		CreatedAt:      u.CreatedAt.UTC(),
		UpdatedAt:      u.UpdatedAt.UTC(),
	}
	if u.Phone != nil {
		p := string(*u.Phone)
		r.Phone = &p
	}
	return r
}

func (r userRecord) domain() domain.User {
	u := domain.User{
		ID:             r.ID,
		OrganisationID: r.OrganisationID,
		Name:           r.Name,
		Email:          scalars.Email(r.Email),
		Role:           domain.Role(r.Role),
		Version:        r.Version,
		CreatedAt:      r.CreatedAt,
		UpdatedAt:      r.UpdatedAt,
	}
	if r.Phone != nil {
		p := scalars.Phone(*r.Phone)
		u.Phone = &p
	}
	return u
}

// scheduleRecord is the value of a schedule in schedulesBucket, with its
// tasks embedded in order.
type scheduleRecord struct {
	ID             string       `json:"id"`
	OrganisationID string       `json:"organisationId"`
	OwnerID        string       `json:"ownerId"`
	Title          string       `json:"title"`
	Timezone       string       `json:"timezone"`
	Days           []string     `json:"days"`
	Date           *string      `json:"date,omitempty"`
	Active         bool         `json:"active"`
	Tasks          []taskRecord `json:"tasks"`
	Version        int          `json:"version"`
	CreatedAt      time.Time    `json:"createdAt"`
	UpdatedAt      time.Time    `json:"updatedAt"`
}

// taskRecord is one task of a scheduleRecord; its schedule is the record
// it is embedded in.
type taskRecord struct {
	ID                    string  `json:"id"`
	Title                 string  `json:"title"`
	Notes                 *string `json:"notes,omitempty"`
	Icon                  *string `json:"icon,omitempty"`
	StartTime             string  `json:"startTime"`
	DurationMinutes       int     `json:"durationMinutes"`
	ReminderMinutesBefore *int    `json:"reminderMinutesBefore,omitempty"`
	Position              int     `json:"position"`
}

func newScheduleRecord(s domain.Schedule) scheduleRecord {
	r := scheduleRecord{
		ID:             s.ID,
		OrganisationID: s.OrganisationID,
		OwnerID:        s.OwnerID,
		Title:          s.Title,
		Timezone:       s.Timezone,
		Days:           make([]string, len(s.Days)),
		Active:         s.Active,
		Tasks:          make([]taskRecord, len(s.Tasks)),
		Version:        s.Version,
		CreatedAt:      s.CreatedAt.UTC(),
		UpdatedAt:      s.UpdatedAt.UTC(),
	}
	for i, d := range s.Days {
		r.Days[i] = string(d)
	}
	if s.Date != nil {
		d := string(*s.Date)
		r.Date = &d
	}
	for i, t := range s.Tasks {
		r.Tasks[i] = taskRecord{
			ID:                    t.ID,
			Title:                 t.Title,
			Notes:                 t.Notes,
			Icon:                  t.Icon,
			StartTime:             string(t.StartTime),
			DurationMinutes:       t.DurationMinutes,
			ReminderMinutesBefore: t.ReminderMinutesBefore,
			Position:              t.Position,
		}
	}
	return r
}

func (r scheduleRecord) domain() domain.Schedule {
	s := domain.Schedule{
		ID:             r.ID,
		OrganisationID: r.OrganisationID,
		OwnerID:        r.OwnerID,
		Title:          r.Title,
		Timezone:       r.Timezone,
		Active:         r.Active,
		Version:        r.Version,
		CreatedAt:      r.CreatedAt,
		UpdatedAt:      r.UpdatedAt,
	}
	for _, d := range r.Days {
		s.Days = append(s.Days, domain.Weekday(d))
	}
	if r.Date != nil {
		d := scalars.Date(*r.Date)
		s.Date = &d
	}
	for _, t := range r.Tasks {
		s.Tasks = append(s.Tasks, domain.Task{
			ID:                    t.ID,
			ScheduleID:            r.ID,
			Title:                 t.Title,
			Notes:                 t.Notes,
			Icon:                  t.Icon,
			StartTime:             scalars.Time(t.StartTime),
			DurationMinutes:       t.DurationMinutes,
			ReminderMinutesBefore: t.ReminderMinutesBefore,
			Position:              t.Position,
		})
	}
	return s
}

// taskRefRecord is the value of a task in taskRefsBucket: where it lives.
type taskRefRecord struct {
	TaskID         string `json:"taskId"`
	ScheduleID     string `json:"scheduleId"`
	OwnerID        string `json:"ownerId"`
	OrganisationID string `json:"organisationId"`
}

func newTaskRefRecord(ref domain.TaskRef) taskRefRecord {
	return taskRefRecord{TaskID: ref.TaskID, ScheduleID: ref.ScheduleID, OwnerID: ref.OwnerID, OrganisationID: ref.OrganisationID}
}

func (r taskRefRecord) domain() domain.TaskRef {
	return domain.TaskRef{TaskID: r.TaskID, ScheduleID: r.ScheduleID, OwnerID: r.OwnerID, OrganisationID: r.OrganisationID}
}

// completionRecord is the value of a completion in completionsBucket. A
// stored completion is always completed.
type completionRecord struct {
	OwnerID        string     `json:"ownerId"`
	OrganisationID string     `json:"organisationId"`
	ScheduleID     string     `json:"scheduleId"`
	TaskID         string     `json:"taskId"`
	Date           string     `json:"date"`
	CompletedAt    *time.Time `json:"completedAt,omitempty"`
}

func newCompletionRecord(c domain.Completion) completionRecord {
	r := completionRecord{
		OwnerID:        c.OwnerID,
		OrganisationID: c.OrganisationID,
		ScheduleID:     c.ScheduleID,
		TaskID:         c.TaskID,
		Date:           string(c.Date),
	}
	if c.CompletedAt != nil {
		at := c.CompletedAt.UTC()
		r.CompletedAt = &at
	}
	return r
}

func (r completionRecord) domain() domain.Completion {
	return domain.Completion{
		OwnerID:        r.OwnerID,
		OrganisationID: r.OrganisationID,
		ScheduleID:     r.ScheduleID,
		TaskID:         r.TaskID,
		Date:           scalars.Date(r.Date),
		Completed:      true,
		CompletedAt:    r.CompletedAt,
	}
}

// record is a stored record type that maps to the domain value D.
type record[D any] interface {
	organisationRecord | userRecord | scheduleRecord | taskRefRecord | completionRecord | deletedScheduleRecord
	domain() D
}

// encodeRecord returns the stored bytes of r.
func encodeRecord[R record[D], D any](r R) ([]byte, error) {
	raw, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", r, err)
	}
	return raw, nil
}

// decodeRecord decodes raw as an R and returns its domain value.
func decodeRecord[R record[D], D any](raw []byte) (D, error) {
	var r R
	if err := json.Unmarshal(raw, &r); err != nil {
		var zero D
		return zero, fmt.Errorf("decode %T: %w", r, err)
	}
	return r.domain(), nil
}
