package bolt_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
)

// scheduleFixture stores an organisation, its admin and n one-task
// schedules of the admin in s.
func scheduleFixture(t *testing.T, s *bolt.Store, n int) []domain.Schedule {
	t.Helper()
	at := time.Date(2026, 3, 29, 7, 30, 0, 0, time.UTC)
	org := domain.Organisation{ID: "org-1", Name: "Zonnehuis", CreatedAt: at}
	admin := domain.User{ID: "user-1", OrganisationID: org.ID, Name: "Ann", Email: "ann@example.com",
		Role: domain.RoleAdmin, Version: 1, CreatedAt: at, UpdatedAt: at}
	mustNil(t, s.CreateOrganisation(t.Context(), org, admin))
	var out []domain.Schedule
	for i := range n {
		id := string(rune('A' + i))
		sc := domain.Schedule{ID: "sched-" + id, OrganisationID: org.ID, OwnerID: admin.ID, Title: "Morning " + id,
			Timezone: "Europe/Amsterdam", Days: []domain.Weekday{"MON"}, Active: true, CreatedAt: at,
			Tasks: []domain.Task{{ID: "task-" + id, ScheduleID: "sched-" + id, Title: "Wash", StartTime: "07:00", DurationMinutes: 5}}}
		sc = sc.Changed(at)
		mustNil(t, s.CreateSchedule(t.Context(), sc))
		out = append(out, sc)
	}
	return out
}

// deletionEntries returns the keys' count of the tombstone buckets of the
// file at path (-1 for a missing bucket).
func deletionEntries(t *testing.T, path string) (tombstones, deletions int) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	mustNil(t, err)
	defer db.Close()
	keys := func(tx *bbolt.Tx, name string) int {
		b := tx.Bucket([]byte(name))
		if b == nil {
			return -1
		}
		return b.Stats().KeyN
	}
	mustNil(t, db.View(func(tx *bbolt.Tx) error {
		tombstones, deletions = keys(tx, "deletedSchedules"), keys(tx, "deletions")
		return nil
	}))
	return tombstones, deletions
}

func TestTombstonesPrunedOnWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dayline.db")
	s, err := bolt.Open(path, testTokens())
	mustNil(t, err)
	ctx := t.Context()
	scs := scheduleFixture(t, s, 3)
	at := time.Date(2026, 3, 30, 8, 0, 0, 0, time.UTC)
	deletedAt := []time.Time{
		at, // pruned by the third deletion
		at.Add(store.DeletedScheduleRetention / 2), // kept
		at.Add(store.DeletedScheduleRetention + time.Second),
	}
	for i, sc := range scs {
		mustNil(t, s.DeleteSchedule(ctx, sc.ID, sc.Version, deletedAt[i]))
	}
	if _, err := s.GetDeletedSchedule(ctx, scs[0].ID); !domain.IsCode(err, domain.CodeNotFound) {
		t.Errorf("tombstone older than the retention: %v, want NotFound", err)
	}
	for _, sc := range scs[1:] {
		got, err := s.GetDeletedSchedule(ctx, sc.ID)
		if err != nil || got.Title != sc.Title || got.Version != sc.Version {
			t.Errorf("tombstone of %s = %+v, %v; want it as deleted", sc.ID, got, err)
		}
	}
	mustNil(t, s.Close())
	if tombs, dels := deletionEntries(t, path); tombs != 2 || dels != 2 {
		t.Errorf("after pruning: %d tombstones, %d deletion entries; want 2 and 2", tombs, dels)
	}
}

// TestTombstoneBucketsCreatedByFirstDelete: a format 2 file without the
// tombstone buckets (every file written before them, and a new one) reads
// as holding no tombstone; the first deletion creates them, without a
// format change.
func TestTombstoneBucketsCreatedByFirstDelete(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dayline.db")
	s, err := bolt.Open(path, testTokens())
	mustNil(t, err)
	scs := scheduleFixture(t, s, 1)
	if _, err := s.GetDeletedSchedule(t.Context(), scs[0].ID); !domain.IsCode(err, domain.CodeNotFound) {
		t.Errorf("GetDeletedSchedule without tombstone buckets: %v, want NotFound", err)
	}
	mustNil(t, s.Close())
	if tombs, dels := deletionEntries(t, path); tombs != -1 || dels != -1 {
		t.Fatalf("before any deletion: tombstone buckets hold %d and %d, want none", tombs, dels)
	}

	s, err = bolt.Open(path, testTokens())
	mustNil(t, err)
	mustNil(t, s.DeleteSchedule(t.Context(), scs[0].ID, scs[0].Version, time.Date(2026, 3, 30, 8, 0, 0, 0, time.UTC)))
	got, err := s.GetDeletedSchedule(t.Context(), scs[0].ID)
	if err != nil || got.ID != scs[0].ID || len(got.Tasks) != 1 || got.Tasks[0].ID != scs[0].Tasks[0].ID {
		t.Errorf("GetDeletedSchedule = %+v, %v; want the schedule with its task", got, err)
	}
	mustNil(t, s.Close())
	names, format := bucketsOf(t, path)
	if format != "2" || !slices.Contains(names, "deletedSchedules") || !slices.Contains(names, "deletions") {
		t.Errorf("after the first deletion: buckets %v, format %q", names, format)
	}
}
