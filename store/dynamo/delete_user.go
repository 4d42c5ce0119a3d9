package dynamo

import (
	"context"
	"fmt"

	"github.com/dayline/dayline/domain"
)

// DeleteUser removes the user, its email claim, its schedules with their
// task references and their count, and its completions, when the stored version equals
// expectedVersion. It returns NotFound if the user is missing, Conflict on
// a stale version (or when one of its schedules changes meanwhile); nothing
// is removed then. Other errors are ServiceUnavailable or internal.
//
// It reads the user (strongly consistent), its completions (one Query of
// its partition) and its schedules (one Query of gsi1, which is eventually
// consistent: a schedule created in the last moment may be missed). When
// everything fits in one transaction of 100 actions it is one transaction.
// Otherwise the schedules (each with its references, never split) and the
// completions go first, in transactions that each also check the user's
// version, and the user with its claim and schedule count last: a failure
// part-way leaves the user in place with part of its data (and its
// schedule count as it was), and deleting it again finishes the job.
func (s *Store) DeleteUser(ctx context.Context, id string, expectedVersion int) error {
	u, err := s.userAt(ctx, id, expectedVersion)
	if err != nil {
		return fmt.Errorf("delete user %s: %w", id, err)
	}
	owned, err := s.ownedWrites(ctx, id)
	if err != nil {
		return fmt.Errorf("delete user %s: %w", id, err)
	}
	uk := userKey(id)
	last := []txWrite{
		s.deleteWrite(uk, versionIs(expectedVersion), s.versionFailure("user", id, uk)),
		s.deleteWrite(userEmailClaimKey(u), missingOr("userId", id),
			failure(emailClaimedByOther(u.Email, id))),
		s.deleteWrite(scheduleCountKey(id), condition{}, nil),
	}

	total := len(last)
	for _, group := range owned {
		total += len(group)
	}
	if total <= maxTransactItems {
		writes := last
		for _, group := range owned {
			writes = append(writes, group...)
		}
		return wrapf(s.transact(ctx, writes), "delete user %s", id)
	}

	guard := s.checkWrite(uk, versionIs(expectedVersion), s.versionFailure("user", id, uk))
	for _, batch := range packGroups(owned, maxTransactItems-1) {
		if err := s.transact(ctx, append(batch, guard)); err != nil {
			return fmt.Errorf("delete user %s: %w", id, err)
		}
	}
	return wrapf(s.transact(ctx, last), "delete user %s", id)
}

// ownedWrites returns the writes that remove what user id owns, in groups
// that must stay in one transaction: each schedule with its task
// references (conditional on the schedule's version), then each completion.
func (s *Store) ownedWrites(ctx context.Context, id string) ([][]txWrite, error) {
	items, err := s.queryIndexPartition(ctx, ownerSchedulesPartition(id))
	if err != nil {
		return nil, fmt.Errorf("read schedules: %w", err)
	}
	schedules, err := unmarshalItems[scheduleItem](items, typeSchedule)
	if err != nil {
		return nil, err
	}
	completions, err := s.queryAll(ctx, prefixQuery(completionsPrefix(id)))
	if err != nil {
		return nil, fmt.Errorf("read completions: %w", err)
	}

	changed := failure(domain.Conflict("user", id))
	groups := make([][]txWrite, 0, len(schedules)+len(completions))
	for _, sc := range schedules {
		groups = append(groups, s.deleteScheduleWrites(sc, changed))
	}
	for _, c := range completions {
		k := itemKey{PK: stringAttr(c, attrPK), SK: stringAttr(c, attrSK)}
		groups = append(groups, []txWrite{s.deleteWrite(k, condition{}, nil)})
	}
	return groups, nil
}

// packGroups packs groups, in order, into batches of at most size writes
// without splitting a group (a group is never larger than size).
func packGroups(groups [][]txWrite, size int) [][]txWrite {
	var batches [][]txWrite
	var batch []txWrite
	for _, g := range groups {
		if len(batch) > 0 && len(batch)+len(g) > size {
			batches = append(batches, batch)
			batch = nil
		}
		batch = append(batch, g...)
	}
	if len(batch) > 0 {
		batches = append(batches, batch)
	}
	return batches
}
