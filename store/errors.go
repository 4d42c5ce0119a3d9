package store

import (
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

// The client-facing errors both implementations return for the same broken
// rule, each message written once here. The generic ones (domain.NotFound,
// domain.Conflict for a stale version, domain.Taken for an id in use,
// domain.TooManySchedules) live in domain.

// EmailTaken is the Conflict error of a create or update whose email is
// already used (case-insensitively) by another user of the organisation.
func EmailTaken(email scalars.Email) *domain.Error {
	return domain.Errorf(domain.CodeConflict, "email %s is already used in this organisation", email)
}

// TaskListedTwice is the Conflict error of a schedule that lists one task id
// twice.
func TaskListedTwice(taskID, scheduleID string) *domain.Error {
	return domain.Errorf(domain.CodeConflict, "task %s appears twice in schedule %s", taskID, scheduleID)
}

// TaskInOtherSchedule is the Conflict error of a schedule write that uses a
// task id another schedule holds.
func TaskInOtherSchedule(taskID string) *domain.Error {
	return domain.Errorf(domain.CodeConflict, "task %s exists already in another schedule", taskID)
}

// InvalidPageToken is the BadRequest error of a nextToken that was forged,
// altered, or issued for another list.
func InvalidPageToken() *domain.Error {
	return domain.BadRequest("nextToken is invalid: pass back the nextToken of the previous page unchanged")
}

// InvalidDate is the BadRequest error of a date that is not an AWSDate.
func InvalidDate(date scalars.Date) *domain.Error {
	return domain.BadRequest("date %q is not an AWSDate", date)
}
