package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// PutCompletion records that c.OwnerID completed c.TaskID on c.Date, and
// returns the stored completion (Completed is true). It is one PutItem
// conditional on the completion being new: completing twice is not an
// error, the first completion, with its CompletedAt, is kept and returned
// (taken from the failed condition's ALL_OLD item). It returns BadRequest
// for a malformed date; other errors are ServiceUnavailable or internal.
func (s *Store) PutCompletion(ctx context.Context, c domain.Completion) (domain.Completion, error) {
	day, err := store.CompletionDay(c.Date)
	if err != nil {
		return domain.Completion{}, fmt.Errorf("put completion: %w", err)
	}
	c.Completed = true
	av, err := marshalItem(newCompletionItem(c, day))
	if err != nil {
		return domain.Completion{}, fmt.Errorf("put completion of task %s on %s: %w", c.TaskID, day, err)
	}
	cond := notExists()
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                           &s.table,
		Item:                                av,
		ConditionExpression:                 &cond.expr,
		ExpressionAttributeNames:            cond.names,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		ReturnConsumedCapacity:              types.ReturnConsumedCapacityTotal,
	})
	old, exists := conditionFailure(err)
	switch {
	case exists:
		stored, err := s.existingCompletion(ctx, completionKey(c.OwnerID, day, c.TaskID), old)
		return stored, wrapf(err, "put completion of task %s on %s", c.TaskID, day)
	case err != nil:
		return domain.Completion{}, fmt.Errorf("put completion of task %s on %s: %w", c.TaskID, day, translate(err))
	}
	return c, nil
}

// existingCompletion decodes the completion a failed PutCompletion found
// at k, reading it when DynamoDB did not return it.
func (s *Store) existingCompletion(ctx context.Context, k itemKey, old map[string]types.AttributeValue) (domain.Completion, error) {
	if old == nil {
		var err error
		if old, err = s.getItem(ctx, k); err != nil {
			return domain.Completion{}, err
		}
		if old == nil {
			return domain.Completion{}, domain.Errorf(domain.CodeConflict, "the completion was removed at the same time: try again")
		}
	}
	it, err := unmarshalItem[completionItem](old, typeCompletion)
	if err != nil {
		return domain.Completion{}, err
	}
	return it.domain(), nil
}

// DeleteCompletion removes the completion of taskID by ownerID on day
// (YYYY-MM-DD) with one unconditional DeleteItem. Removing a missing
// completion is not an error. Errors are ServiceUnavailable or internal.
func (s *Store) DeleteCompletion(ctx context.Context, ownerID, day, taskID string) error {
	_, err := s.client.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:              &s.table,
		Key:                    keyOf(completionKey(ownerID, day, taskID)),
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	})
	if err != nil {
		return fmt.Errorf("delete completion of task %s on %s: %w", taskID, day, translate(err))
	}
	return nil
}

// CompletionsOn returns the completions of each owner's day, ordered by
// task id: one strongly consistent Query per owner-day (begins_with
// completionDayPrefix in the owner's partition), run concurrently.
// Every day asked for has an entry; days without completions map to an
// empty slice. Errors are ServiceUnavailable or internal.
func (s *Store) CompletionsOn(ctx context.Context, days []domain.OwnerDate) (map[domain.OwnerDate][]domain.Completion, error) {
	out, err := fanOut(ctx, days, func(ctx context.Context, od domain.OwnerDate) ([]domain.Completion, error) {
		items, err := s.queryAll(ctx, prefixQuery(completionDayPrefix(od.OwnerID, od.Day)))
		if err != nil {
			return nil, err
		}
		return unmarshalItems[completionItem](items, typeCompletion)
	})
	return out, wrapf(err, "completions on days")
}
