package dynamo

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"golang.org/x/sync/errgroup"
)

// queryAll returns every item in rest the query matches, in sort-key order,
// reading all pages with the SDK's paginator. Errors are translated
// (ServiceUnavailable, or internal).
func (s *Store) queryAll(ctx context.Context, in *dynamodb.QueryInput) ([]map[string]types.AttributeValue, error) {
	in.TableName = &s.table
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	var items []map[string]types.AttributeValue
	pages := dynamodb.NewQueryPaginator(s.client, in)
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil, translate(err)
		}
		items = append(items, out.Items...)
	}
	return items, nil
}

// indexPartitionQuery is the Query of gsi1 partition gsi1pk in index order.
// Index reads are eventually consistent: DynamoDB offers nothing else on a
// global secondary index.
func indexPartitionQuery(gsi1pk string) *dynamodb.QueryInput {
	return &dynamodb.QueryInput{
		IndexName:                 aws.String(indexGSI1),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrGSI1PK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": stringValue(gsi1pk)},
	}
}

// prefixQuery is the strongly consistent Query of the items of partition
// p.PK whose sort key starts with p.SK, in sort-key order.
func prefixQuery(p itemKey) *dynamodb.QueryInput {
	return &dynamodb.QueryInput{
		KeyConditionExpression:   aws.String("#pk = :pk AND begins_with(#sk, :prefix)"),
		ExpressionAttributeNames: map[string]string{"#pk": attrPK, "#sk": attrSK},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk":     stringValue(p.PK),
			":prefix": stringValue(p.SK),
		},
		ConsistentRead: aws.Bool(true),
	}
}

// partitionQuery is the strongly consistent Query of every item of
// partition pk.
func partitionQuery(pk string) *dynamodb.QueryInput {
	return &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrPK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": stringValue(pk)},
		ConsistentRead:            aws.Bool(true),
	}
}

// fanOut calls read once for each distinct key, concurrently (at most
// maxConcurrentQueries at a time), and returns the results by key. The
// first error cancels the other calls and is returned.
func fanOut[K comparable, V any](ctx context.Context, keys []K, read func(context.Context, K) (V, error)) (map[K]V, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make(map[K]V, len(keys))
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(maxConcurrentQueries)
	for _, k := range keys {
		mu.Lock()
		_, seen := out[k]
		if !seen {
			var zero V
			out[k] = zero // reserve: later duplicates are skipped
		}
		mu.Unlock()
		if seen {
			continue
		}
		g.Go(func() error {
			v, err := read(gctx, k)
			if err != nil {
				return err
			}
			mu.Lock()
			out[k] = v
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}
