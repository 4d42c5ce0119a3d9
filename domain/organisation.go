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

// NormalizedEmail is the form in which emails are compared for uniqueness.
func NormalizedEmail(e scalars.Email) string { return strings.ToLower(strings.TrimSpace(string(e))) }

// Validate returns a BadRequest error if u lacks a required field.
func (u User) Validate() error {
	switch {
	case strings.TrimSpace(u.Name) == "":
		return BadRequest("user name must not be empty")
	case len(u.Name) > 200:
		return BadRequest("user name must be at most 200 characters")
	case u.Email == "":
		return BadRequest("user email must not be empty")
	case !u.Role.Valid():
		return BadRequest("unknown role %q", u.Role)
	}
	return nil
}

// Validate returns a BadRequest error if o lacks a required field.
func (o Organisation) Validate() error {
	if strings.TrimSpace(o.Name) == "" {
		return BadRequest("organisation name must not be empty")
	}
	if len(o.Name) > 200 {
		return BadRequest("organisation name must be at most 200 characters")
	}
	return nil
}
