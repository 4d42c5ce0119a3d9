package dynamo

import (
	"strings"
	"time"

	"github.com/dayline/dayline/domain"
)

// This file is the one place that builds table keys. The store keeps every
// item in one table with generic attributes:
//
//	pk, sk        primary key
//	type, id      item kind and the domain id
//	gsi1pk/gsi1sk the "gsi1" index: members of an organisation, schedules of an owner
//
// docs/data-model.md lists the items and access patterns; codec.go the
// attributes of each item type.

// Item types, stored in the "type" attribute.
const (
	typeOrganisation = "Organisation"
	typeUser         = "User"
	typeEmailClaim   = "EmailClaim"
	typeSchedule     = "Schedule"
	typeTaskRef      = "TaskRef"
	typeCompletion   = "Completion"
	// typeScheduleCount counts an owner's schedules (schedule_count.go).
	typeScheduleCount = "ScheduleCount"
	// typeDeletedSchedule is a deleted schedule's tombstone (deleted.go).
	typeDeletedSchedule = "DeletedSchedule"
)

// indexGSI1 is the name of the secondary index keyed by gsi1pk/gsi1sk.
const indexGSI1 = "gsi1"

// itemKey is a primary (pk, sk) or index (gsi1pk, gsi1sk) key.
type itemKey struct {
	PK string
	SK string
}

const keySep = "#"

func joinKey(parts ...string) string { return strings.Join(parts, keySep) }

// organisationKey is the primary key of an organisation item.
func organisationKey(orgID string) itemKey { return itemKey{joinKey("ORG", orgID), "ORG"} }

// userKey is the primary key of a user item.
func userKey(userID string) itemKey { return itemKey{joinKey("USER", userID), "USER"} }

// memberIndexKey is the gsi1 key of a user item: an organisation's members
// in creation order. User ids are Cognito subs (not time ordered), so the
// sort key starts with the creation time (see sortableTime) and ends with
// the id.
func memberIndexKey(orgID string, createdAt time.Time, userID string) itemKey {
	return itemKey{membersPartition(orgID), joinKey(sortableTime(createdAt), userID)}
}

// membersPartition is the gsi1 partition that lists an organisation's members.
func membersPartition(orgID string) string { return joinKey("ORG", orgID, "MEMBERS") }

// emailClaimKey is the primary key of the item that makes an email unique
// within an organisation (written in the same transaction as the user).
func emailClaimKey(orgID, normalizedEmail string) itemKey {
	return itemKey{joinKey("ORG", orgID), joinKey("EMAIL", normalizedEmail)}
}

// userEmailClaimKey is the emailClaimKey of u's (normalized) email.
func userEmailClaimKey(u domain.User) itemKey {
	return emailClaimKey(u.OrganisationID, domain.NormalizedEmail(u.Email))
}

// scheduleKey is the primary key of a schedule item (tasks are embedded).
func scheduleKey(scheduleID string) itemKey { return itemKey{joinKey("SCHED", scheduleID), "SCHED"} }

// deletedScheduleKey is the primary key of a deleted schedule's
// tombstone, in the schedule's partition. It has no gsi1 key: a tombstone
// is no schedule of its owner.
func deletedScheduleKey(scheduleID string) itemKey {
	return itemKey{joinKey("SCHED", scheduleID), "DELETED"}
}

// ownerScheduleIndexKey is the gsi1 key of a schedule item: an owner's schedules by id.
func ownerScheduleIndexKey(ownerID, scheduleID string) itemKey {
	return itemKey{ownerSchedulesPartition(ownerID), joinKey("SCHED", scheduleID)}
}

// ownerSchedulesPartition is the gsi1 partition that lists an owner's schedules.
func ownerSchedulesPartition(ownerID string) string { return joinKey("OWNER", ownerID) }

// scheduleCountKey is the primary key of the item that counts an owner's
// schedules, in the owner's partition: CreateSchedule increments it on the
// condition that it stays within domain.MaxSchedulesPerOwner.
func scheduleCountKey(ownerID string) itemKey { return itemKey{joinKey("USER", ownerID), "SCHEDULES"} }

// taskRefKey is the primary key of the item that locates a task's schedule.
func taskRefKey(taskID string) itemKey { return itemKey{joinKey("TASK", taskID), "TASK"} }

// completionKey is the primary key of a completion: in the owner's
// partition, sorted by day (store.CompletionDay) then task, so one Query
// reads a member's day.
func completionKey(ownerID, day, taskID string) itemKey {
	return itemKey{joinKey("USER", ownerID), joinKey("DONE", day, taskID)}
}

// completionDayPrefix is the sort-key prefix of one owner's completions on a day.
func completionDayPrefix(ownerID, day string) itemKey {
	return itemKey{joinKey("USER", ownerID), joinKey("DONE", day) + keySep}
}

// completionsPrefix is the sort-key prefix of all of an owner's completions.
func completionsPrefix(ownerID string) itemKey {
	return itemKey{joinKey("USER", ownerID), "DONE" + keySep}
}

// sortableTime formats t so that byte order equals time order: RFC 3339 in
// UTC with fixed-width nanoseconds.
func sortableTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }
