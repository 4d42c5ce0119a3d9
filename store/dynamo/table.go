package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// tableActiveTimeout bounds how long CreateTable waits for the table (and
// its index) to become ACTIVE.
const tableActiveTimeout = 5 * time.Minute

// TableDefinition is the layout of Store's table, the one definition that
// CreateTable creates and the deployment template (infra/) declares.
type TableDefinition struct {
	// BillingMode is on-demand (PAY_PER_REQUEST).
	BillingMode types.BillingMode
	// AttributeDefinitions are the key attributes, all strings.
	AttributeDefinitions []types.AttributeDefinition
	// KeySchema is pk (hash) and sk (range).
	KeySchema []types.KeySchemaElement
	// GlobalSecondaryIndexes is indexGSI1 on gsi1pk (hash) and gsi1sk
	// (range), projecting all attributes.
	GlobalSecondaryIndexes []types.GlobalSecondaryIndex
	// TimeToLiveAttribute is the attribute DynamoDB's TTL reads (Unix
	// seconds): the expiry of deleted schedules' tombstones (deleted.go).
	TimeToLiveAttribute string
}

// Definition returns the definition of Store's table: a fresh value, which the
// caller may change.
func Definition() TableDefinition {
	return TableDefinition{
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String(attrPK), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(attrSK), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(attrGSI1PK), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(attrGSI1SK), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(attrPK), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(attrSK), KeyType: types.KeyTypeRange},
		},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName: aws.String(indexGSI1),
			KeySchema: []types.KeySchemaElement{
				{AttributeName: aws.String(attrGSI1PK), KeyType: types.KeyTypeHash},
				{AttributeName: aws.String(attrGSI1SK), KeyType: types.KeyTypeRange},
			},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}},
		TimeToLiveAttribute: attrExpiresAt,
	}
}

// CreateTableInput returns the request that creates table with the
// definition of Definition (TTL is enabled apart: enableTimeToLive).
func CreateTableInput(table string) *dynamodb.CreateTableInput {
	def := Definition()
	return &dynamodb.CreateTableInput{
		TableName:              &table,
		BillingMode:            def.BillingMode,
		AttributeDefinitions:   def.AttributeDefinitions,
		KeySchema:              def.KeySchema,
		GlobalSecondaryIndexes: def.GlobalSecondaryIndexes,
	}
}

// CreateTable creates table with the layout Store needs (Definition), on-demand.
// It waits until the table is ACTIVE, then enables TTL on
// Definition's TimeToLiveAttribute. A table that exists already is not an
// error: its keys are not altered (CheckTable verifies its layout), and
// TTL is enabled on it if it is not yet. Errors are ServiceUnavailable
// when DynamoDB cannot be reached, otherwise internal.
func CreateTable(ctx context.Context, client *dynamodb.Client, table string) error {
	_, err := client.CreateTable(ctx, CreateTableInput(table))
	var inUse *types.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) {
		return fmt.Errorf("create table %s: %w", table, translate(err))
	}
	waiter := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, 5*time.Second
	})
	if err := waiter.Wait(ctx, &dynamodb.DescribeTableInput{TableName: &table}, tableActiveTimeout); err != nil {
		return fmt.Errorf("create table %s: wait until active: %w", table, translate(err))
	}
	if err := enableTimeToLive(ctx, client, table, Definition().TimeToLiveAttribute); err != nil {
		return fmt.Errorf("create table %s: %w", table, err)
	}
	return nil
}

// enableTimeToLive enables TTL on attribute of table unless it is enabled
// (or being enabled) already: DynamoDB refuses to enable it twice.
func enableTimeToLive(ctx context.Context, client *dynamodb.Client, table, attribute string) error {
	out, err := client.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: &table})
	if err != nil {
		return fmt.Errorf("describe time to live: %w", translate(err))
	}
	if d := out.TimeToLiveDescription; d != nil && aws.ToString(d.AttributeName) == attribute &&
		(d.TimeToLiveStatus == types.TimeToLiveStatusEnabled || d.TimeToLiveStatus == types.TimeToLiveStatusEnabling) {
		return nil
	}
	_, err = client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: &table,
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: &attribute, Enabled: aws.Bool(true),
		},
	})
	if err != nil {
		return fmt.Errorf("enable time to live on %s: %w", attribute, translate(err))
	}
	return nil
}

// CheckTable verifies that the store's table exists with the keys and the
// index Store needs. When the table is missing its error says to run
// `dayline table create`; a table with another layout is an error naming
// what differs. Errors reaching DynamoDB are ServiceUnavailable; the rest
// are internal.
func (s *Store) CheckTable(ctx context.Context) error {
	out, err := s.client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &s.table})
	var notFound *types.ResourceNotFoundException
	if errors.As(err, &notFound) {
		return fmt.Errorf("DynamoDB table %s does not exist: create it with `dayline table create`", s.table)
	}
	if err != nil {
		return fmt.Errorf("check table %s: %w", s.table, translate(err))
	}
	t := out.Table
	if !hasKeys(t.KeySchema, attrPK, attrSK) {
		return fmt.Errorf("check table %s: its key must be %s (hash) and %s (range): it was not made by `dayline table create`", s.table, attrPK, attrSK)
	}
	for _, gsi := range t.GlobalSecondaryIndexes {
		if aws.ToString(gsi.IndexName) != indexGSI1 {
			continue
		}
		if !hasKeys(gsi.KeySchema, attrGSI1PK, attrGSI1SK) {
			return fmt.Errorf("check table %s: index %s must be keyed by %s and %s", s.table, indexGSI1, attrGSI1PK, attrGSI1SK)
		}
		if gsi.Projection == nil || gsi.Projection.ProjectionType != types.ProjectionTypeAll {
			return fmt.Errorf("check table %s: index %s must project all attributes", s.table, indexGSI1)
		}
		return nil
	}
	return fmt.Errorf("check table %s: index %s is missing: the table was not made by `dayline table create`", s.table, indexGSI1)
}

// hasKeys reports whether schema is hash key hash and range key rng.
func hasKeys(schema []types.KeySchemaElement, hash, rng string) bool {
	var gotHash, gotRange string
	for _, k := range schema {
		switch k.KeyType {
		case types.KeyTypeHash:
			gotHash = aws.ToString(k.AttributeName)
		case types.KeyTypeRange:
			gotRange = aws.ToString(k.AttributeName)
		}
	}
	return gotHash == hash && gotRange == rng
}
