package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// CreateOrganisation stores org, its first admin and the admin's email
// claim in one transaction, each conditional on its key being free. It
// returns a Conflict error if the organisation or user id exists already or
// the admin's email is taken in the organisation; nothing is written then.
// Other errors are ServiceUnavailable or internal.
func (s *Store) CreateOrganisation(ctx context.Context, org domain.Organisation, admin domain.User) error {
	orgWrite, err := s.putWrite(newOrganisationItem(org), notExists(),
		failure(domain.Taken("organisation", org.ID)))
	if err != nil {
		return fmt.Errorf("create organisation %s: %w", org.ID, err)
	}
	userWrites, err := s.newUserWrites(admin)
	if err != nil {
		return fmt.Errorf("create organisation %s: %w", org.ID, err)
	}
	return wrapf(s.transact(ctx, append([]txWrite{orgWrite}, userWrites...)), "create organisation %s", org.ID)
}

// GetOrganisations returns the organisations with these ids, in no
// particular order; missing ids are omitted, duplicates return one
// organisation. Errors are ServiceUnavailable or internal.
func (s *Store) GetOrganisations(ctx context.Context, ids []string) ([]domain.Organisation, error) {
	orgs, err := batchGetDomain[organisationItem](ctx, s, keysOf(ids, organisationKey), typeOrganisation)
	return orgs, wrapf(err, "get organisations")
}

// GetUsers returns the users with these ids, in no particular order;
// missing ids are omitted, duplicates return one user. Errors are
// ServiceUnavailable or internal.
func (s *Store) GetUsers(ctx context.Context, ids []string) ([]domain.User, error) {
	users, err := batchGetDomain[userItem](ctx, s, keysOf(ids, userKey), typeUser)
	return users, wrapf(err, "get users")
}

// ListMembers returns one page of the organisation's users in creation
// order (ties by id), from gsi1 partition membersPartition. It
// returns a BadRequest error for a forged, altered or foreign nextToken;
// other errors are ServiceUnavailable or internal.
func (s *Store) ListMembers(ctx context.Context, orgID string, page domain.PageRequest) (domain.Page[domain.User], error) {
	p, err := queryPage[userItem](ctx, s, membersPartition(orgID), page, typeUser)
	if err != nil {
		return domain.Page[domain.User]{}, fmt.Errorf("list members of %s: %w", orgID, err)
	}
	return p, nil
}

// CreateUser stores a new user and claims its email in the organisation in
// one transaction. It returns a Conflict error if the id exists or the
// email is taken in the organisation (case-insensitively); nothing is
// written then. Other errors are ServiceUnavailable or internal.
func (s *Store) CreateUser(ctx context.Context, u domain.User) error {
	writes, err := s.newUserWrites(u)
	if err != nil {
		return fmt.Errorf("create user %s: %w", u.ID, err)
	}
	return wrapf(s.transact(ctx, writes), "create user %s", u.ID)
}

// UpdateUser replaces the user when its stored version equals
// expectedVersion; u.Version must be expectedVersion+1. A changed email (or
// organisation) moves the email claim in the same transaction, the new
// claim conditional on being free or the user's own. It returns NotFound if
// the user is missing, Conflict on a stale version or an email taken by
// another user; nothing is written then. Other errors are
// ServiceUnavailable or internal.
func (s *Store) UpdateUser(ctx context.Context, u domain.User, expectedVersion int) error {
	if err := store.CheckNextVersion("user", u.ID, u.Version, expectedVersion); err != nil {
		return err
	}
	// The stored user names the claim to release; the version condition
	// below guarantees it is still the one written.
	old, err := s.userAt(ctx, u.ID, expectedVersion)
	if err != nil {
		return fmt.Errorf("update user %s: %w", u.ID, err)
	}
	k := userKey(u.ID)
	userWrite, err := s.putWrite(newUserItem(u), versionIs(expectedVersion), s.versionFailure("user", u.ID, k))
	if err != nil {
		return fmt.Errorf("update user %s: %w", u.ID, err)
	}
	writes := []txWrite{userWrite}
	if oldClaim, newClaim := userEmailClaimKey(old), userEmailClaimKey(u); oldClaim != newClaim {
		claim, err := s.putWrite(newEmailClaimItem(u), missingOr("userId", u.ID), emailTaken(u))
		if err != nil {
			return fmt.Errorf("update user %s: %w", u.ID, err)
		}
		release := s.deleteWrite(oldClaim, missingOr("userId", u.ID),
			failure(emailClaimedByOther(old.Email, u.ID)))
		writes = append(writes, claim, release)
	}
	return wrapf(s.transact(ctx, writes), "update user %s", u.ID)
}

// newUserWrites returns the writes that create u: the user and its email
// claim, each conditional on its key being free.
func (s *Store) newUserWrites(u domain.User) ([]txWrite, error) {
	user, err := s.putWrite(newUserItem(u), notExists(),
		failure(domain.Taken("user", u.ID)))
	if err != nil {
		return nil, err
	}
	claim, err := s.putWrite(newEmailClaimItem(u), notExists(), emailTaken(u))
	if err != nil {
		return nil, err
	}
	return []txWrite{user, claim}, nil
}

// emailTaken is the failure of u's email claim.
func emailTaken(u domain.User) func(context.Context, map[string]types.AttributeValue) error {
	return failure(store.EmailTaken(u.Email))
}

// userAt reads the user with id (strongly consistent) and returns NotFound
// if it is missing, Conflict if its version is not expectedVersion.
func (s *Store) userAt(ctx context.Context, id string, expectedVersion int) (domain.User, error) {
	u, ok, err := getDomain[userItem](ctx, s, userKey(id), typeUser)
	switch {
	case err != nil:
		return domain.User{}, err
	case !ok:
		return domain.User{}, domain.NotFound("user", id)
	case u.Version != expectedVersion:
		return domain.User{}, domain.Conflict("user", id)
	}
	return u, nil
}
