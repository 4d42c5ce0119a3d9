package infra

import (
	"slices"

	"github.com/dayline/dayline/appsync"
	"github.com/dayline/dayline/cognito"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/store/dynamo"
)

// Sources is everything the template is generated from, and what Check
// holds a template to.
type Sources struct {
	// Schema is schema.graphql, uploaded to AppSync as it is.
	Schema string
	// Fields are the fields with a Direct Lambda resolver
	// (appsync.ResolverFields).
	Fields []appsync.Field
	// BatchResponseTemplate is the response mapping template of the
	// BatchInvoke fields (appsync.BatchResponseTemplate).
	BatchResponseTemplate string
	// SubscriptionResponseTemplate is the response mapping template of the
	// Subscription fields (appsync.SubscriptionResponseTemplate).
	SubscriptionResponseTemplate string
	// Table is the DynamoDB table's definition (dynamo.Definition).
	Table dynamo.TableDefinition
	// DynamoDBActions are what the function's role allows on the table and
	// its indexes (dynamo.StoreActions).
	DynamoDBActions []string
	// CognitoActions are what the function's role allows on the user pool
	// (CognitoActions).
	CognitoActions []string
	// Groups are the user pool's groups.
	Groups []string
}

// CurrentSources returns the sources of the template for schema (the
// text of schema.graphql): the packages' lists as they are now.
func CurrentSources(schema string) Sources {
	return Sources{
		Schema:                       schema,
		Fields:                       appsync.ResolverFields(),
		BatchResponseTemplate:        appsync.BatchResponseTemplate,
		SubscriptionResponseTemplate: appsync.SubscriptionResponseTemplate,
		Table:                        dynamo.Definition(),
		DynamoDBActions:              dynamo.StoreActions(),
		CognitoActions:               CognitoActions(),
		Groups:                       []string{domain.GroupOperators, domain.GroupAdmins, domain.GroupCaregivers, domain.GroupMembers},
	}
}

// CognitoActions returns the Cognito IAM actions the function's role
// allows on the user pool, sorted: exactly the calls the Cognito client
// makes (cognito.IAMActions).
func CognitoActions() []string { return slices.Sorted(slices.Values(cognito.IAMActions())) }

// responseTemplate is f's response mapping template: none for an Invoke
// field, whose answer is the field's value.
func (s Sources) responseTemplate(f appsync.Field) string {
	switch {
	case f.Batch:
		return s.BatchResponseTemplate
	case f.Subscription:
		return s.SubscriptionResponseTemplate
	}
	return ""
}
