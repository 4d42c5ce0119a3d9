package bolt

import (
	"bytes"
	"context"
	"fmt"

	bbolt "go.etcd.io/bbolt"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// CreateOrganisation stores org and its first admin in one transaction.
// It returns a Conflict error if the organisation or user id exists already
// or the admin's email is taken in the organisation; nothing is written then.
func (s *Store) CreateOrganisation(ctx context.Context, org domain.Organisation, admin domain.User) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("create organisation %s: %w", org.ID, err)
	}
	err := s.update(func(t *txn) error {
		if t.orgs().Get(idKey(org.ID)) != nil {
			return domain.Taken("organisation", org.ID)
		}
		if err := t.putOrganisation(org); err != nil {
			return err
		}
		return t.insertUser(admin)
	})
	if err != nil {
		return fmt.Errorf("create organisation %s: %w", org.ID, err)
	}
	return nil
}

// GetOrganisations returns the organisations with these ids, in the order
// of their first mention; missing ids are omitted, duplicates return one
// organisation. Errors are internal.
func (s *Store) GetOrganisations(ctx context.Context, ids []string) ([]domain.Organisation, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("get organisations: %w", err)
	}
	out, err := getMany[organisationRecord](s, func(t *txn) *bbolt.Bucket { return t.orgs() }, ids)
	if err != nil {
		return nil, fmt.Errorf("get organisations: %w", err)
	}
	return out, nil
}

// GetUsers returns the users with these ids, in the order of their first
// mention; missing ids are omitted, duplicates return one user. Errors are
// internal.
func (s *Store) GetUsers(ctx context.Context, ids []string) ([]domain.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("get users: %w", err)
	}
	out, err := getMany[userRecord](s, func(t *txn) *bbolt.Bucket { return t.users() }, ids)
	if err != nil {
		return nil, fmt.Errorf("get users: %w", err)
	}
	return out, nil
}

// ListMembers returns one page of the organisation's users in creation
// order (ties by id). It returns store.InvalidPageToken for a forged,
// altered or foreign nextToken.
func (s *Store) ListMembers(ctx context.Context, orgID string, page domain.PageRequest) (domain.Page[domain.User], error) {
	if err := ctx.Err(); err != nil {
		return domain.Page[domain.User]{}, fmt.Errorf("list members of %s: %w", orgID, err)
	}
	p, err := queryPage[userRecord](s, membersList(orgID), page)
	if err != nil {
		return domain.Page[domain.User]{}, fmt.Errorf("list members of %s: %w", orgID, err)
	}
	return p, nil
}

// CreateUser stores a new user and claims its email in the organisation.
// It returns a Conflict error if the id exists or the email is taken in the
// organisation (case-insensitively); nothing is written then.
func (s *Store) CreateUser(ctx context.Context, u domain.User) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("create user %s: %w", u.ID, err)
	}
	if err := s.update(func(t *txn) error { return t.insertUser(u) }); err != nil {
		return fmt.Errorf("create user %s: %w", u.ID, err)
	}
	return nil
}

// UpdateUser replaces the user when its stored version equals
// expectedVersion; u.Version must be expectedVersion+1. A changed email
// moves the email claim. It returns NotFound if the user is missing,
// Conflict on a stale version or an email taken by another user; nothing is
// written then.
func (s *Store) UpdateUser(ctx context.Context, u domain.User, expectedVersion int) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("update user %s: %w", u.ID, err)
	}
	if err := store.CheckNextVersion("user", u.ID, u.Version, expectedVersion); err != nil {
		return err
	}
	err := s.update(func(t *txn) error {
		old, err := t.userAt(u.ID, expectedVersion)
		if err != nil {
			return err
		}
		if err := t.claimEmail(u); err != nil {
			return err
		}
		if !bytes.Equal(emailKey(old), emailKey(u)) {
			if err := t.releaseEmail(old); err != nil {
				return err
			}
		}
		return t.putUser(u, &old)
	})
	if err != nil {
		return fmt.Errorf("update user %s: %w", u.ID, err)
	}
	return nil
}

// DeleteUser removes the user, its email claim, its schedules with their
// task references, and its completions in one transaction, when the stored
// version equals expectedVersion. It returns NotFound if the user is
// missing, Conflict on a stale version; nothing is removed then.
func (s *Store) DeleteUser(ctx context.Context, id string, expectedVersion int) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete user %s: %w", id, err)
	}
	err := s.update(func(t *txn) error {
		old, err := t.userAt(id, expectedVersion)
		if err != nil {
			return err
		}
		if err := t.releaseEmail(old); err != nil {
			return err
		}
		if err := t.deleteOwnerSchedules(id); err != nil {
			return err
		}
		if err := t.deleteCompletions(id); err != nil {
			return err
		}
		if err := t.members().Delete(memberKey(old)); err != nil {
			return err
		}
		return t.users().Delete(idKey(id))
	})
	if err != nil {
		return fmt.Errorf("delete user %s: %w", id, err)
	}
	return nil
}

// putOrganisation writes o, replacing any organisation with its id.
func (t *txn) putOrganisation(o domain.Organisation) error {
	return put(t.orgs(), idKey(o.ID), newOrganisationRecord(o))
}

// user returns the stored user with id; ok is false if there is none.
func (t *txn) user(id string) (domain.User, bool, error) {
	return get[userRecord](t, t.users(), idKey(id))
}

// userAt returns the stored user with id, or NotFound if there is none, or
// Conflict if its version is not expectedVersion.
func (t *txn) userAt(id string, expectedVersion int) (domain.User, error) {
	u, ok, err := t.user(id)
	if err != nil {
		return domain.User{}, err
	}
	if !ok {
		return domain.User{}, domain.NotFound("user", id)
	}
	if u.Version != expectedVersion {
		return domain.User{}, domain.Conflict("user", id)
	}
	return u, nil
}

// insertUser writes a new user and its email claim. Conflict if the id
// exists or the email is claimed by another user.
func (t *txn) insertUser(u domain.User) error {
	if t.users().Get(idKey(u.ID)) != nil {
		return domain.Taken("user", u.ID)
	}
	if err := t.claimEmail(u); err != nil {
		return err
	}
	return t.putUser(u, nil)
}

// putUser writes u and its members entry; old is the stored user it
// replaces, if any, whose members entry moves when its key changes.
func (t *txn) putUser(u domain.User, old *domain.User) error {
	if old != nil && !bytes.Equal(memberKey(*old), memberKey(u)) {
		if err := t.members().Delete(memberKey(*old)); err != nil {
			return err
		}
	}
	if err := put(t.users(), idKey(u.ID), newUserRecord(u)); err != nil {
		return err
	}
	return t.members().Put(memberKey(u), idKey(u.ID))
}

// claimEmail writes u's email claim. Conflict (store.EmailTaken) if another
// user holds it.
func (t *txn) claimEmail(u domain.User) error {
	k := emailKey(u)
	if held := t.emails().Get(k); held != nil && string(held) != u.ID {
		return store.EmailTaken(u.Email)
	}
	return t.emails().Put(k, idKey(u.ID))
}

// releaseEmail removes u's email claim if u holds it.
func (t *txn) releaseEmail(u domain.User) error {
	k := emailKey(u)
	if held := t.emails().Get(k); held == nil || string(held) != u.ID {
		return nil
	}
	return t.emails().Delete(k)
}
