package bolt_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
)

// testdata/v1.db is a format 1 file holding v1DataSet, written through the
// store's API by the format 1 code: commit 75512b9, with
// `go test ./store/bolt -run TestWriteV1Fixture -write-v1-fixture`.

// copyV1 copies testdata/v1.db into a temporary directory and returns the
// copy's path and the fixture's bytes.
func copyV1(tb testing.TB) (string, []byte) {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "v1.db"))
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "dayline.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path, raw
}

// same fails t unless got deep-equals want.
func same[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// bucketsOf returns the top-level bucket names of the file at path and the
// format stored in its meta bucket ("" if none).
func bucketsOf(t *testing.T, path string) (names []string, format string) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			names = append(names, string(name))
			if string(name) == "meta" {
				format = string(b.Get([]byte("format")))
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return names, format
}

func TestOpenMigratesFormat1(t *testing.T) {
	ctx := t.Context()
	path, fixture := copyV1(t)
	data := v1DataSet()
	migrated, err := bolt.Open(path, testTokens())
	mustNil(t, err)
	mustNil(t, migrated.Close())

	// The file is format 2 now, and the format 1 file is kept beside it.
	names, format := bucketsOf(t, path)
	if format != "2" || slices.Contains(names, "items") || slices.Contains(names, "gsi1") {
		t.Errorf("after migration: buckets %v, format %q; want format 2 without items and gsi1", names, format)
	}
	if names, format := bucketsOf(t, path+".format1.bak"); format != "" || !slices.Equal(names, []string{"gsi1", "items"}) {
		t.Errorf("backup %s.format1.bak: buckets %v, format %q; want format 1's", path, names, format)
	}
	if backup, err := os.ReadFile(path + ".format1.bak"); err != nil || !bytes.Equal(backup, fixture) {
		t.Errorf("the backup does not hold the format 1 file's bytes (%v)", err)
	}
	if _, err := os.Stat(path + ".format1.bak.tmp"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the backup's temporary file is left: %v", err)
	}

	s := openAt(t, path) // a format 2 file opens as it is
	t.Run("values", func(t *testing.T) {
		orgs, err := s.GetOrganisations(ctx, []string{data.org.ID})
		mustNil(t, err)
		same(t, "organisations", orgs, []domain.Organisation{data.org})

		users, err := s.GetUsers(ctx, idsOfUsers(data.users))
		mustNil(t, err)
		same(t, "users", users, data.users)
		if users[2].Phone == nil || *users[2].Phone != "+31612345678" {
			t.Errorf("phone of %s = %v", users[2].ID, users[2].Phone)
		}

		schedules, err := s.GetSchedules(ctx, []string{data.schedules[0].ID, data.schedules[1].ID, data.schedules[2].ID})
		mustNil(t, err)
		same(t, "schedules", schedules, data.schedules)

		var taskIDs []string
		var wantRefs []domain.TaskRef
		for _, sc := range data.schedules {
			for _, task := range sc.Tasks {
				taskIDs = append(taskIDs, task.ID)
				wantRefs = append(wantRefs, domain.TaskRef{TaskID: task.ID, ScheduleID: sc.ID, OwnerID: sc.OwnerID, OrganisationID: sc.OrganisationID})
			}
		}
		refs, err := s.GetTaskRefs(ctx, append(taskIDs, "01JQ00000000000000000TSKC0"))
		mustNil(t, err)
		same(t, "task refs (the removed task's omitted)", refs, wantRefs)

		member, moved := data.users[2].ID, data.users[3].ID
		days := []domain.OwnerDate{{OwnerID: member, Day: "2026-03-09"}, {OwnerID: moved, Day: "2026-03-14"}, {OwnerID: member, Day: "2026-03-10"}}
		done, err := s.CompletionsOn(ctx, days)
		mustNil(t, err)
		same(t, "completions", done, map[domain.OwnerDate][]domain.Completion{
			days[0]: data.completions[:2], days[1]: data.completions[2:], days[2]: {},
		})
	})

	t.Run("lists", func(t *testing.T) {
		var got []domain.User
		token := ""
		for pages := 1; ; pages++ {
			p, err := s.ListMembers(ctx, data.org.ID, domain.PageRequest{Limit: 1, NextToken: token})
			mustNil(t, err)
			got = append(got, p.Items...)
			if p.NextToken == nil {
				if pages != len(data.users) {
					t.Errorf("%d pages of one, want %d", pages, len(data.users))
				}
				break
			}
			token = *p.NextToken
		}
		same(t, "members in creation order", got, data.users)

		byOwner, err := s.SchedulesByOwners(ctx, []string{data.users[2].ID, data.users[3].ID, data.users[0].ID})
		mustNil(t, err)
		same(t, "schedules by owner", byOwner, map[string][]domain.Schedule{
			data.users[2].ID: data.schedules[:2], data.users[3].ID: data.schedules[2:], data.users[0].ID: {},
		})
		first, err := s.ListSchedules(ctx, data.users[2].ID, domain.PageRequest{Limit: 1})
		mustNil(t, err)
		if first.NextToken == nil {
			t.Fatal("first page of two schedules has no nextToken")
		}
		second, err := s.ListSchedules(ctx, data.users[2].ID, domain.PageRequest{Limit: 1, NextToken: *first.NextToken})
		mustNil(t, err)
		same(t, "schedule pages", [][]domain.Schedule{first.Items, second.Items}, [][]domain.Schedule{data.schedules[:1], data.schedules[1:2]})
		if second.NextToken != nil {
			t.Error("last schedule page has a nextToken")
		}
	})

	t.Run("writes", func(t *testing.T) {
		now := time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC)
		newUser := func(id, email string) domain.User {
			return domain.User{ID: id, OrganisationID: data.org.ID, Name: "New", Email: scalars.Email(email),
				Role: domain.RoleMember, Version: 1, CreatedAt: now, UpdatedAt: now}
		}
		// Email claims survived (case-insensitively); the moved user's
		// old email was released by format 1 and stays free.
		taken := newUser("new-1", "ANNA@zonnehuis.example")
		if err := s.CreateUser(ctx, taken); domain.ErrorMessage(err) != store.EmailTaken(taken.Email).Message {
			t.Errorf("CreateUser with a taken email: %v, want %q", err, store.EmailTaken(taken.Email).Message)
		}
		mustNil(t, s.CreateUser(ctx, newUser("new-2", "dewi@zonnehuis.example")))

		// Versions carry over: the evening schedule is at version 3.
		evening := data.schedules[2]
		next := evening
		next.Title, next.Version = "Late evening", 3
		if err := s.UpdateSchedule(ctx, next, 2); !domain.IsCode(err, domain.CodeConflict) {
			t.Errorf("UpdateSchedule at version 2: %v, want Conflict", err)
		}
		next.Version = 4
		mustNil(t, s.UpdateSchedule(ctx, next, 3))

		// Task ids stay claimed by their schedules.
		stolen := domain.Schedule{ID: "01JQ00000000000000000SCHD1", OrganisationID: data.org.ID, OwnerID: data.users[2].ID,
			Title: "Copy", Timezone: "Europe/Amsterdam", Days: []domain.Weekday{domain.Monday}, Active: true, Version: 1,
			CreatedAt: now, UpdatedAt: now, Tasks: []domain.Task{{ID: "01JQ00000000000000000TSKA1", ScheduleID: "01JQ00000000000000000SCHD1", Title: "x", StartTime: "09:00"}}}
		if err := s.CreateSchedule(ctx, stolen); domain.ErrorMessage(err) != store.TaskInOtherSchedule("01JQ00000000000000000TSKA1").Message {
			t.Errorf("CreateSchedule with a migrated task id: %v", err)
		}

		// The member's two schedules count towards the per-owner limit.
		for i := range domain.MaxSchedulesPerOwner - 2 {
			sc := stolen
			sc.ID = "01JQ0000000000000000SCHE" + string(rune('A'+i/10)) + string(rune('0'+i%10))
			sc.Tasks = nil
			mustNil(t, s.CreateSchedule(ctx, sc))
		}
		over := stolen
		over.ID, over.Tasks = "01JQ00000000000000000SCHF1", nil
		if err := s.CreateSchedule(ctx, over); !domain.IsCode(err, domain.CodeBadRequest) {
			t.Errorf("CreateSchedule past the limit: %v, want TooManySchedules", err)
		}

		// Deleting a migrated user removes what it owns.
		moved := data.users[3]
		mustNil(t, s.DeleteUser(ctx, moved.ID, moved.Version))
		left, err := s.GetSchedules(ctx, []string{evening.ID})
		mustNil(t, err)
		done, err := s.CompletionsOn(ctx, []domain.OwnerDate{{OwnerID: moved.ID, Day: "2026-03-14"}})
		mustNil(t, err)
		if len(left) != 0 || len(done[domain.OwnerDate{OwnerID: moved.ID, Day: "2026-03-14"}]) != 0 {
			t.Errorf("after DeleteUser: schedules %v, completions %v", left, done)
		}
		mustNil(t, s.CreateUser(ctx, newUser("new-3", "DEWI.smit@zonnehuis.example")))
	})
}

func idsOfUsers(users []domain.User) []string {
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	return ids
}

func mustNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestFailedMigrationLeavesFileIntact(t *testing.T) {
	path, _ := copyV1(t)
	db, err := bbolt.Open(path, 0o600, nil)
	mustNil(t, err)
	mustNil(t, db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte("items")).Put([]byte("WHAT#1\x00WHAT"), []byte(`{"pk":"WHAT#1","sk":"WHAT","type":"Unknown","id":"1","data":{}}`))
	}))
	mustNil(t, db.Close())
	before, err := os.ReadFile(path)
	mustNil(t, err)

	s, err := bolt.Open(path, testTokens())
	if err == nil {
		s.Close()
		t.Fatal("Open migrated a file with an unknown item")
	}
	if !strings.Contains(err.Error(), "migrate from format 1") || !strings.Contains(err.Error(), `unknown type "Unknown"`) {
		t.Errorf("error %q does not say that the migration failed and why", err)
	}
	after, err := os.ReadFile(path)
	mustNil(t, err)
	if !bytes.Equal(before, after) {
		t.Error("the failed migration changed the file")
	}
	if names, format := bucketsOf(t, path); format != "" || !slices.Contains(names, "items") {
		t.Errorf("after the failed migration: buckets %v, format %q; want format 1", names, format)
	}
}

func TestOpenRefusesOtherFormats(t *testing.T) {
	tests := []struct {
		name    string
		buckets map[string]string // bucket -> format (meta only)
		want    error
		message string
	}{
		{"newer format", map[string]string{"meta": "3"}, bolt.ErrNewerFormat, "format 3, this dayline reads format 2 and older"},
		{"garbled format", map[string]string{"meta": "two"}, bolt.ErrNotDayline, `"two"`},
		{"other bbolt file", map[string]string{"settings": ""}, bolt.ErrNotDayline, "no format version"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "dayline.db")
			db, err := bbolt.Open(path, 0o600, nil)
			mustNil(t, err)
			mustNil(t, db.Update(func(tx *bbolt.Tx) error {
				for name, format := range tc.buckets {
					b, err := tx.CreateBucket([]byte(name))
					if err != nil {
						return err
					}
					if name == "meta" {
						if err := b.Put([]byte("format"), []byte(format)); err != nil {
							return err
						}
					}
				}
				return nil
			}))
			mustNil(t, db.Close())
			before, err := os.ReadFile(path)
			mustNil(t, err)

			s, err := bolt.Open(path, testTokens())
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.message) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q, want one wrapping %q, naming the file and saying %q", err, tc.want, tc.message)
			}
			after, err := os.ReadFile(path)
			mustNil(t, err)
			if !bytes.Equal(before, after) {
				t.Error("Open changed the file")
			}
		})
	}
}

func TestNewFileHasCurrentFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dayline.db")
	s, err := bolt.Open(path, testTokens())
	mustNil(t, err)
	mustNil(t, s.Close())
	names, format := bucketsOf(t, path)
	if format != "2" || slices.Contains(names, "items") {
		t.Errorf("new file: buckets %v, format %q; want format 2", names, format)
	}
	if _, err := os.Stat(path + ".format1.bak"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a new file got a format 1 backup: %v", err)
	}
	openAt(t, path) // and reopens
}

// migratedV1 returns the path of a migrated copy of testdata/v1.db.
func migratedV1(t *testing.T) string {
	t.Helper()
	path, _ := copyV1(t)
	s, err := bolt.Open(path, testTokens())
	mustNil(t, err)
	mustNil(t, s.Close())
	return path
}

// openAsFormat1Code does to the file at path what the format 1 code's Open
// did (commit d3cef89, store/bolt/db.go): create the buckets items and
// gsi1 if missing; then it puts the items given (pk 0x00 sk -> JSON item)
// and their gsi1 entries, as that code's writes did.
func openAsFormat1Code(t *testing.T, path string, items map[string]string) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, nil)
	mustNil(t, err)
	mustNil(t, db.Update(func(tx *bbolt.Tx) error {
		table, err := tx.CreateBucketIfNotExists([]byte("items"))
		if err != nil {
			return err
		}
		index, err := tx.CreateBucketIfNotExists([]byte("gsi1"))
		if err != nil {
			return err
		}
		for key, item := range items {
			if err := table.Put([]byte(key), []byte(item)); err != nil {
				return err
			}
			if err := index.Put([]byte("ORGS\x00"+key), []byte(key)); err != nil {
				return err
			}
		}
		return nil
	}))
	mustNil(t, db.Close())
}

func TestOpenRefusesWritesOfOlderDayline(t *testing.T) {
	path := migratedV1(t)
	openAsFormat1Code(t, path, map[string]string{
		"ORG#o9\x00ORG": `{"pk":"ORG#o9","sk":"ORG","type":"Organisation","id":"o9","gsi1pk":"ORGS","gsi1sk":"ORG#o9",` +
			`"data":{"id":"o9","name":"Written by the older dayline","createdAt":"2026-04-01T10:00:00Z"}}`,
	})
	before, err := os.ReadFile(path)
	mustNil(t, err)

	s, err := bolt.Open(path, testTokens())
	if err == nil {
		s.Close()
		t.Fatal("Open ignored the older dayline's writes")
	}
	for _, want := range []string{"hold 1 and 1 entries", path + ".format1.bak", "delete the buckets items and gsi1"} {
		if !errors.Is(err, bolt.ErrWrittenByOlderDayline) || !strings.Contains(err.Error(), want) {
			t.Errorf("error %q, want one wrapping ErrWrittenByOlderDayline and saying %q", err, want)
		}
	}
	after, err := os.ReadFile(path)
	mustNil(t, err)
	if !bytes.Equal(before, after) {
		t.Error("Open changed the file")
	}
}

func TestOpenDropsEmptyBucketsOfOlderDayline(t *testing.T) {
	path := migratedV1(t)
	openAsFormat1Code(t, path, nil) // opened by an older dayline that wrote nothing
	s := openAt(t, path)
	orgs, err := s.GetOrganisations(t.Context(), []string{v1DataSet().org.ID})
	mustNil(t, err)
	if len(orgs) != 1 {
		t.Errorf("organisations after reopening: %v", orgs)
	}
	mustNil(t, s.Close())
	if names, format := bucketsOf(t, path); format != "2" || slices.Contains(names, "items") || slices.Contains(names, "gsi1") {
		t.Errorf("buckets %v, format %q; want format 2 without items and gsi1", names, format)
	}
}

func TestOpenOfCurrentFormatWritesNothing(t *testing.T) {
	path := migratedV1(t)
	before, err := os.ReadFile(path)
	mustNil(t, err)
	s, err := bolt.Open(path, testTokens())
	mustNil(t, err)
	mustNil(t, s.Close())
	after, err := os.ReadFile(path)
	mustNil(t, err)
	if !bytes.Equal(before, after) {
		t.Error("opening a file in the current format changed it")
	}
}

func TestMigrationKeepsExistingBackup(t *testing.T) {
	t.Run("another file", func(t *testing.T) {
		path, fixture := copyV1(t)
		backup := path + ".format1.bak"
		older := []byte("an earlier backup")
		mustNil(t, os.WriteFile(backup, older, 0o600))

		s, err := bolt.Open(path, testTokens())
		if err == nil {
			s.Close()
			t.Fatal("Open migrated the file although its backup path was taken")
		}
		if !errors.Is(err, bolt.ErrBackupExists) || !strings.Contains(err.Error(), backup) {
			t.Errorf("error %q, want one wrapping ErrBackupExists and naming %s", err, backup)
		}
		if got, err := os.ReadFile(backup); err != nil || !bytes.Equal(got, older) {
			t.Errorf("the existing backup was changed (%v)", err)
		}
		if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, fixture) {
			t.Errorf("the file was changed (%v)", err)
		}
	})
	t.Run("a copy of the file", func(t *testing.T) {
		// An earlier attempt copied the file, then its migration failed.
		path, fixture := copyV1(t)
		mustNil(t, os.WriteFile(path+".format1.bak", fixture, 0o600))
		s, err := bolt.Open(path, testTokens())
		mustNil(t, err)
		mustNil(t, s.Close())
		if _, format := bucketsOf(t, path); format != "2" {
			t.Errorf("format %q after migration, want 2", format)
		}
		if got, err := os.ReadFile(path + ".format1.bak"); err != nil || !bytes.Equal(got, fixture) {
			t.Errorf("the backup was changed (%v)", err)
		}
	})
}
