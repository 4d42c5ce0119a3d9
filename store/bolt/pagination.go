package bolt

import (
	"bytes"

	bbolt "go.etcd.io/bbolt"

	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store"
)

// list is one list the contract reads in order: the entries of an index
// bucket under prefix, in key order, each naming by its value the id of a
// record in the records bucket.
type list struct {
	scope   string // names the list in its page tokens
	prefix  []byte
	index   func(t *txn) *bbolt.Bucket
	records func(t *txn) *bbolt.Bucket
}

// membersList is an organisation's members in creation order.
func membersList(orgID string) list {
	return list{scope: "members/" + orgID, prefix: membersPrefix(orgID),
		index: func(t *txn) *bbolt.Bucket { return t.members() }, records: func(t *txn) *bbolt.Bucket { return t.users() }}
}

// ownerSchedulesList is an owner's schedules by id.
func ownerSchedulesList(ownerID string) list {
	return list{scope: "schedules/" + ownerID, prefix: ownerSchedulesPrefix(ownerID),
		index: func(t *txn) *bbolt.Bucket { return t.ownerSchedules() }, records: func(t *txn) *bbolt.Bucket { return t.schedules() }}
}

// pageCursor is the position a nextToken carries: the index key, less the
// list's prefix, of the last item of the previous page.
type pageCursor struct {
	After string `json:"after"`
}

// listAll returns every record of l, in order, read in transaction t.
func listAll[R record[D], D any](t *txn, l list) ([]D, error) {
	out := []D{}
	records := l.records(t)
	err := scan(l.index(t), l.prefix, func(k, id []byte) error {
		d, err := indexed[R](t, records, k, id)
		if err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

// queryPage returns one page of l in one read transaction. The page holds
// up to page.Limit items (see domain.PageRequest.Size) after the position
// page.NextToken names; its NextToken is set only when at least one more
// item follows, and is scoped to l, so a token of another list fails to
// decode. It returns store.InvalidPageToken (BadRequest) for a bad token.
func queryPage[R record[D], D any](s *Store, l list, page domain.PageRequest) (domain.Page[D], error) {
	limit := page.Size()
	start, after := l.prefix, []byte(nil)
	if page.NextToken != "" {
		var c pageCursor
		if err := s.tokens.Decode(l.scope, page.NextToken, &c); err != nil {
			return domain.Page[D]{}, err
		}
		if c.After == "" {
			return domain.Page[D]{}, store.InvalidPageToken()
		}
		after = append(append([]byte(nil), l.prefix...), c.After...)
		start = after
	}

	items := make([]D, 0, limit)
	var last []byte
	more := false
	err := s.view(func(t *txn) error {
		records := l.records(t)
		c := l.index(t).Cursor()
		k, id := c.Seek(start)
		if after != nil && bytes.Equal(k, after) {
			k, id = c.Next()
		}
		for ; k != nil && bytes.HasPrefix(k, l.prefix); k, id = c.Next() {
			if len(items) == limit {
				more = true
				return nil
			}
			d, err := indexed[R](t, records, k, id)
			if err != nil {
				return err
			}
			items = append(items, d)
			last = append(last[:0], k...)
		}
		return nil
	})
	if err != nil {
		return domain.Page[D]{}, err
	}

	p := domain.Page[D]{Items: items}
	if more {
		token, err := s.tokens.Encode(l.scope, pageCursor{After: string(last[len(l.prefix):])})
		if err != nil {
			return domain.Page[D]{}, err
		}
		p.NextToken = &token
	}
	return p, nil
}
