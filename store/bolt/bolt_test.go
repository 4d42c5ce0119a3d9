package bolt_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
	"github.com/dayline/dayline/store/storetest"
)

func testTokens() *store.PageTokens { return store.NewPageTokens([]byte("test-secret-0123456789")) }

// openAt opens the store at path and closes it when tb ends.
func openAt(tb testing.TB, path string) *bolt.Store {
	tb.Helper()
	s, err := bolt.Open(path, testTokens())
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

// openTemp opens a fresh store in a temporary directory.
func openTemp(tb testing.TB) *bolt.Store {
	tb.Helper()
	return openAt(tb, filepath.Join(tb.TempDir(), "dayline.db"))
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

func TestOpenCreatesParentDirectory(t *testing.T) {
	openAt(t, filepath.Join(t.TempDir(), "nested", "data", "dayline.db"))
}

func TestOpenRequiresPageTokens(t *testing.T) {
	s, err := bolt.Open(filepath.Join(t.TempDir(), "dayline.db"), nil)
	if err == nil {
		s.Close()
		t.Fatal("Open with nil page tokens succeeded")
	}
}

func TestReopenPersists(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "dayline.db")
	created := time.Date(2026, 3, 29, 7, 30, 0, 123456789, time.UTC)
	org := domain.Organisation{ID: "org-1", Name: "Zonnehuis", CreatedAt: created}
	admin := domain.User{ID: "user-1", OrganisationID: org.ID, Name: "Ann", Email: "ann@example.com",
		Role: domain.RoleAdmin, Version: 1, CreatedAt: created, UpdatedAt: created}
	member := admin
	member.ID, member.Email, member.Role = "user-2", "bob@example.com", domain.RoleMember

	first, err := bolt.Open(path, testTokens())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := first.CreateOrganisation(ctx, org, admin); err != nil {
		t.Fatalf("CreateOrganisation: %v", err)
	}
	if err := first.CreateUser(ctx, member); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	page, err := first.ListMembers(ctx, org.ID, domain.PageRequest{Limit: 1})
	if err != nil || page.NextToken == nil {
		t.Fatalf("ListMembers: %v (next %v)", err, page.NextToken)
	}
	if err := first.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	second := openAt(t, path)
	orgs, err := second.GetOrganisations(ctx, []string{org.ID})
	if err != nil || len(orgs) != 1 || orgs[0].Name != org.Name || !orgs[0].CreatedAt.Equal(created) {
		t.Errorf("organisation after reopen = %+v, %v", orgs, err)
	}
	// A token issued before the restart still pages on.
	rest, err := second.ListMembers(ctx, org.ID, domain.PageRequest{Limit: 1, NextToken: *page.NextToken})
	if err != nil || len(rest.Items) != 1 || rest.Items[0].ID != member.ID || rest.NextToken != nil {
		t.Errorf("second page after reopen = %+v, %v", rest, err)
	}
	// The email claim survived too.
	clash := member
	clash.ID = "user-3"
	if err := second.CreateUser(ctx, clash); !domain.IsCode(err, domain.CodeConflict) {
		t.Errorf("CreateUser with a taken email after reopen: %v, want Conflict", err)
	}
}

func TestOpenLockedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dayline.db")
	holder, err := bolt.Open(path, testTokens())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}

	// Open gives up (bbolt's lock timeout) instead of waiting for the
	// holder: the error says so, however long the wait took.
	s, err := bolt.Open(path, testTokens())
	if err == nil {
		s.Close()
		t.Fatal("second Open of a held file succeeded")
	}
	if !errors.Is(err, bolt.ErrLocked) || !errors.Is(err, bbolt.ErrTimeout) || !strings.Contains(err.Error(), path) {
		t.Errorf("error = %q, want one wrapping ErrLocked and bbolt.ErrTimeout and naming %s", err, path)
	}

	if err := holder.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	openAt(t, path) // free again
}

func TestFindUsersByEmail(t *testing.T) {
	st := openTemp(t)
	now := time.Now()
	for _, org := range []string{"o1", "o2"} {
		admin := domain.User{ID: org + "-admin", OrganisationID: org, Name: "A", Email: "Same@Example.com",
			Role: domain.RoleAdmin, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := st.CreateOrganisation(t.Context(), domain.Organisation{ID: org, Name: org, CreatedAt: now}, admin); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.FindUsersByEmail(t.Context(), "same@example.COM")
	if err != nil || len(got) != 2 {
		t.Fatalf("FindUsersByEmail = %v, %v; want both admins", got, err)
	}
	if got, err := st.FindUsersByEmail(t.Context(), "nobody@example.com"); err != nil || len(got) != 0 {
		t.Fatalf("unknown email: %v, %v", got, err)
	}
}
