package bolt

import (
	"context"
	"fmt"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// emailClaim is the payload of the item that reserves an email address in
// an organisation for one user.
type emailClaim struct {
	UserID string `json:"userId"`
	Email  string `json:"email"`
}

func organisationRecord(o domain.Organisation) record[domain.Organisation] {
	return newRecord(store.OrganisationKey(o.ID), store.TypeOrganisation, o.ID, o)
}

func userRecord(u domain.User) record[domain.User] {
	r := newRecord(store.UserKey(u.ID), store.TypeUser, u.ID, u)
	r.Version = u.Version
	return r.withIndex(store.MemberIndexKey(u.OrganisationID, store.SortableTime(u.CreatedAt), u.ID))
}

// CreateOrganisation stores org and its first admin in one transaction.
// It returns a Conflict error if the organisation or user id exists already
// or the admin's email is taken in the organisation; nothing is written then.
func (s *Store) CreateOrganisation(ctx context.Context, org domain.Organisation, admin domain.User) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("create organisation %s: %w", org.ID, err)
	}
	err := s.update(func(t txn) error {
		r := organisationRecord(org)
		if t.exists(r.key()) {
			return domain.Taken("organisation", org.ID)
		}
		if err := putRecord(t, r); err != nil {
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
	out := make([]domain.Organisation, 0, len(ids))
	err := s.view(func(t txn) error {
		for _, id := range store.UniqueIDs(ids) {
			r, ok, err := getRecord[domain.Organisation](t, store.OrganisationKey(id), store.TypeOrganisation)
			if err != nil {
				return err
			}
			if ok {
				out = append(out, r.Data)
			}
		}
		return nil
	})
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
	out := make([]domain.User, 0, len(ids))
	err := s.view(func(t txn) error {
		for _, id := range store.UniqueIDs(ids) {
			u, ok, err := t.user(id)
			if err != nil {
				return err
			}
			if ok {
				out = append(out, u)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("get users: %w", err)
	}
	return out, nil
}

// ListMembers returns one page of the organisation's users in creation
// order (ties by id). It returns the BadRequest error of
// store.PageTokens.Decode for a forged, altered or foreign nextToken.
func (s *Store) ListMembers(ctx context.Context, orgID string, page domain.PageRequest) (domain.Page[domain.User], error) {
	if err := ctx.Err(); err != nil {
		return domain.Page[domain.User]{}, fmt.Errorf("list members of %s: %w", orgID, err)
	}
	p, err := queryPage[domain.User](s, store.MembersPartition(orgID), store.TypeUser, page)
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
	if err := s.update(func(t txn) error { return t.insertUser(u) }); err != nil {
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
	err := s.update(func(t txn) error {
		old, err := t.userAt(u.ID, expectedVersion)
		if err != nil {
			return err
		}
		if err := t.claimEmail(u); err != nil {
			return err
		}
		if oldClaim := store.UserEmailClaimKey(old); oldClaim != store.UserEmailClaimKey(u) {
			if err := t.releaseEmail(old); err != nil {
				return err
			}
		}
		return putRecord(t, userRecord(u))
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
	err := s.update(func(t txn) error {
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
		return t.delete(store.UserKey(id))
	})
	if err != nil {
		return fmt.Errorf("delete user %s: %w", id, err)
	}
	return nil
}

// user returns the stored user with id; ok is false if there is none.
func (t txn) user(id string) (u domain.User, ok bool, err error) {
	r, ok, err := getRecord[domain.User](t, store.UserKey(id), store.TypeUser)
	return r.Data, ok, err
}

// userAt returns the stored user with id, or NotFound if there is none, or
// Conflict if its version is not expectedVersion.
func (t txn) userAt(id string, expectedVersion int) (domain.User, error) {
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
func (t txn) insertUser(u domain.User) error {
	r := userRecord(u)
	if t.exists(r.key()) {
		return domain.Taken("user", u.ID)
	}
	if err := t.claimEmail(u); err != nil {
		return err
	}
	return putRecord(t, r)
}

// claimEmail writes u's email claim. Conflict if another user holds it.
func (t txn) claimEmail(u domain.User) error {
	k := store.UserEmailClaimKey(u)
	held, ok, err := getRecord[emailClaim](t, k, store.TypeEmailClaim)
	if err != nil {
		return err
	}
	if ok && held.Data.UserID != u.ID {
		return domain.Errorf(domain.CodeConflict, "email %s is already used in this organisation", u.Email)
	}
	claim := emailClaim{UserID: u.ID, Email: domain.NormalizedEmail(u.Email)}
	return putRecord(t, newRecord(k, store.TypeEmailClaim, u.ID, claim))
}

// releaseEmail removes u's email claim if u holds it.
func (t txn) releaseEmail(u domain.User) error {
	k := store.UserEmailClaimKey(u)
	held, ok, err := getRecord[emailClaim](t, k, store.TypeEmailClaim)
	if err != nil || !ok || held.Data.UserID != u.ID {
		return err
	}
	return t.delete(k)
}
