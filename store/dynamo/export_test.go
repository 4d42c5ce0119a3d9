package dynamo

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dayline/dayline/domain"
)

// PutUserAtVersion writes u in a one-item transaction conditional on the
// stored version being expected, as UpdateUser's transaction does, and
// reports whether DynamoDB returned the old item with a failed condition.
func (s *Store) PutUserAtVersion(ctx context.Context, u domain.User, expected int) (oldReturned bool, err error) {
	k := userKey(u.ID)
	failed := s.versionFailure("user", u.ID, k)
	w, err := s.putWrite(newUserItem(u), versionIs(expected), func(ctx context.Context, old map[string]types.AttributeValue) error {
		oldReturned = old != nil
		return failed(ctx, old)
	})
	if err != nil {
		return false, err
	}
	return oldReturned, s.transact(ctx, []txWrite{w})
}

// SetUnprocessedDelay replaces the backoff between BatchGetItem calls that
// ask again for unprocessed keys: delay(attempt) is the wait after call
// attempt. Call it before using s.
func (s *Store) SetUnprocessedDelay(delay func(attempt int) time.Duration) {
	s.unprocessedDelay = delay
}

// MaxUnprocessedAttempts is maxUnprocessedAttempts, for tests.
const MaxUnprocessedAttempts = maxUnprocessedAttempts

// TombstoneExpiry returns the TTL attribute of schedule id's tombstone
// (Unix seconds), and whether the tombstone exists.
func (s *Store) TombstoneExpiry(ctx context.Context, id string) (int64, bool, error) {
	av, err := s.getItem(ctx, deletedScheduleKey(id))
	if err != nil || av == nil {
		return 0, false, err
	}
	it, err := unmarshalItem[deletedScheduleItem](av, typeDeletedSchedule)
	return it.ExpiresAt, err == nil, err
}
