package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/store"
)

// baseTime is the creation time of fixtures: nanoseconds and a non-UTC
// offset, so a store that truncates or loses the instant fails.
var baseTime = time.Date(2026, 3, 29, 7, 30, 15, 123456789, time.FixedZone("CEST", 2*60*60))

func newID() string { return ulid.Make().String() }

func ptr[T any](v T) *T { return &v }

// newOrganisation returns an organisation that is not stored yet.
func newOrganisation(t *testing.T) domain.Organisation {
	t.Helper()
	return domain.Organisation{ID: newID(), Name: "Zonnehuis " + t.Name(), CreatedAt: baseTime}
}

// newUser returns a member of orgID with a unique email, not stored yet.
func newUser(t *testing.T, orgID string, createdAt time.Time) domain.User {
	t.Helper()
	id := newID()
	return domain.User{
		ID:             id,
		OrganisationID: orgID,
		Name:           "Member " + id,
		Email:          scalars.Email(strings.ToLower(id) + "@example.com"),
		Phone:          ptr(scalars.Phone("+31 20 123 4567")),
		Role:           domain.RoleMember,
		Version:        1,
		CreatedAt:      createdAt,
		UpdatedAt:      createdAt,
	}
}

// createOrganisation stores a new organisation with its admin.
func createOrganisation(t *testing.T, s store.Store) (domain.Organisation, domain.User) {
	t.Helper()
	org := newOrganisation(t)
	admin := newUser(t, org.ID, baseTime)
	admin.Role = domain.RoleAdmin
	if err := s.CreateOrganisation(t.Context(), org, admin); err != nil {
		t.Fatalf("CreateOrganisation: %v", err)
	}
	return org, admin
}

// createUser stores a new member of orgID.
func createUser(t *testing.T, s store.Store, orgID string) domain.User {
	t.Helper()
	u := newUser(t, orgID, baseTime.Add(time.Minute))
	if err := s.CreateUser(t.Context(), u); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	return u
}

// newTask returns a task of scheduleID starting at startTime.
func newTask(t *testing.T, scheduleID, startTime string) domain.Task {
	t.Helper()
	return domain.Task{
		ID:                    newID(),
		ScheduleID:            scheduleID,
		Title:                 "Task at " + startTime,
		Notes:                 ptr("Take the blue cup"),
		Icon:                  ptr("cup"),
		StartTime:             scalars.Time(startTime),
		DurationMinutes:       15,
		ReminderMinutesBefore: ptr(5),
	}
}

// newSchedule returns a weekday schedule of owner with tasks tasks (their
// ids deliberately not in position order), not stored yet.
func newSchedule(t *testing.T, owner domain.User, tasks int) domain.Schedule {
	t.Helper()
	sc := domain.Schedule{
		ID:             newID(),
		OrganisationID: owner.OrganisationID,
		OwnerID:        owner.ID,
		Title:          "Morning",
		Timezone:       "Europe/Amsterdam",
		Days:           []domain.Weekday{domain.Monday, domain.Wednesday, domain.Friday},
		Active:         true,
		Version:        1,
		CreatedAt:      baseTime,
		UpdatedAt:      baseTime,
	}
	for i := range tasks {
		sc.Tasks = append(sc.Tasks, newTask(t, sc.ID, fmt.Sprintf("%02d:30", 7+i)))
	}
	slices.Reverse(sc.Tasks)
	for i := range sc.Tasks {
		sc.Tasks[i].Position = i
	}
	return sc
}

// createSchedule stores a new schedule of owner with tasks tasks.
func createSchedule(t *testing.T, s store.Store, owner domain.User, tasks int) domain.Schedule {
	t.Helper()
	sc := newSchedule(t, owner, tasks)
	if err := s.CreateSchedule(t.Context(), sc); err != nil {
		t.Fatalf("CreateSchedule: %v", err)
	}
	return sc
}

// newCompletion returns a completion of task in sc on date.
func newCompletion(sc domain.Schedule, taskID string, date scalars.Date, at time.Time) domain.Completion {
	return domain.Completion{
		OwnerID:        sc.OwnerID,
		OrganisationID: sc.OrganisationID,
		ScheduleID:     sc.ID,
		TaskID:         taskID,
		Date:           date,
		Completed:      true,
		CompletedAt:    &at,
	}
}

// putCompletion stores a completion of task in sc on date.
func putCompletion(t *testing.T, s store.Store, sc domain.Schedule, taskID string, date scalars.Date) domain.Completion {
	t.Helper()
	c := newCompletion(sc, taskID, date, baseTime.Add(time.Hour))
	if _, err := s.PutCompletion(t.Context(), c); err != nil {
		t.Fatalf("PutCompletion: %v", err)
	}
	return c
}

// wantCode fails t unless err carries code.
func wantCode(t *testing.T, what string, err error, code domain.Code) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Errorf("%s: error %v has code %s, want %s", what, err, got, code)
	}
}

// wantError fails t unless err carries want's code and client message: the
// message every implementation shares (store/errors.go, domain/errors.go).
func wantError(t *testing.T, what string, err error, want *domain.Error) {
	t.Helper()
	if code, msg := domain.ErrorCode(err), domain.ErrorMessage(err); code != want.Code || msg != want.Message {
		t.Errorf("%s: error %v has code %s and message %q, want %s and %q", what, err, code, msg, want.Code, want.Message)
	}
}

// mustNil fails t now if err is not nil.
func mustNil(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// getUser reads one user; ok is false if it is missing.
func getUser(t *testing.T, s store.Store, id string) (domain.User, bool) {
	t.Helper()
	users, err := s.GetUsers(t.Context(), []string{id})
	mustNil(t, "GetUsers", err)
	switch len(users) {
	case 0:
		return domain.User{}, false
	case 1:
		return users[0], true
	}
	t.Fatalf("GetUsers([%s]) returned %d users", id, len(users))
	return domain.User{}, false
}

// getSchedule reads one schedule; ok is false if it is missing.
func getSchedule(t *testing.T, s store.Store, id string) (domain.Schedule, bool) {
	t.Helper()
	schedules, err := s.GetSchedules(t.Context(), []string{id})
	mustNil(t, "GetSchedules", err)
	switch len(schedules) {
	case 0:
		return domain.Schedule{}, false
	case 1:
		return schedules[0], true
	}
	t.Fatalf("GetSchedules([%s]) returned %d schedules", id, len(schedules))
	return domain.Schedule{}, false
}

// normUser returns u with its times in UTC, so that reflect.DeepEqual
// compares instants (as time.Time.Equal does).
func normUser(u domain.User) domain.User {
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return u
}

// normSchedule returns sc with its times in UTC and empty slices as nil.
func normSchedule(sc domain.Schedule) domain.Schedule {
	sc.CreatedAt, sc.UpdatedAt = sc.CreatedAt.UTC(), sc.UpdatedAt.UTC()
	if len(sc.Days) == 0 {
		sc.Days = nil
	}
	if len(sc.Tasks) == 0 {
		sc.Tasks = nil
	}
	return sc
}

func normCompletion(c domain.Completion) domain.Completion {
	if c.CompletedAt != nil {
		c.CompletedAt = ptr(c.CompletedAt.UTC())
	}
	return c
}

// assertEqual fails t unless got and want are equal after norm.
func assertEqual[T any](t *testing.T, what string, got, want T, norm func(T) T) {
	t.Helper()
	if g, w := norm(got), norm(want); !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n got  %+v\n want %+v", what, g, w)
	}
}

func sameUser(t *testing.T, what string, got, want domain.User) {
	t.Helper()
	assertEqual(t, what, got, want, normUser)
}

func sameSchedule(t *testing.T, what string, got, want domain.Schedule) {
	t.Helper()
	assertEqual(t, what, got, want, normSchedule)
}

// idsOf returns the ids of items, in order.
func idsOf[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

func userID(u domain.User) string         { return u.ID }
func scheduleID(s domain.Schedule) string { return s.ID }
func taskID(t domain.Task) string         { return t.ID }
