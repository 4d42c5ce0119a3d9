// Package bolt is the embedded implementation of store.Store on bbolt. It
// emulates the DynamoDB single-table design (store/keys.go) so that both
// implementations behave the same and pass the same contract suite
// (store/storetest):
//
//   - Items are JSON documents with the generic attributes pk, sk, type, id,
//     optional gsi1pk/gsi1sk and version, plus a data payload holding the
//     domain struct.
//   - The "items" bucket is the table, keyed by pk 0x00 sk, so byte order
//     within a partition is DynamoDB's sort-key order.
//   - The "gsi1" bucket is the index, keyed by gsi1pk 0x00 gsi1sk 0x00 pk
//     0x00 sk with the item's table key as value. Every put and delete
//     maintains it.
//   - Every write is one bbolt Update transaction that checks its conditions
//     (existence, version, email claim) inside the transaction, so a failed
//     write changes nothing.
package bolt

import (
	"bytes"
	"errors"
	"fmt"
	json "github.com/goccy/go-json"
	"os"
	"path/filepath"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/dayline/dayline/store"
)

var _ store.Store = (*Store)(nil)

// Bucket names.
var (
	itemsBucket = []byte("items")
	gsi1Bucket  = []byte(store.IndexGSI1)
)

// openTimeout bounds how long Open waits for the file lock.
const openTimeout = time.Second

// keySep separates key parts in bucket keys. It sorts before every printable
// byte, so a shorter part sorts first, as in DynamoDB.
const keySep = "\x00"

// ErrLocked is returned (wrapped) by Open when another process, or another
// Store in this process, holds the database file.
var ErrLocked = errors.New("database file is locked by another process (is another dayline instance running?)")

// Store is the bbolt-backed store.Store. It is safe for concurrent use.
type Store struct {
	db     *bbolt.DB
	tokens *store.PageTokens
	cache  *decodeCache
}

// Open opens the database at path, creating the file and its parent
// directory if missing. tokens signs and verifies nextToken values. Open
// gives up after one second with an error wrapping ErrLocked (and
// bbolt.ErrTimeout) when another process holds the file.
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
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{itemsBucket, gsi1Bucket} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: create buckets: %w", path, err)
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

// record is one stored document, attribute for attribute what the DynamoDB
// table holds, with its data payload typed as T. Reads decode a record in
// one pass, straight into the domain struct.
type record[T any] struct {
	PK      string `json:"pk"`
	SK      string `json:"sk"`
	Type    string `json:"type"`
	ID      string `json:"id"`
	GSI1PK  string `json:"gsi1pk,omitempty"`
	GSI1SK  string `json:"gsi1sk,omitempty"`
	Version int    `json:"version,omitempty"`
	Data    T      `json:"data"`
}

// anyData decodes no payload: for reads that need only the attributes.
type anyData struct{}

// anyType accepts a record of any type.
const anyType = ""

// newRecord returns the record of data stored under key k.
func newRecord[T any](k store.Key, typ, id string, data T) record[T] {
	return record[T]{PK: k.PK, SK: k.SK, Type: typ, ID: id, Data: data}
}

// withIndex returns r with its gsi1 key set to k.
func (r record[T]) withIndex(k store.Key) record[T] {
	r.GSI1PK, r.GSI1SK = k.PK, k.SK
	return r
}

func (r record[T]) key() store.Key { return store.Key{PK: r.PK, SK: r.SK} }

func (r record[T]) indexKey() (store.Key, bool) {
	return store.Key{PK: r.GSI1PK, SK: r.GSI1SK}, r.GSI1PK != ""
}

// decodeRecord decodes raw, which must hold a record of type typ (any type
// for anyType).
func decodeRecord[T any](raw []byte, typ string) (record[T], error) {
	var r record[T]
	if err := json.Unmarshal(raw, &r); err != nil {
		return r, fmt.Errorf("decode %s item: %w", typ, err)
	}
	if typ != anyType && r.Type != typ {
		return r, fmt.Errorf("item %s/%s has type %q, want %q", r.PK, r.SK, r.Type, typ)
	}
	return r, nil
}

// tableKey is the "items" bucket key of k.
func tableKey(k store.Key) []byte { return []byte(k.PK + keySep + k.SK) }

// tablePrefix is the "items" bucket prefix of the sort keys starting with
// skPrefix in partition pk.
func tablePrefix(pk, skPrefix string) []byte { return []byte(pk + keySep + skPrefix) }

// indexKey is the "gsi1" bucket key of an item with index key idx and
// primary key k.
func indexKey(idx, k store.Key) []byte {
	return []byte(idx.PK + keySep + idx.SK + keySep + k.PK + keySep + k.SK)
}

// indexPartitionPrefix is the "gsi1" bucket prefix of an index partition.
func indexPartitionPrefix(gsi1pk string) []byte { return []byte(gsi1pk + keySep) }

// txn gives access to the buckets inside one bbolt transaction.
type txn struct {
	items *bbolt.Bucket
	gsi1  *bbolt.Bucket
	cache *decodeCache // nil in write transactions
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

func newTxn(tx *bbolt.Tx) txn {
	return txn{items: tx.Bucket(itemsBucket), gsi1: tx.Bucket(gsi1Bucket)}
}

// exists reports whether there is an item at k.
func (t txn) exists(k store.Key) bool { return t.items.Get(tableKey(k)) != nil }

// getRecord returns the item at k, which must be of type typ; ok is false
// when there is none.
func getRecord[T any](t txn, k store.Key, typ string) (r record[T], ok bool, err error) {
	raw := t.items.Get(tableKey(k))
	if raw == nil {
		return r, false, nil
	}
	r, err = cachedDecode[T](t.cache, raw, typ)
	return r, err == nil, err
}

// putRecord writes r, replacing any item with the same key, and keeps gsi1
// in step.
func putRecord[T any](t txn, r record[T]) error {
	if err := t.unindex(r.key()); err != nil {
		return err
	}
	raw, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode %s %s: %w", r.Type, r.ID, err)
	}
	if err := t.items.Put(tableKey(r.key()), raw); err != nil {
		return err
	}
	if idx, ok := r.indexKey(); ok {
		return t.gsi1.Put(indexKey(idx, r.key()), tableKey(r.key()))
	}
	return nil
}

// delete removes the item at k, if any, and its index entry.
func (t txn) delete(k store.Key) error {
	if err := t.unindex(k); err != nil {
		return err
	}
	return t.items.Delete(tableKey(k))
}

// unindex removes the gsi1 entry of the item stored at k, if any.
func (t txn) unindex(k store.Key) error {
	old, ok, err := getRecord[anyData](t, k, anyType)
	if err != nil || !ok {
		return err
	}
	if idx, ok := old.indexKey(); ok {
		return t.gsi1.Delete(indexKey(idx, k))
	}
	return nil
}

// scanPrefix calls fn for each item whose sort key starts with skPrefix in
// partition pk, in sort-key order; each must be of type typ.
func scanPrefix[T any](t txn, pk, skPrefix, typ string, fn func(r record[T]) error) error {
	prefix := tablePrefix(pk, skPrefix)
	c := t.items.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		r, err := cachedDecode[T](t.cache, v, typ)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// deletePrefix removes every item whose sort key starts with skPrefix in
// partition pk.
func (t txn) deletePrefix(pk, skPrefix string) error {
	var keys []store.Key
	err := scanPrefix(t, pk, skPrefix, anyType, func(r record[anyData]) error {
		keys = append(keys, r.key())
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := t.delete(k); err != nil {
			return err
		}
	}
	return nil
}

// indexed returns the raw item an index entry (key k, value v) points at.
func (t txn) indexed(k, v []byte) ([]byte, error) {
	raw := t.items.Get(v)
	if raw == nil {
		return nil, fmt.Errorf("index entry %q points at a missing item", k)
	}
	return raw, nil
}

// scanIndex calls fn for each item in gsi1 partition gsi1pk, in index
// sort-key order; each must be of type typ.
func scanIndex[T any](t txn, gsi1pk, typ string, fn func(r record[T]) error) error {
	prefix := indexPartitionPrefix(gsi1pk)
	c := t.gsi1.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		raw, err := t.indexed(k, v)
		if err != nil {
			return err
		}
		r, err := cachedDecode[T](t.cache, raw, typ)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}
