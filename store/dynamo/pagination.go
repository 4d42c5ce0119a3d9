package dynamo

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// cursorAttrs are the attributes of a gsi1 Query's LastEvaluatedKey: the
// index key and the table key of the last item read. A nextToken carries
// them as a JSON object of strings.
func cursorAttrs() [4]string { return [4]string{attrPK, attrSK, attrGSI1PK, attrGSI1SK} }

// decodeCursor verifies token for gsi1 partition and returns the
// ExclusiveStartKey it holds. It returns store.InvalidPageToken (BadRequest)
// for a forged, altered or foreign token.
func (s *Store) decodeCursor(partition, token string) (map[string]types.AttributeValue, error) {
	var c map[string]string
	if err := s.tokens.Decode(partition, token, &c); err != nil {
		return nil, err
	}
	if len(c) != len(cursorAttrs()) || c[attrGSI1PK] != partition {
		return nil, store.InvalidPageToken()
	}
	key := make(map[string]types.AttributeValue, len(cursorAttrs()))
	for _, name := range cursorAttrs() {
		if c[name] == "" {
			return nil, store.InvalidPageToken()
		}
		key[name] = stringValue(c[name])
	}
	return key, nil
}

// encodeCursor returns the nextToken pointing after item, in partition.
func (s *Store) encodeCursor(partition string, item map[string]types.AttributeValue) (string, error) {
	c := make(map[string]string, len(cursorAttrs()))
	for _, name := range cursorAttrs() {
		c[name] = stringAttr(item, name)
	}
	return s.tokens.Encode(partition, c)
}

// queryPage returns one page of gsi1 partition in index order, the items
// being of type typ. The page holds up to page.Limit items (see domain.PageRequest.Size)
// after the position page.NextToken names. It asks DynamoDB for one item
// more than the page holds, so its NextToken is set only when at least one
// more item follows: the last page has none. The token holds the keys of
// the page's last item, the LastEvaluatedKey a Query with the page's limit
// would have returned, and is scoped to partition, so a token of another
// list fails to decode. It returns the BadRequest error of decodeCursor for
// a bad token; other errors are translated (ServiceUnavailable, or
// internal).
func queryPage[T interface{ domain() D }, D any](ctx context.Context, s *Store, partition string, page domain.PageRequest, typ string) (domain.Page[D], error) {
	limit := page.Size()
	in := indexPartitionQuery(partition)
	in.TableName = &s.table
	in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	if page.NextToken != "" {
		start, err := s.decodeCursor(partition, page.NextToken)
		if err != nil {
			return domain.Page[D]{}, err
		}
		in.ExclusiveStartKey = start
	}

	var items []map[string]types.AttributeValue
	for {
		in.Limit = aws.Int32(int32(limit + 1 - len(items)))
		out, err := s.client.Query(ctx, in)
		if err != nil {
			return domain.Page[D]{}, translate(err)
		}
		items = append(items, out.Items...)
		if len(items) > limit || len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}

	more := len(items) > limit
	if more {
		items = items[:limit]
	}
	decoded, err := unmarshalItems[T](items, typ)
	if err != nil {
		return domain.Page[D]{}, err
	}
	p := domain.Page[D]{Items: decoded}
	if more {
		token, err := s.encodeCursor(partition, items[limit-1])
		if err != nil {
			return domain.Page[D]{}, err
		}
		p.NextToken = &token
	}
	return p, nil
}

// queryIndexPartition returns every item of gsi1 partition gsi1pk, in index
// order, reading all pages.
func (s *Store) queryIndexPartition(ctx context.Context, gsi1pk string) ([]map[string]types.AttributeValue, error) {
	return s.queryAll(ctx, indexPartitionQuery(gsi1pk))
}
