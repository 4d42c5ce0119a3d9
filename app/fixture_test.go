package app_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/dayline/dayline/app"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/loaders"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
)

// monday is the fixture's first clock reading: Monday 30 March 2026.
var monday = time.Date(2026, 3, 30, 8, 0, 0, 0, time.UTC)

// fixture is a fresh embedded store with two organisations, the services
// over it, a clock the test moves by hand and ids counted up from ID0001
// (or taken from the ones the test queued with nextIDs).
//
// Organisation "Zonnehuis" has an admin, a caregiver and two members
// (ann, bob); organisation "Elsewhere" has its own admin, stranger.
type fixture struct {
	st     *bolt.Store
	svc    *app.Services
	now    time.Time
	ids    int
	queued []string

	org                                  domain.Organisation
	admin, caregiver, ann, bob, stranger app.Actor
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "dayline.db"), store.NewPageTokens([]byte("test-secret-0123456789")))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	f := &fixture{st: st, now: monday}
	f.svc = app.New(st, app.Env{
		Now:   func() time.Time { return f.now },
		NewID: f.newID,
	})
	ctx := t.Context()
	f.nextIDs("", "admin") // the organisation's id, then its admin's
	f.org, err = f.svc.Users.CreateOrganisation(ctx, "Zonnehuis", app.NewUser{Name: "Ada", Email: "ada@example.com"})
	if err != nil {
		t.Fatalf("create organisation: %v", err)
	}
	f.admin = f.actor(t, "admin")
	f.caregiver = f.addUser(t, "carla", domain.RoleCaregiver)
	f.ann = f.addUser(t, "ann", domain.RoleMember)
	f.bob = f.addUser(t, "bob", domain.RoleMember)
	f.nextIDs("", "stranger")
	if _, err := f.svc.Users.CreateOrganisation(ctx, "Elsewhere", app.NewUser{Name: "Sam", Email: "sam@example.com"}); err != nil {
		t.Fatalf("create second organisation: %v", err)
	}
	f.stranger = f.actor(t, "stranger")
	return f
}

// loaders returns fresh loaders: one operation's reads.
func (f *fixture) loaders() *loaders.Loaders { return loaders.NewImmediate(f.st) }

// later moves the clock on by d and returns the new time.
func (f *fixture) later(d time.Duration) time.Time {
	f.now = f.now.Add(d)
	return f.now
}

// newID is the services' id generator: the next queued id, else the next
// counted one ("" queued counts too).
func (f *fixture) newID() string {
	if len(f.queued) > 0 {
		id := f.queued[0]
		f.queued = f.queued[1:]
		if id != "" {
			return id
		}
	}
	f.ids++
	return fmt.Sprintf("ID%04d", f.ids)
}

// nextIDs queues the ids the services generate next, in order; "" takes
// a counted one.
func (f *fixture) nextIDs(ids ...string) { f.queued = append(f.queued, ids...) }

// lastID returns the id counted last.
func (f *fixture) lastID() string { return fmt.Sprintf("ID%04d", f.ids) }

// Who acts, for tables.
func byAdmin(f *fixture) app.Actor     { return f.admin }
func byCaregiver(f *fixture) app.Actor { return f.caregiver }
func byAnn(f *fixture) app.Actor       { return f.ann }
func byBob(f *fixture) app.Actor       { return f.bob }
func byStranger(f *fixture) app.Actor  { return f.stranger }

// ownOrg is the id of the fixture's organisation (not the stranger's).
func ownOrg(f *fixture) string { return f.org.ID }

// actor returns the actor of user id, as a resolver reads it.
func (f *fixture) actor(t *testing.T, id string) app.Actor {
	t.Helper()
	a, err := f.svc.Users.Actor(t.Context(), f.loaders(), id)
	if err != nil {
		t.Fatalf("actor %s: %v", id, err)
	}
	return a
}

// addUser adds user id with role to the fixture's organisation, a minute
// after the one before.
func (f *fixture) addUser(t *testing.T, id string, role domain.Role) app.Actor {
	t.Helper()
	f.later(time.Minute) // members list in creation order
	f.nextIDs(id)
	u, err := f.svc.Users.Add(t.Context(), f.admin, f.org.ID, app.NewUser{
		Name: "User " + id, Email: scalars.Email(id + "@example.com"), Role: role,
	})
	if err != nil {
		t.Fatalf("add user %s: %v", id, err)
	}
	return app.Actor{User: u}
}

// user reads user id back from the store (fresh loaders).
func (f *fixture) user(t *testing.T, id string) domain.User {
	t.Helper()
	u, err := f.loaders().Users().Load(t.Context(), id)
	if err != nil {
		t.Fatalf("read user %s: %v", id, err)
	}
	return u
}

// schedule reads schedule id back from the store (fresh loaders).
func (f *fixture) schedule(t *testing.T, id string) domain.Schedule {
	t.Helper()
	s, err := f.loaders().Schedules().Load(t.Context(), id)
	if err != nil {
		t.Fatalf("read schedule %s: %v", id, err)
	}
	return s
}

// routine creates, as the admin, an active schedule for ownerID on
// Mondays and Tuesdays with tasks at 09:00 ("Breakfast") and 07:30
// ("Wake up"), in that order.
func (f *fixture) routine(t *testing.T, ownerID string) domain.Schedule {
	t.Helper()
	s, err := f.svc.Schedules.Create(t.Context(), f.loaders(), f.admin, app.NewSchedule{
		OwnerID: ownerID, Title: "Morning", Timezone: "Europe/Amsterdam",
		Days: []domain.Weekday{domain.Monday, domain.Tuesday},
		Tasks: []app.NewTask{
			{Title: "Breakfast", StartTime: "09:00", DurationMinutes: 30},
			{Title: "Wake up", StartTime: "07:30", DurationMinutes: 10},
		},
	})
	if err != nil {
		t.Fatalf("create schedule: %v", err)
	}
	return s
}

// wantCode fails t unless err carries code ("" for no error).
func wantCode(t *testing.T, err error, code domain.Code) {
	t.Helper()
	switch {
	case code == "" && err != nil:
		t.Fatalf("error %v (%s), want none", err, domain.ErrorCode(err))
	case code != "" && err == nil:
		t.Fatalf("no error, want %s", code)
	case code != "" && domain.ErrorCode(err) != code:
		t.Fatalf("error %v (%s), want %s", err, domain.ErrorCode(err), code)
	}
}

// taskTitles returns the titles of tasks, in order.
func taskTitles(tasks []domain.Task) []string {
	titles := make([]string, len(tasks))
	for i, task := range tasks {
		titles[i] = task.Title
	}
	return titles
}

func ptr[T any](v T) *T { return &v }

// day reads ownerID's schedules and completions on date (fresh loaders).
func (f *fixture) day(t *testing.T, ownerID string, date scalars.Date) loaders.Day {
	t.Helper()
	d, err := f.loaders().Day(t.Context(), domain.OwnerDate{OwnerID: ownerID, Day: date.Day()})
	if err != nil {
		t.Fatalf("read day: %v", err)
	}
	return d
}
