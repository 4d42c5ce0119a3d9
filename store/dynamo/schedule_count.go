package dynamo

import (
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dayline/dayline/domain"
)

// An owner's schedules are counted in one item (scheduleCountKey,
// attribute attrCount), so that the bound domain.MaxSchedulesPerOwner holds
// under concurrent creates: every transaction that creates a schedule also
// increments the count, on the condition that it is below the bound, and
// every transaction that deletes one decrements it. DeleteUser removes the
// item with the user. A missing item counts zero.
//
// Schedules written before the count existed (none in a table this version
// created) are not counted: deleting one of them takes the count below the
// number of counted schedules.

// attrCount is the attribute of a ScheduleCount item holding the count.
const attrCount = "count"

// countUp returns the write that counts one more schedule of ownerID, on
// the condition that the owner holds fewer than domain.MaxSchedulesPerOwner
// (else domain.TooManySchedules).
func (s *Store) countUp(ownerID string) txWrite {
	return s.updateWrite(scheduleCountKey(ownerID), "SET #type = :type, #id = :owner ADD #n :delta", condition{
		expr:  "attribute_not_exists(#n) OR #n < :max",
		names: map[string]string{"#n": attrCount, "#type": attrType, "#id": "id"},
		values: map[string]types.AttributeValue{
			":delta": numberValue(1), ":max": numberValue(domain.MaxSchedulesPerOwner),
			":type": stringValue(typeScheduleCount), ":owner": stringValue(ownerID),
		},
	}, failure(domain.TooManySchedules()))
}

// countDown returns the write that counts one schedule of ownerID less.
func (s *Store) countDown(ownerID string) txWrite {
	return s.updateWrite(scheduleCountKey(ownerID), "SET #type = :type, #id = :owner ADD #n :delta", condition{
		names: map[string]string{"#n": attrCount, "#type": attrType, "#id": "id"},
		values: map[string]types.AttributeValue{
			":delta": numberValue(-1),
			":type":  stringValue(typeScheduleCount), ":owner": stringValue(ownerID),
		},
	}, nil)
}
