package bolt

import (
	"errors"
	"fmt"
	"strconv"

	bbolt "go.etcd.io/bbolt"
)

// formatVersion is the layout this code reads and writes (keys.go,
// records.go), stored as decimal text under formatKey in metaBucket.
// Format 1, written before the version was stored, had no meta bucket: it
// imitated DynamoDB's single table (migrate_v1.go).
const formatVersion = 2

// ErrNewerFormat is returned (wrapped) by Open for a file whose format is
// newer than formatVersion: a newer dayline wrote it, and this one leaves
// it untouched.
var ErrNewerFormat = errors.New("the database file was written by a newer dayline")

// ErrNotDayline is returned (wrapped) by Open for a bbolt file that holds
// neither a format version nor format 1's buckets.
var ErrNotDayline = errors.New("the file is not a dayline database")

// ErrWrittenByOlderDayline is returned (wrapped) by Open for a file in
// formatVersion whose format 1 buckets (items, gsi1) are not empty: an
// older dayline, which reads such a file as an empty database, wrote into
// it after the migration. This dayline would not see those writes, so Open
// refuses the file and leaves it unchanged; the error says how to go on.
var ErrWrittenByOlderDayline = errors.New("an older dayline wrote into the database file after it was migrated to format 2")

// prepare brings the file db has open (at path) to formatVersion:
//
//   - a new, empty file gets the buckets and the format version;
//   - a format 1 file is copied to path+".format1.bak" (backUpV1, so that
//     an older dayline can still be run on the copy), then migrated in
//     place in one write transaction: every record is rewritten in format
//     2, format 1's buckets are dropped and the version is set. If
//     anything fails the transaction is rolled back and the file stays in
//     format 1, unchanged;
//   - a file in formatVersion is used as is, read only; empty format 1
//     buckets in it (an older dayline opened it and wrote nothing) are
//     dropped. Non-empty ones are an error (ErrWrittenByOlderDayline) and
//     the file is not changed;
//   - a newer or unknown format is an error (ErrNewerFormat,
//     ErrNotDayline), and the file is not changed.
func prepare(db *bbolt.DB, path string) error {
	var version, v1Items, v1Index int
	var hasV1Buckets bool
	err := db.View(func(tx *bbolt.Tx) error {
		v, err := storedFormat(tx)
		version = v
		if v == formatVersion {
			v1Items, v1Index = v1Entries(tx)
			hasV1Buckets = tx.Bucket(v1ItemsBucket) != nil || tx.Bucket(v1IndexBucket) != nil
		}
		return err
	})
	if err != nil {
		return err
	}
	switch {
	case version > formatVersion:
		return fmt.Errorf("%w: it has format %d, this dayline reads format %d and older; run a newer dayline", ErrNewerFormat, version, formatVersion)
	case v1Items > 0 || v1Index > 0:
		return fmt.Errorf("%w: its format 1 buckets items and gsi1 hold %d and %d entries, which this dayline does not read. "+
			"The file is unchanged. The data from before the migration was copied to %s: to go back to the older dayline, "+
			"put a copy of that file in place of this one (this loses every write made since the migration); "+
			"to stay on this dayline, redo the older dayline's writes with it and delete the buckets items and gsi1 from this file",
			ErrWrittenByOlderDayline, v1Items, v1Index, backupPath(path))
	case version == formatVersion && !hasV1Buckets:
		return nil
	case version == 1:
		if err := backUpV1(path); err != nil {
			return err
		}
	}
	return db.Update(func(tx *bbolt.Tx) error {
		if version == 1 {
			if err := migrateV1(tx); err != nil {
				return fmt.Errorf("migrate from format 1 to %d (the file is unchanged): %w", formatVersion, err)
			}
		}
		if err := dropV1Buckets(tx); err != nil {
			return err
		}
		return createFormat(tx)
	})
}

// storedFormat returns the format of the file tx reads: 0 for a new, empty
// file.
func storedFormat(tx *bbolt.Tx) (int, error) {
	meta := tx.Bucket(metaBucket)
	if meta == nil {
		if tx.Bucket(v1ItemsBucket) != nil {
			return 1, nil
		}
		empty := true
		_ = tx.ForEach(func([]byte, *bbolt.Bucket) error {
			empty = false
			return nil
		})
		if !empty {
			return 0, fmt.Errorf("%w: it has no format version", ErrNotDayline)
		}
		return 0, nil
	}
	raw := meta.Get(formatKey)
	v, err := strconv.Atoi(string(raw))
	if err != nil || v < 2 {
		return 0, fmt.Errorf("%w: its format version %q is not one", ErrNotDayline, raw)
	}
	return v, nil
}

// createFormat creates the buckets of formatVersion that are missing and
// stores the version.
func createFormat(tx *bbolt.Tx) error {
	for _, name := range buckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return tx.Bucket(metaBucket).Put(formatKey, []byte(strconv.Itoa(formatVersion)))
}
