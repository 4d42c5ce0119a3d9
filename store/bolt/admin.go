package bolt

import (
	"context"
	"fmt"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
	"github.com/dayline/dayline/store"
)

// FindUsersByEmail returns every user, in any organisation, whose email
// equals email case-insensitively. It reads the whole database: it serves
// admin verbs (`dayline token --user <email>`), never a request path.
func (s *Store) FindUsersByEmail(ctx context.Context, email string) ([]domain.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("find users by email: %w", err)
	}
	want := domain.NormalizedEmail(scalars.Email(email))
	var out []domain.User
	err := s.view(func(t txn) error {
		return t.items.ForEach(func(_, raw []byte) error {
			head, err := decodeRecord[anyData](raw, anyType)
			if err != nil || head.Type != store.TypeUser {
				return err
			}
			r, err := decodeRecord[domain.User](raw, store.TypeUser)
			if err != nil {
				return err
			}
			if domain.NormalizedEmail(r.Data.Email) == want {
				out = append(out, r.Data)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("find users by email: %w", err)
	}
	return out, nil
}
