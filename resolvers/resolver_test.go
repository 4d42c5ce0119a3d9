package resolvers

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/dayline/dayline/app"
	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/bolt"
)

// TestResolverServices: a Resolver from New uses the services given; one
// built as api.New builds it (Store, Now, NewID) builds its services once,
// over that store, clock and id generator.
func TestResolverServices(t *testing.T) {
	at := time.Date(2026, 3, 30, 8, 0, 0, 0, time.UTC)
	env := app.Env{Now: func() time.Time { return at }, NewID: func() string { return "ORG1" }}
	tests := []struct {
		name  string
		build func(st *bolt.Store) (r *Resolver, given *app.Services)
	}{
		{"New", func(st *bolt.Store) (*Resolver, *app.Services) {
			s := app.New(st, env)
			return New(s), s
		}},
		{"literal", func(st *bolt.Store) (*Resolver, *app.Services) {
			return &Resolver{Store: st, Now: env.Now, NewID: env.NewID}, nil
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := bolt.Open(filepath.Join(t.TempDir(), "dayline.db"), store.NewPageTokens([]byte("test-secret-0123456789")))
			if err != nil {
				t.Fatalf("open store: %v", err)
			}
			t.Cleanup(func() { st.Close() })
			r, given := tc.build(st)
			first := r.services()
			if given != nil && first != given {
				t.Errorf("services %p, want the given %p", first, given)
			}
			if again := r.services(); again != first {
				t.Errorf("services built twice: %p, then %p", first, again)
			}
			org, err := first.Users.CreateOrganisation(t.Context(), "Zonnehuis", app.NewUser{ID: "admin", Name: "Ada", Email: "ada@example.com"})
			if err != nil {
				t.Fatalf("create organisation: %v", err)
			}
			if org.ID != "ORG1" || !org.CreatedAt.Equal(at) {
				t.Errorf("organisation %s created %v, want ORG1 created %v (the injected id generator and clock)", org.ID, org.CreatedAt, at)
			}
		})
	}
}
