package bolt

import (
	"context"
	"fmt"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

// FindUsersByEmail returns every user, in any organisation, whose email
// equals email case-insensitively. It reads every user: it serves admin
// verbs (`dayline token --user <email>`), never a request path.
func (s *Store) FindUsersByEmail(ctx context.Context, email string) ([]domain.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("find users by email: %w", err)
	}
	want := domain.NormalizedEmail(scalars.Email(email))
	var out []domain.User
	err := s.view(func(t *txn) error {
		return t.users().ForEach(func(k, raw []byte) error {
			u, err := decodeRecord[userRecord](raw)
			if err != nil {
				return fmt.Errorf("record %q: %w", k, err)
			}
			if domain.NormalizedEmail(u.Email) == want {
				out = append(out, u)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("find users by email: %w", err)
	}
	return out, nil
}
