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

// txn gives access to the buckets inside one bbolt transaction.
type txn struct {
	orgs           *bbolt.Bucket
	users          *bbolt.Bucket
	members        *bbolt.Bucket
	emails         *bbolt.Bucket
	schedules      *bbolt.Bucket
	ownerSchedules *bbolt.Bucket
	taskRefs       *bbolt.Bucket
	completions    *bbolt.Bucket
	cache          *decodeCache // nil in write transactions
}

// view runs fn in a read transaction.
func (s *Store) view(fn func(t txn) error) error {
	return s.db.View(func(tx *bbolt.Tx) error {
		t := newTxn(tx)
		t.cache = s.cache
		return fn(t)
	})
}

// update runs fn in a write transaction; any error rolls everything back.
func (s *Store) update(fn func(t txn) error) error {
	return s.db.Update(func(tx *bbolt.Tx) error { return fn(newTxn(tx)) })
}

// newTxn returns the buckets of tx, which must hold every bucket of the
// current format (Open makes sure of it).
func newTxn(tx *bbolt.Tx) txn {
	return txn{
		orgs:           tx.Bucket(organisationsBucket),
		users:          tx.Bucket(usersBucket),
		members:        tx.Bucket(membersBucket),
		emails:         tx.Bucket(emailsBucket),
		schedules:      tx.Bucket(schedulesBucket),
		ownerSchedules: tx.Bucket(ownerSchedulesBucket),
		taskRefs:       tx.Bucket(taskRefsBucket),
		completions:    tx.Bucket(completionsBucket),
	}
}

// get returns the domain value of the R stored at key in b; ok is false
// when there is none.
func get[R record[D], D any](t txn, b *bbolt.Bucket, key []byte) (d D, ok bool, err error) {
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
func indexed[R record[D], D any](t txn, b *bbolt.Bucket, k, id []byte) (D, error) {
	d, ok, err := get[R](t, b, id)
	if err == nil && !ok {
		err = fmt.Errorf("index entry %q points at a missing record %q", k, id)
	}
	return d, err
}

// getMany returns the domain values of the Rs stored in the bucket of
// each unique id, in the order of first mention, read in one transaction;
// missing ids are omitted.
func getMany[R record[D], D any](s *Store, bucket func(t txn) *bbolt.Bucket, ids []string) ([]D, error) {
	out := make([]D, 0, len(ids))
	err := s.view(func(t txn) error {
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
