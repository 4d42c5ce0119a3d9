package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dayline/dayline/domain"
)

// maxTransactItems is DynamoDB's limit of actions in one TransactWriteItems.
const maxTransactItems = 100

// maxTransactAttempts bounds how often transact sends a transaction that
// DynamoDB cancelled for a TransactionConflict (another transaction was
// changing one of its items at the same moment) or for throttling.
const maxTransactAttempts = 5

// condition is a condition expression with its placeholders.
type condition struct {
	expr   string
	names  map[string]string
	values map[string]types.AttributeValue
}

// notExists holds when there is no item at the key yet.
func notExists() condition {
	return condition{expr: "attribute_not_exists(#pk)", names: map[string]string{"#pk": attrPK}}
}

// versionIs holds when the item exists with version v.
func versionIs(v int) condition {
	return condition{
		expr:   "attribute_exists(#pk) AND #v = :expected",
		names:  map[string]string{"#pk": attrPK, "#v": attrVersion},
		values: map[string]types.AttributeValue{":expected": numberValue(v)},
	}
}

// missingOr holds when there is no item at the key, or attribute name
// equals value: a claim or reference that is free or already this owner's.
func missingOr(name, value string) condition {
	return condition{
		expr:   "attribute_not_exists(#pk) OR #a = :owner",
		names:  map[string]string{"#pk": attrPK, "#a": name},
		values: map[string]types.AttributeValue{":owner": stringValue(value)},
	}
}

// txWrite is one action of a transaction and what its failed condition
// means.
type txWrite struct {
	item types.TransactWriteItem
	// failed returns the error for this action's condition failing, given
	// the item as it was (nil when it was missing or not returned).
	failed func(ctx context.Context, old map[string]types.AttributeValue) error
}

// failure is a txWrite.failed that returns err whatever the item was.
func failure(err error) func(context.Context, map[string]types.AttributeValue) error {
	return func(context.Context, map[string]types.AttributeValue) error { return err }
}

// putWrite returns a Put of item (one of codec.go's item types), under c
// when c.expr is set.
func (s *Store) putWrite(item any, c condition, failed func(context.Context, map[string]types.AttributeValue) error) (txWrite, error) {
	av, err := marshalItem(item)
	if err != nil {
		return txWrite{}, err
	}
	p := &types.Put{
		TableName:                           &s.table,
		Item:                                av,
		ExpressionAttributeNames:            c.names,
		ExpressionAttributeValues:           c.values,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}
	if c.expr != "" {
		p.ConditionExpression = &c.expr
	}
	return txWrite{item: types.TransactWriteItem{Put: p}, failed: failed}, nil
}

// deleteWrite returns a Delete of the item at k, under c when c.expr is set.
func (s *Store) deleteWrite(k itemKey, c condition, failed func(context.Context, map[string]types.AttributeValue) error) txWrite {
	d := &types.Delete{
		TableName:                           &s.table,
		Key:                                 keyOf(k),
		ExpressionAttributeNames:            c.names,
		ExpressionAttributeValues:           c.values,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}
	if c.expr != "" {
		d.ConditionExpression = &c.expr
	}
	return txWrite{item: types.TransactWriteItem{Delete: d}, failed: failed}
}

// checkWrite returns a ConditionCheck of the item at k against c.
func (s *Store) checkWrite(k itemKey, c condition, failed func(context.Context, map[string]types.AttributeValue) error) txWrite {
	return txWrite{
		item: types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
			TableName:                           &s.table,
			Key:                                 keyOf(k),
			ConditionExpression:                 &c.expr,
			ExpressionAttributeNames:            c.names,
			ExpressionAttributeValues:           c.values,
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		}},
		failed: failed,
	}
}

// updateWrite returns an Update of the item at k with the expression update
// under c (when c.expr is set); c's names and values serve both.
func (s *Store) updateWrite(k itemKey, update string, c condition, failed func(context.Context, map[string]types.AttributeValue) error) txWrite {
	u := &types.Update{
		TableName:                           &s.table,
		Key:                                 keyOf(k),
		UpdateExpression:                    &update,
		ExpressionAttributeNames:            c.names,
		ExpressionAttributeValues:           c.values,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}
	if c.expr != "" {
		u.ConditionExpression = &c.expr
	}
	return txWrite{item: types.TransactWriteItem{Update: u}, failed: failed}
}

// versionFailure returns the failed func of a write conditioned on
// versionIs: NotFound when the item was missing, Conflict when it had
// another version. When DynamoDB did not return the old item it is read
// again to tell the two apart.
func (s *Store) versionFailure(kind, id string, k itemKey) func(context.Context, map[string]types.AttributeValue) error {
	return func(ctx context.Context, old map[string]types.AttributeValue) error {
		if old == nil {
			var err error
			if old, err = s.getItem(ctx, k); err != nil {
				return err
			}
		}
		if old == nil {
			return domain.NotFound(kind, id)
		}
		return domain.Conflict(kind, id)
	}
}

// transact runs writes (at most maxTransactItems) as one TransactWriteItems:
// all of them happen or none. When a condition fails it returns the error
// of that write's failed func (a domain error). A transaction cancelled
// because another one was changing the same items, or throttled, is sent
// again after a backoff, up to maxTransactAttempts times, then reported as
// Conflict (or ServiceUnavailable when throttled). Other errors are
// translated (ServiceUnavailable, or internal).
func (s *Store) transact(ctx context.Context, writes []txWrite) error {
	if len(writes) == 0 {
		return nil
	}
	if len(writes) > maxTransactItems {
		return fmt.Errorf("transaction of %d items exceeds DynamoDB's limit of %d", len(writes), maxTransactItems)
	}
	items := make([]types.TransactWriteItem, len(writes))
	for i, w := range writes {
		items[i] = w.item
	}
	in := &dynamodb.TransactWriteItemsInput{
		TransactItems:          items,
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	}
	backoff := newBackoff(20*time.Millisecond, time.Second)
	for attempt := 1; ; attempt++ {
		_, err := s.client.TransactWriteItems(ctx, in)
		reasons, cancelled := cancellation(err)
		if !cancelled {
			return translate(err)
		}
		conflict, throttled := false, false
		for i, r := range reasons {
			switch reasonCode(r) {
			case reasonConditionalCheckFailed:
				if i < len(writes) && writes[i].failed != nil {
					return writes[i].failed(ctx, r.Item)
				}
				return domain.Errorf(domain.CodeConflict, "a condition of the change failed: reload and try again")
			case reasonTransactionConflict:
				conflict = true
			case reasonThrottlingError, reasonThroughputExceeded:
				throttled = true
			}
		}
		switch {
		case !conflict && !throttled:
			return fmt.Errorf("transaction cancelled: %w", err)
		case attempt < maxTransactAttempts:
		case throttled:
			return newUnavailable(err)
		default:
			return domain.Errorf(domain.CodeConflict, "the data was being changed by someone else at the same time: reload and try again")
		}
		if err := backoff.wait(ctx, attempt); err != nil {
			return err
		}
		// A new idempotency token: the SDK fills one in per call and keeps
		// it across its own retries, so that a commit whose answer was lost
		// is not applied twice; this is a new attempt at a cancelled one.
		in.ClientRequestToken = nil
	}
}
