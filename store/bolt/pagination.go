package bolt

import (
	"bytes"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// indexCursor is the position a nextToken carries: the index and primary
// key of the last item of the previous page. It has the shape of the
// LastEvaluatedKey of a DynamoDB gsi1 Query, so both stores agree on what a
// token holds.
type indexCursor struct {
	PK     string `json:"pk"`
	SK     string `json:"sk"`
	GSI1PK string `json:"gsi1pk"`
	GSI1SK string `json:"gsi1sk"`
}

func cursorOf[T any](r record[T]) indexCursor {
	return indexCursor{PK: r.PK, SK: r.SK, GSI1PK: r.GSI1PK, GSI1SK: r.GSI1SK}
}

// indexKey is the "gsi1" bucket key the cursor points at.
func (c indexCursor) indexKey() []byte {
	return indexKey(store.Key{PK: c.GSI1PK, SK: c.GSI1SK}, store.Key{PK: c.PK, SK: c.SK})
}

// queryPage returns one page of gsi1 partition in index order, each item
// of type typ decoded as T, in one read transaction. The page holds up to
// page.Limit items (see domain.PageRequest.Size) after the position page.NextToken names;
// its NextToken is set only when at least one more item follows, and is
// scoped to partition, so a token of another list fails to decode. It
// returns the BadRequest error of store.PageTokens.Decode for a bad token.
func queryPage[T any](s *Store, partition, typ string, page domain.PageRequest) (domain.Page[T], error) {
	limit := page.Size()
	prefix := indexPartitionPrefix(partition)
	start, after := prefix, []byte(nil)
	if page.NextToken != "" {
		var c indexCursor
		if err := s.tokens.Decode(partition, page.NextToken, &c); err != nil {
			return domain.Page[T]{}, err
		}
		if c.GSI1PK != partition {
			return domain.Page[T]{}, domain.BadRequest("nextToken is invalid: pass back the nextToken of the previous page unchanged")
		}
		after = c.indexKey()
		start = after
	}

	items := make([]T, 0, limit)
	var last indexCursor
	more := false
	err := s.view(func(t txn) error {
		c := t.gsi1.Cursor()
		k, v := c.Seek(start)
		if after != nil && bytes.Equal(k, after) {
			k, v = c.Next()
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(items) == limit {
				more = true
				return nil
			}
			raw, err := t.indexed(k, v)
			if err != nil {
				return err
			}
			r, err := cachedDecode[T](t.cache, raw, typ)
			if err != nil {
				return err
			}
			items = append(items, r.Data)
			last = cursorOf(r)
		}
		return nil
	})
	if err != nil {
		return domain.Page[T]{}, err
	}

	p := domain.Page[T]{Items: items}
	if more {
		token, err := s.tokens.Encode(partition, last)
		if err != nil {
			return domain.Page[T]{}, err
		}
		p.NextToken = &token
	}
	return p, nil
}
