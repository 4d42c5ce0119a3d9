// Package storetest is the contract suite of store.Store: every
// implementation (store/bolt, store/dynamo) must pass it unchanged, which is
// what makes them interchangeable. The suite checks behaviour a resolver can
// observe (values read back, ordering, pagination, error codes, atomicity of
// failed writes), never how an implementation lays out its data.
package storetest

import (
	"testing"

	"github.com/dayline/dayline/store"
)

// contractTest is one named check; it gets a fresh, empty store.
type contractTest struct {
	name string
	run  func(t *testing.T, s store.Store)
}

// Run runs the contract suite against the store.Store implementation that
// open returns. Each subtest calls open once and expects a fresh, empty
// store; open registers any cleanup with t.Cleanup and fails t (t.Fatal)
// when the store cannot be opened.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	groups := []struct {
		name  string
		tests []contractTest
	}{
		{"Organisations", []contractTest{
			{"CreateAndReadBack", testCreateOrganisationReadBack},
			{"Conflicts", testCreateOrganisationConflicts},
			{"GetOrganisations", testGetOrganisations},
		}},
		{"Users", []contractTest{
			{"DuplicateID", testCreateUserDuplicateID},
			{"EmailUniquePerOrganisation", testEmailUniquePerOrganisation},
			{"Update", testUpdateUser},
			{"Delete", testDeleteUser},
			{"GetUsers", testGetUsers},
		}},
		{"ListMembers", []contractTest{
			{"Pagination", testListMembersPagination},
			{"BadTokens", testListMembersBadTokens},
		}},
		{"Schedules", []contractTest{
			{"CreateAndReadBack", testCreateScheduleReadBack},
			{"CreateConflicts", testCreateScheduleConflicts},
			{"CreateNeedsOwner", testCreateScheduleNeedsOwner},
			{"PerOwnerLimit", testSchedulesPerOwnerLimit},
			{"SchedulesByOwners", testSchedulesByOwners},
			{"ListSchedulesPagination", testListSchedulesPagination},
			{"Update", testUpdateSchedule},
			{"ConcurrentUpdate", testConcurrentUpdateSchedule},
			{"Delete", testDeleteSchedule},
			{"DeletedSchedule", testDeletedSchedule},
			{"DeletedScheduleRetention", testDeletedScheduleRetention},
			{"GetTaskRefs", testGetTaskRefs},
		}},
		{"NotFound", []contractTest{
			{"MissingIDs", testNotFound},
		}},
		{"Completions", []contractTest{
			{"PutIdempotent", testPutCompletionIdempotent},
			{"CompletionsOn", testCompletionsOn},
			{"DeleteIdempotent", testDeleteCompletion},
		}},
		{"Context", []contractTest{
			{"Cancelled", testCancelledContext},
		}},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) {
					s := open(t)
					if s == nil {
						t.Fatal("open returned a nil store")
					}
					tc.run(t, s)
				})
			}
		})
	}
}
