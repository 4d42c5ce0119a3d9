package bolt

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrBackupExists is returned (wrapped) by Open for a format 1 file when
// path+".format1.bak" exists already and differs from the file: it may be
// the only copy of an earlier format 1 file, so Open neither overwrites it
// nor migrates the file, which stays unchanged. Moving the old backup
// elsewhere and opening again migrates the file.
var ErrBackupExists = errors.New("a format 1 backup of another file exists already")

// backupPath returns where the format 1 file at path is copied before it
// is migrated.
func backupPath(path string) string { return path + ".format1.bak" }

// backUpV1 copies the format 1 file at path, byte for byte, to
// backupPath(path), durably: the copy is written to a temporary file
// beside it, synced, renamed into place, and the directory synced. The
// caller holds the file open and locked and has not written to it, so the
// bytes are one consistent state. An existing backup with the same bytes
// (left by an earlier attempt whose migration failed) is kept as it is;
// one with other bytes is an error wrapping ErrBackupExists.
func backUpV1(path string) error {
	backup := backupPath(path)
	same, err := sameBytes(path, backup)
	if err == nil && same {
		return nil
	}
	if err == nil {
		return fmt.Errorf("%w: %s is not a copy of this file; move it elsewhere (it may be the only copy of an earlier format 1 file) and start dayline again to migrate this file, which is unchanged", ErrBackupExists, backup)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("compare %s with the file: %w", backup, err)
	}
	if err := copyDurably(path, backup); err != nil {
		return fmt.Errorf("copy format 1 file to %s before migrating it: %w", backup, err)
	}
	return nil
}

// sameBytes reports whether the files at a and b hold the same bytes; the
// error wraps fs.ErrNotExist when one is missing.
func sameBytes(a, b string) (bool, error) {
	rawB, err := os.ReadFile(b)
	if err != nil {
		return false, err
	}
	rawA, err := os.ReadFile(a)
	if err != nil {
		return false, err
	}
	return bytes.Equal(rawA, rawB), nil
}

// copyDurably copies the file at src to dst through dst+".tmp" (replaced
// if a crash left one), syncing the copy before renaming it to dst and the
// directory after. The caller has made sure that dst does not exist: this
// process holds the lock of the database file that dst backs up.
func copyDurably(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".tmp"
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			out.Close()
			os.Remove(tmp)
		}
	}()
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	return syncDir(filepath.Dir(dst))
}

// syncDir flushes the entries of directory dir (a rename in it) to disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		d.Close()
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return d.Close()
}
