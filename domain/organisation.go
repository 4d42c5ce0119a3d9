package domain

import (
	"strings"
	"time"

	"github.com/dayline/dayline/scalars"
)

// Organisation is a tenant: every user, schedule and task belongs to exactly one.
type Organisation struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"createdAt"`
}

// Role is a user's role inside an organisation; it names a Cognito group.
type Role string

// Roles, as GraphQL enum values.
const (
	RoleAdmin     Role = "ADMIN"
	RoleCaregiver Role = "CAREGIVER"
	RoleMember    Role = "MEMBER"
)

// Cognito groups. Operators run the platform and belong to no organisation.
const (
	GroupOperators  = "Operators"
	GroupAdmins     = "Admins"
	GroupCaregivers = "Caregivers"
	GroupMembers    = "Members"
)

// Group returns the Cognito group that grants r.
func (r Role) Group() string {
	switch r {
	case RoleAdmin:
		return GroupAdmins
	case RoleCaregiver:
		return GroupCaregivers
	default:
		return GroupMembers
	}
}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleCaregiver || r == RoleMember }

// User is a member of one organisation. Its id is the Cognito sub.
type User struct {
	ID             string         `json:"id"`
	OrganisationID string         `json:"organisationId"`
	Name           string         `json:"name"`
	Email          scalars.Email  `json:"email"`
	Phone          *scalars.Phone `json:"phone"`
	Role           Role           `json:"role"`
	Version        int            `json:"version"`
	CreatedAt      time.Time      `json:"createdAt"`
	UpdatedAt      time.Time      `json:"updatedAt"`
}

// Changed returns the user after a change: version bumped and UpdatedAt
// set, as Schedule.Changed does for schedules. It does not modify u.
func (u User) Changed(now time.Time) User {
	next := u
	next.Version = u.Version + 1
	next.UpdatedAt = now
	return next
}

// NormalizedEmail is the form in which emails are compared for uniqueness.
func NormalizedEmail(e scalars.Email) string { return strings.ToLower(strings.TrimSpace(string(e))) }

// Validate returns a BadRequest error if u breaks a rule: an id, a name, an
// email and a phone (if any) that pass CheckText within their limits, and a
// known role.
func (u User) Validate() error {
	if err := CheckID("user id", u.ID); err != nil {
		return err
	}
	if err := CheckID("user organisationId", u.OrganisationID); err != nil {
		return err
	}
	if err := CheckRequiredText("user name", u.Name, MaxNameBytes, SingleLine); err != nil {
		return err
	}
	if err := CheckRequiredText("user email", string(u.Email), MaxEmailBytes, SingleLine); err != nil {
		return err
	}
	if u.Phone != nil {
		if err := CheckText("user phone", string(*u.Phone), MaxPhoneBytes, SingleLine); err != nil {
			return err
		}
	}
	if !u.Role.Valid() {
		return BadRequest("unknown role %q", u.Role)
	}
	return nil
}

// Validate returns a BadRequest error if o breaks a rule: an id and a name
// that pass CheckText within their limits.
func (o Organisation) Validate() error {
	if err := CheckID("organisation id", o.ID); err != nil {
		return err
	}
	return CheckRequiredText("organisation name", o.Name, MaxNameBytes, SingleLine)
}
