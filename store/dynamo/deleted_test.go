package dynamo_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/dynamo"
	"github.com/dayline/dayline/store/dynamo/dynamotest"
)

// TestCreateTableEnablesTimeToLive: CreateTable enables TTL on the
// definition's attribute, and running it again on the table (as `dayline
// table create` on an existing table does) is no error.
func TestCreateTableEnablesTimeToLive(t *testing.T) {
	client := dynamotest.NewClient(dynamotest.Endpoint(t))
	table := dynamotest.NewTable(t, client) // dynamo.CreateTable
	if err := dynamo.CreateTable(t.Context(), client, table); err != nil {
		t.Fatalf("CreateTable on the existing table: %v", err)
	}
	out, err := client.DescribeTimeToLive(t.Context(), &dynamodb.DescribeTimeToLiveInput{TableName: &table})
	if err != nil {
		t.Fatal(err)
	}
	d := out.TimeToLiveDescription
	want := dynamo.Definition().TimeToLiveAttribute
	if d == nil || d.TimeToLiveStatus != types.TimeToLiveStatusEnabled || aws.ToString(d.AttributeName) != want {
		t.Errorf("time to live = %+v, want enabled on %q", d, want)
	}
}

// TestTombstoneExpires: a tombstone's TTL attribute is its deletion time
// plus store.DeletedScheduleRetention.
func TestTombstoneExpires(t *testing.T) {
	s := dynamotest.NewTestStore(t)
	owner := newOrg(t, s)
	sc := createSchedule(t, s, owner, 1)
	deletedAt := created.Add(36 * time.Hour)
	if err := s.DeleteSchedule(t.Context(), sc.ID, sc.Version, deletedAt); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.TombstoneExpiry(t.Context(), sc.ID)
	if want := deletedAt.Add(store.DeletedScheduleRetention).Unix(); err != nil || !ok || got != want {
		t.Errorf("expiresAt = %d (found %v, %v), want %d", got, ok, err, want)
	}
}
