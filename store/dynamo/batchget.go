package dynamo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"golang.org/x/sync/errgroup"
)

// maxBatchGetKeys is DynamoDB's limit of keys in one BatchGetItem.
const maxBatchGetKeys = 100

// Backoff of UnprocessedKeys retries: full jitter, doubling from
// unprocessedBaseDelay up to unprocessedMaxDelay per wait.
const (
	unprocessedBaseDelay = 25 * time.Millisecond
	unprocessedMaxDelay  = 2 * time.Second
	// maxUnprocessedAttempts bounds the BatchGetItem calls for one chunk
	// when DynamoDB keeps leaving keys unprocessed (sustained throttling):
	// then the read fails with ServiceUnavailable.
	maxUnprocessedAttempts = 10
)

// backoff computes exponential delays with full jitter.
type backoff struct {
	base, max time.Duration
}

func newBackoff(base, max time.Duration) backoff { return backoff{base: base, max: max} }

// delay returns a random duration between 0 and min(max, base·2^(attempt-1)).
func (b backoff) delay(attempt int) time.Duration {
	ceiling := b.max
	if attempt < 31 {
		ceiling = min(b.max, b.base<<(attempt-1))
	}
	return rand.N(ceiling + 1)
}

// wait sleeps for delay(attempt), or returns the context's error (wrapped)
// if ctx ends first.
func (b backoff) wait(ctx context.Context, attempt int) error {
	return sleep(ctx, b.delay(attempt))
}

// sleep waits for d, or returns the context's error (wrapped) if ctx ends
// first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return translate(fmt.Errorf("backing off: %w", context.Cause(ctx)))
	case <-t.C:
		return nil
	}
}

// batchGet reads the items at keys, which must be unique, with strongly
// consistent BatchGetItem calls of at most maxBatchGetKeys keys, run
// concurrently (at most maxConcurrentQueries at a time). Keys DynamoDB
// leaves unprocessed (throttling, the 16 MB response limit) are asked for
// again after an exponential backoff with jitter until every key is read,
// ctx ends, or maxUnprocessedAttempts calls did not get them all (then
// ServiceUnavailable). Items come back in no particular order; missing items are
// omitted. Errors are translated (ServiceUnavailable, or internal).
func (s *Store) batchGet(ctx context.Context, keys []itemKey) ([]map[string]types.AttributeValue, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, nil
	}
	var (
		mu  sync.Mutex
		out = make([]map[string]types.AttributeValue, 0, len(keys))
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(maxConcurrentQueries)
	for start := 0; start < len(keys); start += maxBatchGetKeys {
		chunk := keys[start:min(start+maxBatchGetKeys, len(keys))]
		g.Go(func() error {
			items, err := s.batchGetChunk(gctx, chunk)
			mu.Lock()
			out = append(out, items...)
			mu.Unlock()
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// batchGetChunk reads at most maxBatchGetKeys keys, retrying unprocessed
// keys as batchGet describes.
func (s *Store) batchGetChunk(ctx context.Context, keys []itemKey) ([]map[string]types.AttributeValue, error) {
	request := make([]map[string]types.AttributeValue, len(keys))
	for i, k := range keys {
		request[i] = keyOf(k)
	}
	pending := map[string]types.KeysAndAttributes{
		s.table: {Keys: request, ConsistentRead: aws.Bool(true)},
	}
	var items []map[string]types.AttributeValue
	for attempt := 1; ; attempt++ {
		out, err := s.client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{
			RequestItems:           pending,
			ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		})
		if err != nil {
			return nil, translate(err)
		}
		items = append(items, out.Responses[s.table]...)
		if len(out.UnprocessedKeys[s.table].Keys) == 0 {
			return items, nil
		}
		pending = out.UnprocessedKeys
		if attempt >= maxUnprocessedAttempts {
			return nil, newUnavailable(fmt.Errorf("%d keys still unprocessed after %d attempts", len(pending[s.table].Keys), attempt))
		}
		if err := sleep(ctx, s.unprocessedDelay(attempt)); err != nil {
			return nil, fmt.Errorf("%d keys still unprocessed: %w", len(pending[s.table].Keys), err)
		}
	}
}

// batchGetDomain reads the items of type typ at keys (unique) with batchGet
// and maps them to their domain values, in no particular order.
func batchGetDomain[T interface{ domain() D }, D any](ctx context.Context, s *Store, keys []itemKey, typ string) ([]D, error) {
	avs, err := s.batchGet(ctx, keys)
	if err != nil {
		return nil, err
	}
	return unmarshalItems[T](avs, typ)
}
