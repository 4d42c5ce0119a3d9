package bolt_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	bbolt "go.etcd.io/bbolt"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store/bolt"
)

var writeV1 = flag.Bool("write-v1-fixture", false, "rewrite testdata/v1.db with this commit's store (format 1 only)")

// TestWriteV1Fixture writes testdata/v1.db: v1DataSet stored through the
// public API of the format-1 store, the way a running dayline wrote it
// (the moved user and the evening schedule reach their versions through
// updates). Run it only at the commit that still writes format 1.
func TestWriteV1Fixture(t *testing.T) {
	if !*writeV1 {
		t.Skip("pass -write-v1-fixture to rewrite testdata/v1.db")
	}
	ctx := t.Context()
	data := v1DataSet()
	raw := filepath.Join(t.TempDir(), "raw.db")
	s, err := bolt.Open(raw, testTokens())
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.CreateOrganisation(ctx, data.org, data.users[0]))
	for _, u := range data.users[1:] {
		if u.Version == 2 {
			first := u
			first.Version, first.Email, first.UpdatedAt = 1, "dewi@zonnehuis.example", u.CreatedAt
			must(s.CreateUser(ctx, first))
			must(s.UpdateUser(ctx, u, 1))
			continue
		}
		must(s.CreateUser(ctx, u))
	}
	for _, sc := range data.schedules {
		if sc.Version == 3 {
			v1 := sc
			v1.Version, v1.UpdatedAt = 1, sc.CreatedAt
			v1.Tasks = []domain.Task{
				{ID: "01JQ00000000000000000TSKC0", ScheduleID: sc.ID, Title: "Dinner", StartTime: "18:00", DurationMinutes: 45, Position: 0},
				sc.Tasks[1],
			}
			v1.Tasks[1].Position = 1
			must(s.CreateSchedule(ctx, v1))
			v2 := v1
			v2.Version, v2.Title = 2, "Evening routine"
			must(s.UpdateSchedule(ctx, v2, 1))
			must(s.UpdateSchedule(ctx, sc, 2))
			continue
		}
		must(s.CreateSchedule(ctx, sc))
	}
	for _, c := range data.completions {
		_, err := s.PutCompletion(ctx, c)
		must(err)
	}
	must(s.Close())

	// Compact into the fixture so it holds no free pages.
	out := filepath.Join("testdata", "v1.db")
	must(os.Remove(out))
	src, err := bbolt.Open(raw, 0o600, nil)
	must(err)
	defer src.Close()
	dst, err := bbolt.Open(out, 0o600, nil)
	must(err)
	must(bbolt.Compact(dst, src, 0))
	must(dst.Close())
}
