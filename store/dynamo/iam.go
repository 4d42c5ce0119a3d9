package dynamo

import "slices"

// storeActions are the DynamoDB IAM actions of Store's methods, sorted:
// the operations it calls, and for TransactWriteItems the action of each
// kind of item it writes (IAM checks those too). TestStoreActions runs the
// store contract suite against DynamoDB Local, records what the store
// calls and fails when this list differs.
var storeActions = []string{
	"dynamodb:BatchGetItem",
	"dynamodb:ConditionCheckItem",
	"dynamodb:DeleteItem",
	"dynamodb:GetItem",
	"dynamodb:PutItem",
	"dynamodb:Query",
	"dynamodb:TransactWriteItems",
	"dynamodb:UpdateItem",
}

// StoreActions returns the IAM actions a Store needs on its table and the
// table's indexes, sorted: what the Lambda's role allows (infra/). It
// leaves out CheckTable's dynamodb:DescribeTable (`serve` checks the table
// at start; the Lambda does not) and CreateTable's dynamodb:CreateTable.
func StoreActions() []string { return slices.Clone(storeActions) }
