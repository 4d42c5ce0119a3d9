package bolt_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/store"
)

const (
	benchOwners            = 50
	benchSchedulesPerOwner = 5
	benchTasksPerSchedule  = 10
)

// seedOwners stores an organisation with benchOwners members, each owning
// benchSchedulesPerOwner schedules of benchTasksPerSchedule tasks, and
// returns the members.
func seedOwners(b *testing.B, s store.Store) []domain.User {
	b.Helper()
	ctx := b.Context()
	now := time.Date(2026, 3, 29, 7, 30, 0, 0, time.UTC)
	org := domain.Organisation{ID: ulid.Make().String(), Name: "Bench", CreatedAt: now}
	var owners []domain.User
	for i := range benchOwners {
		u := domain.User{ID: ulid.Make().String(), OrganisationID: org.ID, Name: "Member",
			Email: scalars.Email(fmt.Sprintf("m%d@example.com", i)), Role: domain.RoleMember,
			Version: 1, CreatedAt: now, UpdatedAt: now}
		var err error
		if i == 0 {
			err = s.CreateOrganisation(ctx, org, u)
		} else {
			err = s.CreateUser(ctx, u)
		}
		if err != nil {
			b.Fatal(err)
		}
		owners = append(owners, u)
		for range benchSchedulesPerOwner {
			sc := domain.Schedule{ID: ulid.Make().String(), OrganisationID: org.ID, OwnerID: u.ID,
				Title: "Morning", Timezone: "Europe/Amsterdam", Days: []domain.Weekday{domain.Monday},
				Active: true, Version: 1, CreatedAt: now, UpdatedAt: now}
			for p := range benchTasksPerSchedule {
				sc.Tasks = append(sc.Tasks, domain.Task{ID: ulid.Make().String(), ScheduleID: sc.ID,
					Title: "Task", StartTime: scalars.Time(fmt.Sprintf("%02d:00", 6+p)), DurationMinutes: 15, Position: p})
			}
			if err := s.CreateSchedule(ctx, sc); err != nil {
				b.Fatal(err)
			}
		}
	}
	return owners
}

func BenchmarkSchedulesByOwners(b *testing.B) {
	s := openTemp(b)
	owners := seedOwners(b, s)
	ids := make([]string, len(owners))
	for i, u := range owners {
		ids[i] = u.ID
	}
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		got, err := s.SchedulesByOwners(ctx, ids)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != benchOwners || len(got[ids[0]]) != benchSchedulesPerOwner {
			b.Fatalf("got %d owners, %d schedules for the first", len(got), len(got[ids[0]]))
		}
	}
}

func BenchmarkCompletionsOn(b *testing.B) {
	s := openTemp(b)
	owners := seedOwners(b, s)
	ctx := b.Context()
	day := scalars.Date("2026-03-29")
	days := make([]domain.OwnerDate, len(owners))
	byOwner, err := s.SchedulesByOwners(ctx, func() []string {
		ids := make([]string, len(owners))
		for i, u := range owners {
			ids[i] = u.ID
		}
		return ids
	}())
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 3, 29, 8, 0, 0, 0, time.UTC)
	for i, u := range owners {
		days[i] = domain.OwnerDate{OwnerID: u.ID, Day: day.Day()}
		sc := byOwner[u.ID][0]
		for _, task := range sc.Tasks {
			c := domain.Completion{OwnerID: u.ID, OrganisationID: u.OrganisationID, ScheduleID: sc.ID,
				TaskID: task.ID, Date: day, Completed: true, CompletedAt: &at}
			if _, err := s.PutCompletion(ctx, c); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		got, err := s.CompletionsOn(ctx, days)
		if err != nil {
			b.Fatal(err)
		}
		if len(got[days[0]]) != benchTasksPerSchedule {
			b.Fatalf("got %d completions for the first owner", len(got[days[0]]))
		}
	}
}
