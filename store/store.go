// Package store defines the storage contract Dayline's services and loaders
// consume: the Store interface, the client-facing errors both
// implementations return (errors.go), and the tamper-evident page tokens
// (pagetoken.go) that carry each implementation's own cursor.
// Implementations live in subpackages, each owning its physical layout:
// store/bolt (embedded, its own versioned format) and store/dynamo (one
// DynamoDB table, keys in store/dynamo/keys.go). store/storetest is the
// contract suite both must pass.
//
// Error contract for every method: domain errors carry a domain.Code
// (NotFound, Conflict, BadRequest, ServiceUnavailable); anything else is an
// internal error. Batch reads omit missing ids instead of failing.
package store

import (
	"context"
	"time"

	"github.com/dayline/dayline/domain"
)

// DeletedScheduleRetention is how long a store at least keeps a deleted
// schedule's tombstone (GetDeletedSchedule). A tombstone is read once per
// subscriber right after its deletion's event, so an hour leaves ample
// room; store/bolt prunes older ones as it writes new ones, DynamoDB's
// TTL removes them (within days after they expire).
const DeletedScheduleRetention = time.Hour

// Store is everything Dayline needs from storage.
type Store interface {
	// CreateOrganisation stores org and its first admin atomically. Conflict
	// if the organisation or user id exists already.
	CreateOrganisation(ctx context.Context, org domain.Organisation, admin domain.User) error
	// GetOrganisations returns the organisations with these ids, in any
	// order; missing ids are omitted.
	GetOrganisations(ctx context.Context, ids []string) ([]domain.Organisation, error)

	// GetUsers returns the users with these ids, in any order; missing ids are omitted.
	GetUsers(ctx context.Context, ids []string) ([]domain.User, error)
	// ListMembers returns one page of an organisation's users in creation
	// order. BadRequest for a forged, altered or foreign nextToken.
	ListMembers(ctx context.Context, orgID string, page domain.PageRequest) (domain.Page[domain.User], error)
	// CreateUser stores a new user. Conflict if the id exists or the email is
	// taken in the organisation (case-insensitively).
	CreateUser(ctx context.Context, u domain.User) error
	// UpdateUser replaces the user when its stored version equals
	// expectedVersion (u.Version must be expectedVersion+1). NotFound if
	// missing, Conflict on a stale version or a taken email.
	UpdateUser(ctx context.Context, u domain.User, expectedVersion int) error
	// DeleteUser removes the user, its email claim, its schedules (with their
	// task references) and its completions, when the stored version equals
	// expectedVersion. NotFound if missing, Conflict on a stale version.
	DeleteUser(ctx context.Context, id string, expectedVersion int) error

	// GetSchedules returns the schedules (with tasks) with these ids, in any
	// order; missing ids are omitted.
	GetSchedules(ctx context.Context, ids []string) ([]domain.Schedule, error)
	// SchedulesByOwners returns every schedule of each owner, ordered by id.
	// Owners without schedules map to an empty (or absent) slice.
	SchedulesByOwners(ctx context.Context, ownerIDs []string) (map[string][]domain.Schedule, error)
	// ListSchedules returns one page of an owner's schedules ordered by id.
	// BadRequest for a forged, altered or foreign nextToken.
	ListSchedules(ctx context.Context, ownerID string, page domain.PageRequest) (domain.Page[domain.Schedule], error)
	// CreateSchedule stores a new schedule and references to its tasks.
	// NotFound if the owner is not a user of the schedule's organisation
	// when it is written; Conflict if the schedule id or a task id exists
	// already.
	CreateSchedule(ctx context.Context, s domain.Schedule) error
	// UpdateSchedule replaces the schedule and its task references when the
	// stored version equals expectedVersion (s.Version must be
	// expectedVersion+1). NotFound if missing, Conflict on a stale version
	// or a task id used elsewhere. Completions of removed tasks are kept.
	UpdateSchedule(ctx context.Context, s domain.Schedule, expectedVersion int) error
	// DeleteSchedule removes the schedule and its task references when the
	// stored version equals expectedVersion, and keeps in the same
	// transaction its tombstone: the schedule as it was (that version),
	// deleted at deletedAt, for GetDeletedSchedule. NotFound if missing,
	// Conflict on a stale version; nothing is written then.
	DeleteSchedule(ctx context.Context, id string, expectedVersion int, deletedAt time.Time) error
	// GetDeletedSchedule returns schedule id as DeleteSchedule removed it,
	// for at least DeletedScheduleRetention after its deletion (then it
	// may be forgotten). NotFound if it was not deleted or is forgotten.
	GetDeletedSchedule(ctx context.Context, id string) (domain.Schedule, error)

	// GetTaskRefs returns where each task lives, in any order; missing ids are omitted.
	GetTaskRefs(ctx context.Context, taskIDs []string) ([]domain.TaskRef, error)

	// PutCompletion records a completion idempotently and returns the stored
	// one: completing twice keeps the first CompletedAt.
	PutCompletion(ctx context.Context, c domain.Completion) (domain.Completion, error)
	// DeleteCompletion removes a completion; removing a missing one is not an error.
	DeleteCompletion(ctx context.Context, ownerID, day, taskID string) error
	// CompletionsOn returns the completions of each owner's day.
	CompletionsOn(ctx context.Context, days []domain.OwnerDate) (map[domain.OwnerDate][]domain.Completion, error)
}
