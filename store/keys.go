package store

import (
	"strings"
	"time"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/scalars"
)

// This file is the one place that builds table keys. Every implementation
// stores items in one logical table with generic attributes:
//
//	pk, sk        primary key
//	type, id      item kind and the domain id
//	gsi1pk/gsi1sk the "gsi1" index: members of an organisation, schedules of an owner
//
// See docs/data-model.md for the access patterns.

// Item types, stored in the "type" attribute.
const (
	TypeOrganisation = "Organisation"
	TypeUser         = "User"
	TypeEmailClaim   = "EmailClaim"
	TypeSchedule     = "Schedule"
	TypeTaskRef      = "TaskRef"
	TypeCompletion   = "Completion"
	// TypeScheduleCount is the DynamoDB store's count of an owner's
	// schedules (the embedded store counts its index instead).
	TypeScheduleCount = "ScheduleCount"
)

// IndexGSI1 is the name of the secondary index keyed by gsi1pk/gsi1sk.
const IndexGSI1 = "gsi1"

// Key is a primary (pk, sk) or index (gsi1pk, gsi1sk) key.
type Key struct {
	PK string
	SK string
}

const sep = "#"

func join(parts ...string) string { return strings.Join(parts, sep) }

// OrganisationKey is the primary key of an organisation item.
func OrganisationKey(orgID string) Key { return Key{join("ORG", orgID), "ORG"} }

// UserKey is the primary key of a user item.
func UserKey(userID string) Key { return Key{join("USER", userID), "USER"} }

// MemberIndexKey is the gsi1 key of a user item: an organisation's members
// in creation order. User ids are Cognito subs (not time ordered), so the
// sort key starts with the creation time (RFC 3339 in UTC with fixed-width
// nanoseconds, see SortableTime) and ends with the id.
func MemberIndexKey(orgID, createdAtSortable, userID string) Key {
	return Key{join("ORG", orgID, "MEMBERS"), join(createdAtSortable, userID)}
}

// MembersPartition is the gsi1 partition that lists an organisation's members.
func MembersPartition(orgID string) string { return join("ORG", orgID, "MEMBERS") }

// EmailClaimKey is the primary key of the item that makes an email unique
// within an organisation (written in the same transaction as the user).
func EmailClaimKey(orgID, normalizedEmail string) Key {
	return Key{join("ORG", orgID), join("EMAIL", normalizedEmail)}
}

// UserEmailClaimKey is the EmailClaimKey of u's (normalized) email.
func UserEmailClaimKey(u domain.User) Key {
	return EmailClaimKey(u.OrganisationID, domain.NormalizedEmail(u.Email))
}

// ScheduleKey is the primary key of a schedule item (tasks are embedded).
func ScheduleKey(scheduleID string) Key { return Key{join("SCHED", scheduleID), "SCHED"} }

// OwnerScheduleIndexKey is the gsi1 key of a schedule item: an owner's schedules by id.
func OwnerScheduleIndexKey(ownerID, scheduleID string) Key {
	return Key{OwnerSchedulesPartition(ownerID), join("SCHED", scheduleID)}
}

// OwnerSchedulesPartition is the gsi1 partition that lists an owner's schedules.
func OwnerSchedulesPartition(ownerID string) string { return join("OWNER", ownerID) }

// ScheduleCountKey is the primary key of the item that counts an owner's
// schedules, in the owner's partition: CreateSchedule increments it on the
// condition that it stays within domain.MaxSchedulesPerOwner.
func ScheduleCountKey(ownerID string) Key { return Key{join("USER", ownerID), "SCHEDULES"} }

// TaskRefKey is the primary key of the item that locates a task's schedule.
func TaskRefKey(taskID string) Key { return Key{join("TASK", taskID), "TASK"} }

// CompletionKey is the primary key of a completion: in the owner's partition,
// sorted by day then task, so one Query reads a member's day.
func CompletionKey(ownerID, day, taskID string) Key {
	return Key{join("USER", ownerID), join("DONE", day, taskID)}
}

// CompletionDay returns the YYYY-MM-DD day a completion on date is stored
// under (its offset, if any, ignored), or a BadRequest error when date is
// not a valid AWSDate.
func CompletionDay(date scalars.Date) (string, error) {
	if _, err := scalars.ParseDate(string(date)); err != nil {
		return "", domain.BadRequest("date %q is not an AWSDate", date)
	}
	return date.Day(), nil
}

// CompletionDayPrefix is the sort-key prefix of one owner's completions on a day.
func CompletionDayPrefix(ownerID, day string) Key {
	return Key{join("USER", ownerID), join("DONE", day) + sep}
}

// CompletionsPrefix is the sort-key prefix of all of an owner's completions.
func CompletionsPrefix(ownerID string) Key {
	return Key{join("USER", ownerID), "DONE" + sep}
}

// SortableTime formats t so that byte order equals time order.
func SortableTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }
