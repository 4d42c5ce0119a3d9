package bolt

import (
	"strings"
	"time"

	"github.com/dayline/dayline/domain"
)

// This file is the one place that names buckets and builds bucket keys
// (format 2; migrate_v1.go reads format 1). Each kind of record has its own
// bucket keyed by its id; the lists the contract pages through or counts
// have index buckets whose keys sort in list order and whose values are
// the id of the record listed. docs/data-model.md describes the layout.
var (
	// metaBucket holds formatKey: the layout version of the file.
	metaBucket = []byte("meta")
	formatKey  = []byte("format")

	// organisationsBucket: organisation id -> organisationRecord.
	organisationsBucket = []byte("organisations")
	// usersBucket: user id -> userRecord.
	usersBucket = []byte("users")
	// membersBucket: memberKey -> user id; an organisation's members in
	// creation order.
	membersBucket = []byte("members")
	// emailsBucket: emailKey -> user id; makes an email unique in an
	// organisation.
	emailsBucket = []byte("emails")
	// schedulesBucket: schedule id -> scheduleRecord (tasks embedded).
	schedulesBucket = []byte("schedules")
	// ownerSchedulesBucket: ownerScheduleKey -> schedule id; an owner's
	// schedules by id.
	ownerSchedulesBucket = []byte("ownerSchedules")
	// taskRefsBucket: task id -> taskRefRecord.
	taskRefsBucket = []byte("taskRefs")
	// completionsBucket: completionKey -> completionRecord; an owner's
	// completions by day, then task id.
	completionsBucket = []byte("completions")

	// deletedSchedulesBucket: schedule id -> deletedScheduleRecord, the
	// tombstone DeleteSchedule keeps (deleted.go).
	deletedSchedulesBucket = []byte("deletedSchedules")
	// deletionsBucket: deletionKey -> schedule id; tombstones in the order
	// of their deletion, for pruning.
	deletionsBucket = []byte("deletions")
)

// buckets are the buckets of format 2, all created when a file is. The
// tombstone buckets (deletedSchedulesBucket, deletionsBucket) are not among
// them: a format 2 file written before them lacks them, so they are
// created by the first DeleteSchedule and read as empty while absent,
// without a format change (an older dayline ignores them).
var buckets = [][]byte{metaBucket, organisationsBucket, usersBucket, membersBucket, emailsBucket,
	schedulesBucket, ownerSchedulesBucket, taskRefsBucket, completionsBucket}

// keySep separates the parts of a compound key. It sorts before every byte
// an id may hold (ids are single-line text), so a shorter part sorts first.
const keySep = "\x00"

// compoundKey joins parts with keySep.
func compoundKey(parts ...string) []byte { return []byte(strings.Join(parts, keySep)) }

// prefixOf is the key prefix of every compound key whose first parts are parts.
func prefixOf(parts ...string) []byte { return compoundKey(append(parts, "")...) }

// idKey is the key of a record stored under its id.
func idKey(id string) []byte { return []byte(id) }

// memberKey is the membersBucket key of a user: organisation, creation time
// (sortableTime), user id.
func memberKey(u domain.User) []byte {
	return compoundKey(u.OrganisationID, sortableTime(u.CreatedAt), u.ID)
}

// membersPrefix is the membersBucket prefix of an organisation's members.
func membersPrefix(orgID string) []byte { return prefixOf(orgID) }

// emailKey is the emailsBucket key of u's email: organisation, normalized email.
func emailKey(u domain.User) []byte {
	return compoundKey(u.OrganisationID, domain.NormalizedEmail(u.Email))
}

// ownerScheduleKey is the ownerSchedulesBucket key of a schedule: owner, schedule id.
func ownerScheduleKey(ownerID, scheduleID string) []byte { return compoundKey(ownerID, scheduleID) }

// ownerSchedulesPrefix is the ownerSchedulesBucket prefix of an owner's schedules.
func ownerSchedulesPrefix(ownerID string) []byte { return prefixOf(ownerID) }

// completionKey is the completionsBucket key of a completion: owner, day
// (store.CompletionDay), task id.
func completionKey(ownerID, day, taskID string) []byte { return compoundKey(ownerID, day, taskID) }

// completionDayPrefix is the completionsBucket prefix of an owner's day.
func completionDayPrefix(ownerID, day string) []byte { return prefixOf(ownerID, day) }

// completionsPrefix is the completionsBucket prefix of all of an owner's completions.
func completionsPrefix(ownerID string) []byte { return prefixOf(ownerID) }

// deletionKey is the deletionsBucket key of a tombstone: deletion time
// (sortableTime), schedule id.
func deletionKey(deletedAt time.Time, scheduleID string) []byte {
	return compoundKey(sortableTime(deletedAt), scheduleID)
}

// sortableTime formats t so that byte order equals time order: RFC 3339 in
// UTC with fixed-width nanoseconds.
func sortableTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }
