// Package dynamotest gives tests a store/dynamo Store on DynamoDB Local:
// each call makes a fresh, uniquely named table that is deleted when the
// test ends. Start DynamoDB Local with scripts/dynamodb-local/start.sh and
// pass its endpoint in DAYLINE_TEST_DYNAMODB_ENDPOINT; without it the tests
// that need it are skipped, unless DAYLINE_REQUIRE_DYNAMODB=1 (as in CI),
// which makes them fail instead.
//
// This is test support: it reads those two environment variables, which
// nothing outside tests does.
package dynamotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dayline/dayline/store"
	"github.com/dayline/dayline/store/dynamo"
)

// Environment variables the helpers read.
const (
	// EnvEndpoint holds the URL of DynamoDB Local, e.g. http://127.0.0.1:8000.
	EnvEndpoint = "DAYLINE_TEST_DYNAMODB_ENDPOINT"
	// EnvRequire set to 1 turns a missing endpoint from a skip into a failure.
	EnvRequire = "DAYLINE_REQUIRE_DYNAMODB"
)

// cleanupTimeout only turns a hung deletion of a test table into an
// error: a healthy run never waits for it, however slow the machine.
const cleanupTimeout = 2 * time.Minute

// Endpoint returns the DynamoDB Local endpoint from EnvEndpoint. When it is
// unset it skips tb, or fails it when EnvRequire is "1".
func Endpoint(tb testing.TB) string {
	tb.Helper()
	endpoint := os.Getenv(EnvEndpoint)
	if endpoint != "" {
		return endpoint
	}
	msg := EnvEndpoint + " is not set: start DynamoDB Local with `eval \"$(scripts/dynamodb-local/start.sh)\"` and set " +
		EnvEndpoint + "=$DYNAMODB_ENDPOINT"
	if os.Getenv(EnvRequire) == "1" {
		tb.Fatalf("%s (%s=1 requires DynamoDB Local)", msg, EnvRequire)
	}
	tb.Skip(msg)
	return ""
}

// NewClient returns a client of the DynamoDB Local at endpoint, built by
// dynamo.NewClient with dynamo.LocalRegion, dynamo.LocalCredentials and the
// default retries, then adjusted by optFns (a test may shorten the
// retries, for example).
func NewClient(endpoint string, optFns ...func(*dynamodb.Options)) *dynamodb.Client {
	client, err := dynamo.NewClient(dynamo.ClientConfig{
		Endpoint: endpoint, Region: dynamo.LocalRegion, Credentials: dynamo.LocalCredentials(), Options: optFns,
	})
	if err != nil {
		// Unreachable: with a region and credentials given, NewClient
		// returns no error.
		panic("dynamotest: " + err.Error())
	}
	return client
}

// NewTable creates a table with a unique name with dynamo.CreateTable and
// deletes it when tb ends. It fails tb if the table cannot be created.
func NewTable(tb testing.TB, client *dynamodb.Client) string {
	tb.Helper()
	table := UniqueTableName(tb)
	if err := dynamo.CreateTable(tb.Context(), client, table); err != nil {
		tb.Fatalf("create test table: %v", err)
	}
	tb.Cleanup(func() {
		// tb.Context() is already cancelled when cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if _, err := client.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: &table}); err != nil {
			tb.Errorf("delete test table %s: %v", table, err)
		}
	})
	return table
}

// UniqueTableName returns a table name no other test uses.
func UniqueTableName(tb testing.TB) string {
	tb.Helper()
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		tb.Fatalf("random table name: %v", err)
	}
	return "dayline-test-" + hex.EncodeToString(b)
}

// Tokens returns the page-token codec of test stores.
func Tokens() *store.PageTokens {
	return store.NewPageTokens([]byte("dynamotest-page-token-secret"))
}

// NewTestStore returns a Store on a fresh table of the DynamoDB Local named
// by EnvEndpoint, deleted when tb ends. It skips tb when EnvEndpoint is
// unset (fails it when EnvRequire is "1"), and fails tb when the table
// cannot be created.
func NewTestStore(tb testing.TB) *dynamo.Store {
	tb.Helper()
	client := NewClient(Endpoint(tb))
	return dynamo.New(client, NewTable(tb, client), Tokens())
}
