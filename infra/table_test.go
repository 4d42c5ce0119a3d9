package infra

import (
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dayline/dayline/store/dynamo"
	"github.com/dayline/dayline/store/dynamo/dynamotest"
)

// TestTableAsCreateTable creates a table with dynamo.CreateTable (what
// `dayline table create` runs) on DynamoDB Local, and checks that the
// committed template's table has the layout DynamoDB reports for it.
func TestTableAsCreateTable(t *testing.T) {
	client := dynamotest.NewClient(dynamotest.Endpoint(t))
	table := dynamotest.NewTable(t, client)
	out, err := client.DescribeTable(t.Context(), &dynamodb.DescribeTableInput{TableName: &table})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(templateFile)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := Validate(data, testParams)
	if err != nil {
		t.Fatal(err)
	}
	ttl, err := client.DescribeTimeToLive(t.Context(), &dynamodb.DescribeTimeToLiveInput{TableName: &table})
	if err != nil {
		t.Fatal(err)
	}
	got := templateTableShape(tmpl.GetAllDynamoDBTableResources()[idTable])
	if want := describedShape(out.Table, ttl.TimeToLiveDescription); !equalShapes(got, want) {
		t.Errorf("the template's table is %v\nCreateTable made %v", got, want)
	}
}

// describedShape is the shape of a table DynamoDB describes, with its
// time to live.
func describedShape(d *types.TableDescription, ttl *types.TimeToLiveDescription) tableShape {
	s := tableShape{}
	if d.BillingModeSummary != nil {
		s.BillingMode = string(d.BillingModeSummary.BillingMode)
	}
	def := definitionShape(dynamoDefinition(d))
	def.BillingMode = s.BillingMode
	if ttl != nil && ttl.TimeToLiveStatus == types.TimeToLiveStatusEnabled {
		def.TimeToLive = aws.ToString(ttl.AttributeName)
	}
	return def
}

// dynamoDefinition reads a described table as a definition.
func dynamoDefinition(d *types.TableDescription) (def dynamo.TableDefinition) {
	def.AttributeDefinitions = d.AttributeDefinitions
	def.KeySchema = d.KeySchema
	for _, g := range d.GlobalSecondaryIndexes {
		def.GlobalSecondaryIndexes = append(def.GlobalSecondaryIndexes, types.GlobalSecondaryIndex{
			IndexName: aws.String(aws.ToString(g.IndexName)), KeySchema: g.KeySchema, Projection: g.Projection})
	}
	return def
}
