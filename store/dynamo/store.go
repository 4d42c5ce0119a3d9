// Package dynamo is the DynamoDB implementation of store.Store, on one table
// with the single-table design of keys.go (docs/data-model.md lists
// every item type and access pattern). It passes the contract suite
// store/storetest against DynamoDB Local, as the embedded store/bolt does.
//
// How it talks to DynamoDB:
//
//   - Reads by id are BatchGetItem calls of at most 100 keys, strongly
//     consistent, with UnprocessedKeys retried with exponential backoff and
//     jitter (batchget.go). Lists are Query calls, on the table or on gsi1;
//     no request path ever scans. Per-key Queries run concurrently, at most
//     16 at a time.
//   - Writes of more than one item are TransactWriteItems calls whose
//     conditions (attribute_not_exists, version checks, email claims) are
//     enforced by DynamoDB; a stale version or a taken key becomes a
//     domain Conflict error, a missing item a NotFound error (errors.go).
//   - Throttling and transient network errors are retried by the SDK's
//     standard retryer (ClientOptions); what still fails for want of the
//     database becomes a domain ServiceUnavailable error that wraps the
//     cause for logs.
//   - Every request asks for ReturnConsumedCapacity TOTAL; the middleware
//     of usage.go adds calls and capacity up per context (WithUsage).
package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dayline/dayline/store"
)

var _ store.Store = (*Store)(nil)

// DefaultMaxAttempts is how often ClientOptions lets the SDK try one call
// (the first attempt included) before giving up on throttling or a
// transient network error.
const DefaultMaxAttempts = 5

// MaxRetryBackoff caps the wait between two attempts of one call.
const MaxRetryBackoff = 400 * time.Millisecond

// maxConcurrentQueries bounds the Queries one method runs at the same time.
const maxConcurrentQueries = 16

// Store is the DynamoDB-backed store.Store. It is safe for concurrent use.
type Store struct {
	client *dynamodb.Client
	table  string
	tokens *store.PageTokens
	// unprocessedDelay is the wait before BatchGetItem call attempt+1
	// asks again for the keys call attempt left unprocessed: exponential
	// backoff with full jitter (batchget.go). Tests replace it.
	unprocessedDelay func(attempt int) time.Duration
}

// New returns a Store on table, which must exist with the layout CreateTable
// makes (CheckTable verifies it). The client should be built with
// ClientOptions. tokens signs and verifies nextToken values; it must be the
// same for every instance serving the same clients.
func New(client *dynamodb.Client, table string, tokens *store.PageTokens) *Store {
	return &Store{client: client, table: table, tokens: tokens,
		unprocessedDelay: newBackoff(unprocessedBaseDelay, unprocessedMaxDelay).delay}
}

// ClientOptions returns the client options Store relies on, for
// dynamodb.NewFromConfig or dynamodb.New: the SDK's standard retryer
// (exponential backoff with jitter, retrying throttling, 5xx answers and
// transient network errors) with maxAttempts attempts per call
// (DefaultMaxAttempts when maxAttempts < 1), and the request accounting
// middleware of APIOptions.
func ClientOptions(maxAttempts int) func(*dynamodb.Options) {
	if maxAttempts < 1 {
		maxAttempts = DefaultMaxAttempts
	}
	return func(o *dynamodb.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = maxAttempts
			// Fail fast when DynamoDB is unreachable: the waits between
			// attempts add up to at most (maxAttempts-1) * MaxRetryBackoff.
			so.MaxBackoff = MaxRetryBackoff
		})
		o.RetryMaxAttempts = 0 // the Retryer above decides
		o.APIOptions = append(o.APIOptions, APIOptions()...)
	}
}

// getItem reads the item at k with a strongly consistent GetItem; it
// returns nil when there is none.
func (s *Store) getItem(ctx context.Context, k itemKey) (map[string]types.AttributeValue, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:              &s.table,
		Key:                    keyOf(k),
		ConsistentRead:         aws.Bool(true),
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	})
	if err != nil {
		return nil, translate(err)
	}
	if len(out.Item) == 0 {
		return nil, nil
	}
	return out.Item, nil
}

// getDomain reads the item at k and decodes it as an item of type T; ok is
// false when there is none.
func getDomain[T interface{ domain() D }, D any](ctx context.Context, s *Store, k itemKey, typ string) (d D, ok bool, err error) {
	av, err := s.getItem(ctx, k)
	if err != nil || av == nil {
		return d, false, err
	}
	it, err := unmarshalItem[T](av, typ)
	if err != nil {
		return d, false, err
	}
	return it.domain(), true, nil
}

// keysOf returns the keys key(id) of the unique ids.
func keysOf(ids []string, key func(string) itemKey) []itemKey {
	unique := store.UniqueIDs(ids)
	keys := make([]itemKey, len(unique))
	for i, id := range unique {
		keys[i] = key(id)
	}
	return keys
}

// wrapf returns err with the formatted context prepended, or nil.
func wrapf(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
