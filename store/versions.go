package store

import "fmt"

// CheckNextVersion returns an (internal) error unless version is
// expectedVersion+1: the contract of every conditional update is that the
// caller bumps the version it read by one.
func CheckNextVersion(kind, id string, version, expectedVersion int) error {
	if version != expectedVersion+1 {
		return fmt.Errorf("update %s %s: version %d must be expectedVersion+1 (%d)", kind, id, version, expectedVersion+1)
	}
	return nil
}
