// Package bolt is the embedded implementation of store.Store on bbolt. It
// has its own layout (keys.go, records.go), not DynamoDB's: one bucket per
// kind of record, keyed by id, plus index buckets for the lists the
// contract pages through, with explicitly named stored fields and the
// layout's version in the file (format.go). It keeps the contract's
// semantics (ordering, pagination, conditional writes), so it passes the
// same contract suite as store/dynamo (store/storetest):
//
//   - Every write is one bbolt Update transaction that checks its
//     conditions (existence, version, email claim, task ids) inside the
//     transaction and keeps the index buckets in step, so a failed write
//     changes nothing.
//   - Every read is one View transaction: a batch read or a list sees one
//     consistent state.
//   - A file of an older format is migrated when it is opened (format.go).
package bolt

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/dayline/dayline/store"
)

var _ store.Store = (*Store)(nil)

// openTimeout bounds how long Open waits for the file lock.
const openTimeout = time.Second

// ErrLocked is returned (wrapped) by Open when another process, or another
// Store in this process, holds the database file.
var ErrLocked = errors.New("database file is locked by another process (is another dayline instance running?)")

// Store is the bbolt-backed store.Store. It is safe for concurrent use.
type Store struct {
	db     *bbolt.DB
	tokens *store.PageTokens
	cache  *decodeCache
}

// Open opens the database at path, creating the file (in the current
// format) and its parent directory if missing, and migrating a file of an
// older format (see format.go). tokens signs and verifies nextToken values.
// Open gives up after one second with an error wrapping ErrLocked (and
// bbolt.ErrTimeout) when another process holds the file; it returns an
// error wrapping ErrNewerFormat for a file written by a newer dayline, one
// wrapping ErrNotDayline for a bbolt file that is not a dayline database,
// one wrapping ErrWrittenByOlderDayline for a migrated file an older
// dayline wrote into, and one wrapping ErrBackupExists for a format 1 file
// whose backup path holds another file.
func Open(path string, tokens *store.PageTokens) (*Store, error) {
	if tokens == nil {
		return nil, fmt.Errorf("open %s: page tokens are required", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: openTimeout})
	if errors.Is(err, bbolt.ErrTimeout) {
		return nil, fmt.Errorf("open %s: %w: %w", path, ErrLocked, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := prepare(db, path); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &Store{db: db, tokens: tokens, cache: newDecodeCache()}, nil
}

// Close releases the database file. It returns an error if pending writes
// could not be flushed.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}

// txn gives access to the buckets inside one bbolt transaction. A bucket
// is opened when first used (opening one costs a lookup and an allocation
// in a read transaction), so a read pays only for the buckets it touches.
type txn struct {
	tx    *bbolt.Tx
	open  [bucketCount]*bbolt.Bucket
	cache *decodeCache // nil in write transactions
}

// The buckets of the current format, by index into txn.open.
const (
	orgsBucketID = iota
	usersBucketID
	membersBucketID
	emailsBucketID
	schedulesBucketID
	ownerSchedulesBucketID
	taskRefsBucketID
	completionsBucketID
	bucketCount
)

// bucketNames names the bucket of each bucket id.
var bucketNames = [bucketCount][]byte{
	orgsBucketID:           organisationsBucket,
	usersBucketID:          usersBucket,
	membersBucketID:        membersBucket,
	emailsBucketID:         emailsBucket,
	schedulesBucketID:      schedulesBucket,
	ownerSchedulesBucketID: ownerSchedulesBucket,
	taskRefsBucketID:       taskRefsBucket,
	completionsBucketID:    completionsBucket,
}

// bucket returns the bucket id, opening it on first use. The transaction
// must hold every bucket of the current format (Open makes sure of it).
func (t *txn) bucket(id int) *bbolt.Bucket {
	if t.open[id] == nil {
		t.open[id] = t.tx.Bucket(bucketNames[id])
	}
	return t.open[id]
}

func (t *txn) orgs() *bbolt.Bucket           { return t.bucket(orgsBucketID) }
func (t *txn) users() *bbolt.Bucket          { return t.bucket(usersBucketID) }
func (t *txn) members() *bbolt.Bucket        { return t.bucket(membersBucketID) }
func (t *txn) emails() *bbolt.Bucket         { return t.bucket(emailsBucketID) }
func (t *txn) schedules() *bbolt.Bucket      { return t.bucket(schedulesBucketID) }
func (t *txn) ownerSchedules() *bbolt.Bucket { return t.bucket(ownerSchedulesBucketID) }
func (t *txn) taskRefs() *bbolt.Bucket       { return t.bucket(taskRefsBucketID) }
func (t *txn) completions() *bbolt.Bucket    { return t.bucket(completionsBucketID) }

// view runs fn in a read transaction.
func (s *Store) view(fn func(t *txn) error) error {
	return s.db.View(func(tx *bbolt.Tx) error {
		return fn(&txn{tx: tx, cache: s.cache})
	})
}

// update runs fn in a write transaction; any error rolls everything back.
func (s *Store) update(fn func(t *txn) error) error {
	return s.db.Update(func(tx *bbolt.Tx) error { return fn(newTxn(tx)) })
}

// newTxn returns a write transaction's buckets (no decode cache).
func newTxn(tx *bbolt.Tx) *txn { return &txn{tx: tx} }

// get returns the domain value of the R stored at key in b; ok is false
// when there is none.
func get[R record[D], D any](t *txn, b *bbolt.Bucket, key []byte) (d D, ok bool, err error) {
	raw := b.Get(key)
	if raw == nil {
		return d, false, nil
	}
	d, err = cachedDecode[R](t.cache, raw)
	if err != nil {
		return d, false, fmt.Errorf("record %q: %w", key, err)
	}
	return d, true, nil
}

// put stores r at key in b, replacing any record there.
func put[R record[D], D any](b *bbolt.Bucket, key []byte, r R) error {
	raw, err := encodeRecord(r)
	if err != nil {
		return err
	}
	return b.Put(key, raw)
}

// scan calls fn with the key and value of each entry of b whose key
// starts with prefix, in key order. fn must not change b.
func scan(b *bbolt.Bucket, prefix []byte, fn func(k, v []byte) error) error {
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

// count returns the number of keys of b that start with prefix.
func count(b *bbolt.Bucket, prefix []byte) int {
	n := 0
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n
}

// indexed returns the domain value of the R stored in b under the id an
// index entry (key k, value id) holds; an entry pointing at nothing is an
// internal error.
func indexed[R record[D], D any](t *txn, b *bbolt.Bucket, k, id []byte) (D, error) {
	d, ok, err := get[R](t, b, id)
	if err == nil && !ok {
		err = fmt.Errorf("index entry %q points at a missing record %q", k, id)
	}
	return d, err
}

// getMany returns the domain values of the Rs stored in the bucket of
// each unique id, in the order of first mention, read in one transaction;
// missing ids are omitted.
func getMany[R record[D], D any](s *Store, bucket func(t *txn) *bbolt.Bucket, ids []string) ([]D, error) {
	out := make([]D, 0, len(ids))
	err := s.view(func(t *txn) error {
		b := bucket(t)
		for _, id := range store.UniqueIDs(ids) {
			d, ok, err := get[R](t, b, idKey(id))
			if err != nil {
				return err
			}
			if ok {
				out = append(out, d)
			}
		}
		return nil
	})
	return out, err
}
