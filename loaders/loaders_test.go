package loaders_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/loaders"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
)

// source is a real embedded store that counts GetUsers and
// SchedulesByOwners calls (and the keys each GetUsers call got), and can be
// made to fail.
type source struct {
	*bolt.Store
	getUsers          atomic.Int64
	schedulesByOwners atomic.Int64
	fail              error

	mu       sync.Mutex
	userKeys [][]string
	// inGetUsers, when set, is called inside GetUsers before it reads: a
	// test holds the read there to ask for the same keys while it runs.
	inGetUsers func()
}

func (s *source) GetUsers(ctx context.Context, ids []string) ([]domain.User, error) {
	s.getUsers.Add(1)
	s.mu.Lock()
	s.userKeys = append(s.userKeys, slices.Clone(ids))
	s.mu.Unlock()
	if s.inGetUsers != nil {
		s.inGetUsers()
	}
	if s.fail != nil {
		return nil, s.fail
	}
	return s.Store.GetUsers(ctx, ids)
}

func (s *source) SchedulesByOwners(ctx context.Context, ids []string) (map[string][]domain.Schedule, error) {
	s.schedulesByOwners.Add(1)
	return s.Store.SchedulesByOwners(ctx, ids)
}

func newSource(t *testing.T) *source {
	t.Helper()
	st, err := bolt.Open(t.TempDir()+"/d.db", store.NewPageTokens([]byte("loaders-test-secret")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	now := time.Now().UTC()
	admin := domain.User{ID: "u1", OrganisationID: "o", Name: "A", Email: "a@example.com", Role: domain.RoleAdmin, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateOrganisation(t.Context(), domain.Organisation{ID: "o", Name: "O", CreatedAt: now}, admin); err != nil {
		t.Fatal(err)
	}
	return &source{Store: st}
}

// TestLoadManyReadsOnceAndReportsMissing: LoadMany answers every key in
// order (missing ones NotFound) from one store call, reading each distinct
// key once.
func TestLoadManyReadsOnceAndReportsMissing(t *testing.T) {
	src := newSource(t)
	l := loaders.New(src, time.Hour) // LoadMany never waits: a wait would hang the test
	users, errs := l.Users().LoadMany(t.Context(), []string{"u1", "nobody", "u1"})
	if errs[0] != nil || users[0].ID != "u1" || errs[2] != nil || users[2].ID != "u1" {
		t.Errorf("u1: %v %v, %v %v", users[0], errs[0], users[2], errs[2])
	}
	if domain.ErrorCode(errs[1]) != domain.CodeNotFound {
		t.Errorf("missing user: %v, want NotFound", errs[1])
	}
	if n := src.getUsers.Load(); n != 1 {
		t.Errorf("%d store calls, want 1", n)
	}
	if got := src.userKeys[0]; !slices.Equal(got, []string{"u1", "nobody"}) {
		t.Errorf("store asked for %q, want each key once", got)
	}
	// Known keys, found or missing, are never read again.
	if _, errs := l.Users().LoadMany(t.Context(), []string{"nobody", "u1"}); errs[1] != nil || domain.ErrorCode(errs[0]) != domain.CodeNotFound {
		t.Errorf("second LoadMany: %v", errs)
	}
	if u, err := l.Users().LoadNow(t.Context(), "u1"); err != nil || u.ID != "u1" {
		t.Errorf("LoadNow: %v %v", u, err)
	}
	if u, err := l.Users().Load(t.Context(), "u1"); err != nil || u.ID != "u1" {
		t.Errorf("Load: %v %v", u, err)
	}
	if n := src.getUsers.Load(); n != 1 {
		t.Errorf("%d store calls after asking again, want 1", n)
	}
}

// TestLoadManySplitsAtMaxBatch: 250 new keys are 3 store calls of at most
// MaxBatch keys; keys already known are left out of them.
func TestLoadManySplitsAtMaxBatch(t *testing.T) {
	src := newSource(t)
	l := loaders.New(src, time.Hour)
	l.Users().LoadNow(t.Context(), "u1")
	keys := []string{"u1"}
	for i := range 250 {
		keys = append(keys, fmt.Sprintf("ghost-%03d", i))
	}
	users, errs := l.Users().LoadMany(t.Context(), keys)
	if errs[0] != nil || users[0].ID != "u1" {
		t.Errorf("u1: %v %v", users[0], errs[0])
	}
	for i, err := range errs[1:] {
		if domain.ErrorCode(err) != domain.CodeNotFound {
			t.Fatalf("%s: %v, want NotFound", keys[i+1], err)
		}
	}
	var sizes []int
	for _, k := range src.userKeys[1:] {
		sizes = append(sizes, len(k))
		if slices.Contains(k, "u1") {
			t.Errorf("a store call asked again for u1, already known")
		}
	}
	slices.Sort(sizes)
	if !slices.Equal(sizes, []int{50, loaders.MaxBatch, loaders.MaxBatch}) {
		t.Errorf("store calls of %v keys, want [50 100 100]", sizes)
	}
}

// TestConcurrentAsksShareOneRead: once one LoadMany has claimed keys,
// every other ask for them (LoadMany, LoadNow, Load) waits for its read
// instead of making its own. The read is held open until the others have
// started asking, so they are made while it runs by construction, not by
// timing.
func TestConcurrentAsksShareOneRead(t *testing.T) {
	src := newSource(t)
	l := loaders.New(src, time.Hour) // a Load that waited for a batch would hang the test
	reading, release := make(chan struct{}), make(chan struct{})
	src.inGetUsers = func() {
		close(reading)
		<-release
	}
	ctx := t.Context()
	type outcome struct {
		id  string
		err error
	}
	results := make(chan outcome, 4)
	go func() {
		u, errs := l.Users().LoadMany(ctx, []string{"u1", "nobody"})
		results <- outcome{u[0].ID, errs[0]}
	}()
	<-reading // u1 and nobody are claimed and being read
	var asked sync.WaitGroup
	asked.Add(3)
	go func() {
		asked.Done()
		u, errs := l.Users().LoadMany(ctx, []string{"nobody", "u1"})
		results <- outcome{u[1].ID, errs[1]}
	}()
	go func() {
		asked.Done()
		u, err := l.Users().LoadNow(ctx, "u1")
		results <- outcome{u.ID, err}
	}()
	go func() {
		asked.Done()
		u, err := l.Users().Load(ctx, "u1")
		results <- outcome{u.ID, err}
	}()
	asked.Wait()
	src.inGetUsers = nil
	close(release)
	for range 4 {
		if r := <-results; r.err != nil || r.id != "u1" {
			t.Errorf("got %q, %v; want u1", r.id, r.err)
		}
	}
	if n := src.getUsers.Load(); n != 1 {
		t.Errorf("%d GetUsers calls, want 1", n)
	}
}

// TestLoadBatchesOneKeyAsks: Loads of new keys, one key each from
// separate goroutines, join one batch, read in one store call when it holds
// MaxBatch keys (the wait is an hour: the full batch, not a timer, starts
// the read).
func TestLoadBatchesOneKeyAsks(t *testing.T) {
	src := newSource(t)
	l := loaders.New(src, time.Hour)
	type outcome struct {
		id  string
		err error
	}
	results := make(chan outcome, loaders.MaxBatch)
	for i := range loaders.MaxBatch {
		id := fmt.Sprintf("ghost-%03d", i)
		if i == 0 {
			id = "u1"
		}
		go func() {
			u, err := l.Users().Load(t.Context(), id)
			results <- outcome{u.ID, err}
		}()
	}
	found := 0
	for range loaders.MaxBatch {
		r := <-results
		switch {
		case r.err == nil && r.id == "u1":
			found++
		case domain.ErrorCode(r.err) != domain.CodeNotFound:
			t.Errorf("got %q, %v; want u1 or NotFound", r.id, r.err)
		}
	}
	if found != 1 {
		t.Errorf("u1 found %d times, want 1", found)
	}
	if n := src.getUsers.Load(); n != 1 {
		t.Errorf("%d store calls for one full batch, want 1", n)
	}
}

// TestDaysShareOwnerSchedules: an agenda (Days) and a list of schedules
// (OwnerSchedules) of the same owners read the owners' schedules once.
func TestDaysShareOwnerSchedules(t *testing.T) {
	src := newSource(t)
	l := loaders.New(src, time.Hour)
	keys := []domain.OwnerDate{{OwnerID: "u1", Day: "2026-03-30"}, {OwnerID: "u2", Day: "2026-03-30"}}
	days, errs := l.Days(t.Context(), keys)
	if len(days) != 2 || errs[0] != nil || errs[1] != nil {
		t.Fatalf("Days: %v %v", days, errs)
	}
	if _, errs := l.OwnerSchedules().LoadMany(t.Context(), []string{"u2", "u1"}); errs[0] != nil || errs[1] != nil {
		t.Fatalf("OwnerSchedules: %v", errs)
	}
	if _, err := l.Day(t.Context(), keys[0]); err != nil {
		t.Fatalf("Day: %v", err)
	}
	if n := src.schedulesByOwners.Load(); n != 1 {
		t.Errorf("%d SchedulesByOwners calls, want 1", n)
	}
}

// TestPrimeAndReplace: Prime records a value unless the key is known;
// Replace always does. Neither reads.
func TestPrimeAndReplace(t *testing.T) {
	src := newSource(t)
	l := loaders.New(src, time.Hour)
	l.Users().Prime("p", domain.User{ID: "p", Name: "primed"})
	l.Users().Prime("p", domain.User{ID: "p", Name: "ignored"})
	if u, err := l.Users().Load(t.Context(), "p"); err != nil || u.Name != "primed" {
		t.Errorf("after Prime: %v %v", u, err)
	}
	l.Users().Replace("p", domain.User{ID: "p", Name: "replaced"})
	if u, err := l.Users().LoadNow(t.Context(), "p"); err != nil || u.Name != "replaced" {
		t.Errorf("after Replace: %v %v", u, err)
	}
	if n := src.getUsers.Load(); n != 0 {
		t.Errorf("%d store calls, want 0", n)
	}
}

func TestLoadNowCachesTheOutcome(t *testing.T) {
	t.Run("found", func(t *testing.T) {
		src := newSource(t)
		l := loaders.New(src, time.Hour) // a Load that waited for a batch would hang the test
		l.Users().LoadNow(t.Context(), "u1")
		if u, err := l.Users().Load(t.Context(), "u1"); err != nil || u.ID != "u1" {
			t.Fatalf("after LoadNow: %v %v", u, err)
		}
		if n := src.getUsers.Load(); n != 1 {
			t.Errorf("%d store calls, want 1", n)
		}
	})
	t.Run("missing", func(t *testing.T) {
		src := newSource(t)
		l := loaders.New(src, time.Hour)
		l.Users().LoadNow(t.Context(), "ghost")
		if _, err := l.Users().Load(t.Context(), "ghost"); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Fatalf("want NotFound, got %v", err)
		}
	})
	t.Run("store error is not retried", func(t *testing.T) {
		src := newSource(t)
		src.fail = domain.Errorf(domain.CodeUnavailable, "database unavailable")
		l := loaders.New(src, time.Hour)
		l.Users().LoadNow(t.Context(), "u1")
		for range 3 {
			if _, err := l.Users().Load(t.Context(), "u1"); !errors.Is(err, src.fail) {
				t.Fatalf("want the cached store error, got %v", err)
			}
			if _, errs := l.Users().LoadMany(t.Context(), []string{"u1"}); !errors.Is(errs[0], src.fail) {
				t.Fatalf("want the cached store error, got %v", errs[0])
			}
		}
		if n := src.getUsers.Load(); n != 1 {
			t.Errorf("%d store calls, want 1", n)
		}
	})
	t.Run("a panicking read is every key's error", func(t *testing.T) {
		src := newSource(t)
		src.inGetUsers = func() { panic("boom") }
		l := loaders.New(src, time.Hour)
		_, errs := l.Users().LoadMany(t.Context(), []string{"u1", "u2"})
		for _, err := range errs {
			if err == nil {
				t.Fatal("want an error from the panicking read")
			}
		}
	})
}

func TestFromWithoutLoaders(t *testing.T) {
	if _, err := loaders.From(context.Background()); !errors.Is(err, loaders.ErrMissing) {
		t.Errorf("From(empty ctx) = %v, want ErrMissing", err)
	}
}

// TestDayBatchesRootAsks: Day asks of root fields (one key each, from
// separate goroutines) join one batch, read with one SchedulesByOwners call
// once it holds MaxBatch keys (the wait is an hour: the full batch, not a
// timer, starts the read).
func TestDayBatchesRootAsks(t *testing.T) {
	src := newSource(t)
	l := loaders.New(src, time.Hour)
	errs := make(chan error, loaders.MaxBatch)
	for i := range loaders.MaxBatch {
		go func() {
			_, err := l.Day(t.Context(), domain.OwnerDate{OwnerID: fmt.Sprintf("owner-%03d", i), Day: "2026-03-30"})
			errs <- err
		}()
	}
	for range loaders.MaxBatch {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := src.schedulesByOwners.Load(); n != 1 {
		t.Errorf("%d SchedulesByOwners calls for one full batch, want 1", n)
	}
}

// TestImmediateLoadsReadAtOnce: loads of NewImmediate loaders go to the
// store as they are asked, each in its own call, never waiting to collect
// a batch: whichever key's read comes first waits for a second call, so
// only loads that read at once can finish (a batching loader would put
// both keys in one call, and hang).
// Asked again, a key is answered from the first read.
func TestImmediateLoadsReadAtOnce(t *testing.T) {
	src := newSource(t)
	second := make(chan struct{})
	var calls atomic.Int32
	src.inGetUsers = func() {
		if calls.Add(1) == 1 {
			<-second
		} else {
			close(second)
		}
	}
	l := loaders.NewImmediate(src)
	first := make(chan error, 1)
	go func() {
		_, err := l.Users().Load(t.Context(), "u1")
		first <- err
	}()
	if _, err := l.Users().Load(t.Context(), "nobody"); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Fatalf("Load(nobody): %v, want NotFound", err)
	}
	if err := <-first; err != nil {
		t.Fatalf("Load(u1): %v", err)
	}
	src.inGetUsers = nil
	if u, err := l.Users().Load(t.Context(), "u1"); err != nil || u.ID != "u1" {
		t.Fatalf("Load(u1) again: %v, %v", u, err)
	}
	keys := slices.Concat(src.userKeys...)
	slices.Sort(keys)
	if n := src.getUsers.Load(); n != 2 || !slices.Equal(keys, []string{"nobody", "u1"}) {
		t.Errorf("%d GetUsers calls with keys %v, want 2: one for u1, one for nobody", n, src.userKeys)
	}
	for range 2 {
		if _, err := l.Day(t.Context(), domain.OwnerDate{OwnerID: "u1", Day: "2026-03-30"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := src.schedulesByOwners.Load(); n != 1 {
		t.Errorf("%d SchedulesByOwners calls for one day asked twice, want 1", n)
	}
}
