package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/loaders"
)

// UserStore is the writes the Users service makes (store.Store satisfies
// it). Reads go through the operation's loaders.
type UserStore interface {
	// GetUsers reads users afresh, outside the operation's loaders (the
	// directory's compensation, see converge).
	GetUsers(ctx context.Context, ids []string) ([]domain.User, error)
	CreateOrganisation(ctx context.Context, org domain.Organisation, admin domain.User) error
	CreateUser(ctx context.Context, u domain.User) error
	UpdateUser(ctx context.Context, u domain.User, expectedVersion int) error
	DeleteUser(ctx context.Context, id string, expectedVersion int) error
}

// Users is the service of organisations and their users: who acts, who
// may see and manage whom, and the user aggregate's versions. With a
// Directory (WithDirectory) it also manages the users' sign-ins there.
type Users struct {
	store UserStore
	env   Env
	dir   Directory    // nil in dev mode
	log   *slog.Logger // with dir
}

// NewUsers returns the Users service over st.
func NewUsers(st UserStore, env Env) *Users { return &Users{store: st, env: env} }

// Actor returns the actor whose token has subject sub: the stored user
// with that id. Unauthorized when sub is no organisation's user.
func (s *Users) Actor(ctx context.Context, l *loaders.Loaders, sub string) (Actor, error) {
	u, err := l.Users().Load(ctx, sub)
	if domain.IsCode(err, domain.CodeNotFound) {
		return Actor{}, domain.Unauthorized("you are not a member of any organisation")
	}
	if err != nil {
		return Actor{}, err
	}
	return Actor{User: u}, nil
}

// CreateOrganisation stores a new organisation named name with admin as
// its first user (role admin) and returns it. Whether the caller may is
// the schema directive's decision (Operators). With a Directory the admin
// is created there first (its sub is its id; Cognito sends the
// invitation) and put in the Admins group; a failed store write deletes
// it again. BadRequest for an invalid name or admin; Conflict for an
// email the directory has already; ServiceUnavailable when the directory
// is busy or down.
func (s *Users) CreateOrganisation(ctx context.Context, name string, admin NewUser) (domain.Organisation, error) {
	now := s.env.Now()
	org := domain.Organisation{ID: s.env.NewID(), Name: name, CreatedAt: now}
	admin.Role = domain.RoleAdmin
	first := s.newUser(org.ID, admin, now)
	if err := org.Validate(); err != nil {
		return domain.Organisation{}, err
	}
	if err := first.Validate(); err != nil {
		return domain.Organisation{}, err
	}
	if s.dir == nil {
		first.ID = s.env.NewID()
		if err := s.store.CreateOrganisation(ctx, org, first); err != nil {
			return domain.Organisation{}, fmt.Errorf("create organisation: %w", err)
		}
		return org, nil
	}
	g := s.newSaga("createOrganisation")
	first, err := s.enrol(ctx, g, first)
	if err != nil {
		return domain.Organisation{}, fmt.Errorf("create organisation: %w", err)
	}
	if err := s.store.CreateOrganisation(ctx, org, first); err != nil {
		return domain.Organisation{}, g.rollback(ctx, fmt.Errorf("create organisation: %w", err))
	}
	return org, nil
}

// Organisation returns the actor's organisation id; NotFound for any
// other (never revealing that it exists).
func (s *Users) Organisation(ctx context.Context, l *loaders.Loaders, by Actor, id string) (domain.Organisation, error) {
	if err := by.sameOrganisation(id, "organisation", id); err != nil {
		return domain.Organisation{}, err
	}
	return l.Organisations().Load(ctx, id)
}

// Get returns user id if the actor may see it (NotFound across
// organisations, Unauthorized for a member asking for someone else).
func (s *Users) Get(ctx context.Context, l *loaders.Loaders, by Actor, id string) (domain.User, error) {
	return by.visibleUser(ctx, l, id)
}

// Members returns a page of organisation orgID's users, for its staff
// only (NotFound across organisations, Unauthorized for members);
// BadRequest for a bad limit or nextToken. The users read are kept in l.
func (s *Users) Members(ctx context.Context, l *loaders.Loaders, by Actor, orgID string, args PageArgs) (domain.Page[domain.User], error) {
	if err := by.canListMembers(orgID); err != nil {
		return domain.Page[domain.User]{}, err
	}
	page, err := domain.NewPageRequest(args.Limit, args.NextToken)
	if err != nil {
		return domain.Page[domain.User]{}, err
	}
	p, err := l.MemberPages().LoadNow(ctx, loaders.MemberPageKey{OrganisationID: orgID, Page: page})
	if err != nil {
		return domain.Page[domain.User]{}, fmt.Errorf("list members of %s: %w", orgID, err)
	}
	for _, u := range p.Items {
		l.Users().Prime(u.ID, u)
	}
	return p, nil
}

// Add stores a new user of organisation orgID (version 1) and returns it.
// Its id is generated, or, with a Directory, the sub of the user created
// there first (Cognito sends the invitation) and put in its role's group;
// a failed store write deletes it again. Admins of orgID only (NotFound
// across organisations, else Unauthorized); BadRequest for invalid
// fields; Conflict for a taken email; ServiceUnavailable when the
// directory is busy or down.
func (s *Users) Add(ctx context.Context, by Actor, orgID string, in NewUser) (domain.User, error) {
	if err := by.canManageUsers(orgID); err != nil {
		return domain.User{}, err
	}
	u := s.newUser(orgID, in, s.env.Now())
	if err := u.Validate(); err != nil {
		return domain.User{}, err
	}
	if s.dir == nil {
		u.ID = s.env.NewID()
		if err := s.store.CreateUser(ctx, u); err != nil {
			return domain.User{}, fmt.Errorf("add user: %w", err)
		}
		return u, nil
	}
	g := s.newSaga("addUser")
	u, err := s.enrol(ctx, g, u)
	if err != nil {
		return domain.User{}, fmt.Errorf("add user: %w", err)
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return domain.User{}, g.rollback(ctx, fmt.Errorf("add user: %w", err))
	}
	return u, nil
}

// Update applies changes to user id when its version is expectedVersion
// and returns the user with its version bumped (domain.User.Changed).
// Admins of the user's organisation only; NotFound for a user the actor
// may not see; Conflict for a stale version; BadRequest for invalid
// fields. With a Directory, a new email becomes the user's sign-in and a
// new role moves it to its group and signs it out everywhere, before the
// store write; a failed store write undoes them (the sign-out stays).
// Conflict for an email the directory has already; ServiceUnavailable
// when it is busy or down.
func (s *Users) Update(ctx context.Context, l *loaders.Loaders, by Actor, id string, expectedVersion int, changes UserChanges) (domain.User, error) {
	u, err := by.visibleUser(ctx, l, id)
	if err != nil {
		return domain.User{}, err
	}
	if err := by.canManageUsers(u.OrganisationID); err != nil {
		return domain.User{}, err
	}
	if u.Version != expectedVersion {
		return domain.User{}, domain.Conflict("user", u.ID)
	}
	was := u
	changes.applyTo(&u)
	next := u.Changed(s.env.Now())
	if err := next.Validate(); err != nil {
		return domain.User{}, err
	}
	if s.dir == nil {
		if err := s.store.UpdateUser(ctx, next, expectedVersion); err != nil {
			return domain.User{}, fmt.Errorf("update user: %w", err)
		}
		return next, nil
	}
	g := s.newSaga("updateUser")
	if err := s.reconcile(ctx, g, was, next); err != nil {
		return domain.User{}, fmt.Errorf("update user: %w", err)
	}
	if err := s.store.UpdateUser(ctx, next, expectedVersion); err != nil {
		return domain.User{}, g.rollback(ctx, fmt.Errorf("update user: %w", err))
	}
	return next, nil
}

// Remove deletes user id (with its schedules and completions) when its
// version is expectedVersion and returns it as it was. Admins of the
// user's organisation only, never themselves (BadRequest); Conflict for a
// stale version. With a Directory the user is disabled there first (a
// failed store write enables it again) and deleted there last; when that
// delete fails the user is removed all the same, its sign-in left
// disabled (and logged). ServiceUnavailable when the directory is busy or
// down.
func (s *Users) Remove(ctx context.Context, l *loaders.Loaders, by Actor, id string, expectedVersion int) (domain.User, error) {
	u, err := by.visibleUser(ctx, l, id)
	if err != nil {
		return domain.User{}, err
	}
	if err := by.canManageUsers(u.OrganisationID); err != nil {
		return domain.User{}, err
	}
	if u.ID == by.User.ID {
		return domain.User{}, domain.BadRequest("you cannot remove yourself")
	}
	if s.dir == nil {
		if err := s.store.DeleteUser(ctx, id, expectedVersion); err != nil {
			return domain.User{}, fmt.Errorf("remove user: %w", err)
		}
		return u, nil
	}
	if u.Version != expectedVersion {
		return domain.User{}, domain.Conflict("user", u.ID)
	}
	g := s.newSaga("removeUser")
	if err := s.disable(ctx, g, u); err != nil {
		return domain.User{}, fmt.Errorf("remove user: %w", err)
	}
	if err := s.store.DeleteUser(ctx, id, expectedVersion); err != nil {
		return domain.User{}, g.rollback(ctx, fmt.Errorf("remove user: %w", err))
	}
	s.forget(ctx, u)
	return u, nil
}

// OrganisationsOf returns the organisation of each user, in order, with
// one error per user: a user the actor may not see gets that error (and
// reads nothing). One batched read for all of them.
func (s *Users) OrganisationsOf(ctx context.Context, l *loaders.Loaders, by Actor, users []*domain.User) ([]*domain.Organisation, []error) {
	return forVisibleUsers(by, users, func(visible []*domain.User) ([]*domain.Organisation, []error) {
		ids := make([]string, len(visible))
		for i, u := range visible {
			ids[i] = u.OrganisationID
		}
		orgs, errs := l.Organisations().LoadMany(ctx, ids)
		out := make([]*domain.Organisation, len(orgs))
		for i := range orgs {
			if errs[i] == nil {
				out[i] = &orgs[i]
			}
		}
		return out, errs
	})
}

// OwnersOf returns the owner of each schedule, in order, with one error
// per schedule: an owner the actor may not see gets that error. One
// batched read for all of them.
func (s *Users) OwnersOf(ctx context.Context, l *loaders.Loaders, by Actor, schedules []*domain.Schedule) ([]*domain.User, []error) {
	ids := make([]string, len(schedules))
	for i, sc := range schedules {
		ids[i] = sc.OwnerID
	}
	users, errs := l.Users().LoadMany(ctx, ids)
	owners := make([]*domain.User, len(users))
	for i := range users {
		if errs[i] == nil {
			errs[i] = by.canSeeUser(users[i])
		}
		if errs[i] == nil {
			owners[i] = &users[i]
		}
	}
	return owners, errs
}

// pendingID stands for a new user's id while its fields are validated:
// the id itself comes afterwards (generated, or the directory's sub).
const pendingID = "pending"

// newUser builds a version-1 user of orgID, its id pending.
func (s *Users) newUser(orgID string, in NewUser, now time.Time) domain.User {
	return domain.User{
		ID: pendingID, OrganisationID: orgID, Name: in.Name, Email: in.Email, Phone: in.Phone,
		Role: in.Role, Version: 1, CreatedAt: now, UpdatedAt: now,
	}
}
