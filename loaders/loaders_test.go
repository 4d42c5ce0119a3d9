package loaders_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/loaders"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
)

// source is a real embedded store that counts GetUsers calls and can be
// made to fail.
type source struct {
	*bolt.Store
	getUsers atomic.Int64
	fail     error
}

func (s *source) GetUsers(ctx context.Context, ids []string) ([]domain.User, error) {
	s.getUsers.Add(1)
	if s.fail != nil {
		return nil, s.fail
	}
	return s.Store.GetUsers(ctx, ids)
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

func TestUsersBatchAndReportMissing(t *testing.T) {
	src := newSource(t)
	l := loaders.New(src, 5*time.Millisecond)
	a, b := l.Users().Load(t.Context(), "u1"), l.Users().Load(t.Context(), "nobody")
	if u, err := a(); err != nil || u.ID != "u1" {
		t.Errorf("u1: %v %v", u, err)
	}
	if _, err := b(); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("missing user: %v, want NotFound", err)
	}
	if n := src.getUsers.Load(); n != 1 {
		t.Errorf("two loads in one window made %d store calls, want 1", n)
	}
}

func TestLoadUsersNowCachesTheOutcome(t *testing.T) {
	t.Run("found", func(t *testing.T) {
		src := newSource(t)
		l := loaders.New(src, time.Hour) // a Load that waited for a batch would hang the test
		l.LoadUsersNow(t.Context(), "u1")
		if u, err := l.Users().Load(t.Context(), "u1")(); err != nil || u.ID != "u1" {
			t.Fatalf("after LoadUsersNow: %v %v", u, err)
		}
		if n := src.getUsers.Load(); n != 1 {
			t.Errorf("%d store calls, want 1", n)
		}
	})
	t.Run("missing", func(t *testing.T) {
		src := newSource(t)
		l := loaders.New(src, time.Hour)
		l.LoadUsersNow(t.Context(), "ghost")
		if _, err := l.Users().Load(t.Context(), "ghost")(); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Fatalf("want NotFound, got %v", err)
		}
	})
	t.Run("store error is not retried", func(t *testing.T) {
		src := newSource(t)
		src.fail = domain.Errorf(domain.CodeUnavailable, "database unavailable")
		l := loaders.New(src, time.Hour)
		l.LoadUsersNow(t.Context(), "u1")
		for range 3 {
			if _, err := l.Users().Load(t.Context(), "u1")(); !errors.Is(err, src.fail) {
				t.Fatalf("want the cached store error, got %v", err)
			}
		}
		if n := src.getUsers.Load(); n != 1 {
			t.Errorf("%d store calls, want 1", n)
		}
	})
}

func TestFromWithoutLoaders(t *testing.T) {
	if _, err := loaders.From(context.Background()); !errors.Is(err, loaders.ErrMissing) {
		t.Errorf("From(empty ctx) = %v, want ErrMissing", err)
	}
}

// TestLoadersCreatedOnFirstUseBatchTogether: fields that ask for the same
// loader at the same moment, before it exists, share one loader and so one
// batched store call.
func TestLoadersCreatedOnFirstUseBatchTogether(t *testing.T) {
	src := newSource(t)
	l := loaders.New(src, 20*time.Millisecond)
	ctx := context.Background()
	start := make(chan struct{})
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			<-start
			_, err := l.Users().Load(ctx, "u1")()
			errs <- err
		}()
	}
	close(start)
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := src.getUsers.Load(); n != 1 {
		t.Errorf("%d GetUsers calls for 8 simultaneous first asks, want 1", n)
	}
	if l.Users() != l.Users() {
		t.Error("Users() returned different loaders")
	}
}
