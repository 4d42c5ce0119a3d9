package infra

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dayline/dayline/appsync"
)

// TestCheckCommitted validates the committed template against the schema
// and Dayline's checks, with the parameters' defaults and with a reserved
// concurrency (the condition's other branch).
func TestCheckCommitted(t *testing.T) {
	data, err := os.ReadFile(templateFile)
	if err != nil {
		t.Fatal(err)
	}
	src := currentSources(t)
	for _, tc := range []struct {
		name     string
		params   map[string]any
		reserved *int
	}{
		{"defaults", testParams, nil},
		{"reserved concurrency", withParams(paramReservedConcurrency, "5"), ptr(5)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := Validate(data, tc.params)
			if err != nil {
				t.Fatal(err)
			}
			if err := Check(tmpl, src); err != nil {
				t.Fatal(err)
			}
			fn := tmpl.GetAllServerlessFunctionResources()[idFunction]
			if got := fn.ReservedConcurrentExecutions; (got == nil) != (tc.reserved == nil) || got != nil && *got != *tc.reserved {
				t.Errorf("ReservedConcurrentExecutions = %v, want %v", deref(got), deref(tc.reserved))
			}
			resolvers := tmpl.GetAllAppSyncResolverResources()
			if len(resolvers) != len(src.Fields) {
				t.Errorf("%d resolvers for %d fields", len(resolvers), len(src.Fields))
			}
			if got := resolvers[resolverID("User", "agenda")].MaxBatchSize; deref(got) != 100 {
				t.Errorf("User.agenda's MaxBatchSize = %d, want the parameter's default 100", deref(got))
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// withParams returns testParams and name=value.
func withParams(name string, value any) map[string]any {
	p := map[string]any{name: value}
	for k, v := range testParams {
		p[k] = v
	}
	return p
}

// TestCheckFails breaks a template in one way at a time, by generating it
// from other sources than the current ones or by editing its text, and
// checks that validation or Dayline's checks refuse it, saying why.
func TestCheckFails(t *testing.T) {
	withoutField := func(typeName, name string) func(*Sources) {
		return func(s *Sources) {
			s.Fields = slices.DeleteFunc(s.Fields, func(f appsync.Field) bool { return f.Type == typeName && f.Name == name })
		}
	}
	cases := []struct {
		name     string
		sources  func(*Sources) // generate from changed sources
		old, new string         // then replace old (which must occur) with new
		want     string         // in the error
		params   map[string]any // parameters (testParams when nil)
	}{
		{name: "resolver on a field not on the list",
			sources: func(s *Sources) {
				s.Fields = append(s.Fields, appsync.Field{Type: "Schedule", Name: "tasks", Batch: true})
			},
			want: "Schedule.tasks has a resolver but is not an AppSync resolver field"},
		{name: "field without resolver", sources: withoutField("Query", "agenda"),
			want: "Query.agenda has 0 resolvers, want exactly 1"},
		{name: "two resolvers for one field", old: "FieldName: user\n", new: "FieldName: me\n",
			want: "Query.me has 2 resolvers, want exactly 1"},
		{name: "batched field without MaxBatchSize", old: "      MaxBatchSize: !Ref MaxBatchSize\n",
			want: "is batched (BatchInvoke) but has no MaxBatchSize"},
		{name: "Invoke field batched",
			sources: func(s *Sources) {
				i := slices.IndexFunc(s.Fields, func(f appsync.Field) bool { return f.Type == "Query" && f.Name == "me" })
				s.Fields[i].Batch = true
			},
			want: "Query.me is not batched but has MaxBatchSize 100"},
		{name: "batched field without the response template", sources: func(s *Sources) { s.BatchResponseTemplate = "$util.toJson($ctx.result)" },
			want: "needs appsync.BatchResponseTemplate"},
		{name: "subscription field without its response template", sources: func(s *Sources) { s.SubscriptionResponseTemplate = "$util.toJson(null)" },
			want: "needs appsync.SubscriptionResponseTemplate"},
		{name: "request mapping template", old: "      FieldName: me\n", new: "      FieldName: me\n      RequestMappingTemplate: '{}'\n",
			want: "a Direct Lambda resolver has no request mapping template"},
		{name: "another data source", old: "      DataSourceName: !GetAtt LambdaDataSource.Name\n", new: "      DataSourceName: Other\n",
			want: `data source "Other", want the Lambda data source`},
		{name: "schema not as it is", sources: func(s *Sources) { s.Schema += "# edited\n" },
			want: "its definition is not schema.graphql as it is"},
		{name: "subscribed mutation without resolver", sources: withoutField("Mutation", "uncompleteTask"),
			want: "Subscription.onTaskCompleted subscribes to Mutation.uncompleteTask, which has no resolver"},
		{name: "extra DynamoDB action", sources: func(s *Sources) { s.DynamoDBActions = append(s.DynamoDBActions, "dynamodb:Scan") },
			want: "dynamodb:Scan"},
		{name: "missing DynamoDB action", sources: func(s *Sources) { s.DynamoDBActions = s.DynamoDBActions[1:] },
			want: "want exactly the store's, the Cognito and the log actions"},
		{name: "missing Cognito action", sources: func(s *Sources) { s.CognitoActions = s.CognitoActions[1:] },
			want: "want exactly the store's, the Cognito and the log actions"},
		{name: "Cognito actions on every pool", old: "Resource: !GetAtt UserPool.Arn", new: "Resource: '*'",
			want: "cognito-idp:AdminCreateUser on *, want on getatt:UserPool.Arn"},
		{name: "managed policy", old: "      Policies:\n        - PolicyName: logs\n", new: "      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]\n      Policies:\n        - PolicyName: logs\n",
			want: "managed policies [arn:aws:iam::aws:policy/AdministratorAccess]"},
		{name: "table not CreateTable's",
			sources: func(s *Sources) {
				s.Table.GlobalSecondaryIndexes[0].Projection = &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}
			},
			want: "dynamo.Definition (dayline table create) is"},
		{name: "no point-in-time recovery", old: "PointInTimeRecoveryEnabled: true", new: "PointInTimeRecoveryEnabled: false",
			want: "point-in-time recovery is off"},
		{name: "no deletion protection", old: "DeletionProtectionEnabled: true", new: "DeletionProtectionEnabled: false",
			want: "deletion protection is off"},
		{name: "a group missing", sources: func(s *Sources) { s.Groups = s.Groups[:3] },
			want: "the user pool's groups are [Admins Caregivers Operators], want [Admins Caregivers Members Operators]"},
		// goformation's schema and the template's references.
		{name: "unknown property", old: "      MaxBatchSize: !Ref MaxBatchSize\n", new: "      MaxBatchSizes: !Ref MaxBatchSize\n",
			want: "additional properties 'MaxBatchSizes' not allowed"},
		{name: "unknown resource type", old: "Type: AWS::Logs::LogGroup\n", new: "Type: AWS::Logs::LogGroupe\n",
			want: "does not match the CloudFormation/SAM schema"},
		{name: "unknown nested property", old: "PointInTimeRecoveryEnabled: true", new: "PointInTimeRecoveryEnable: true",
			want: "additional properties 'PointInTimeRecoveryEnable' not allowed"},
		{name: "property of the wrong type", old: "Timeout: 31", new: "Timeout: [31]",
			want: "does not match the CloudFormation/SAM schema"},
		{name: "number parameter out of its type", params: withParams(paramMaxBatchSize, "many"),
			want: `!Ref MaxBatchSize ("many" is not a number)`},
		{name: "reference to nothing", old: "DAYLINE_DYNAMODB_TABLE: !Ref Table", new: "DAYLINE_DYNAMODB_TABLE: !Ref Tabel",
			want: "refers to what it does not define: !Ref Tabel"},
		{name: "attribute of nothing", old: "Value: !Sub ${HttpApi.ApiEndpoint}/graphql", new: "Value: !Sub ${HtpApi.ApiEndpoint}/graphql",
			want: "refers to what it does not define: !GetAtt HtpApi.ApiEndpoint"},
		{name: "parameter without a value", params: map[string]any{},
			want: "parameter PageTokenSecret has no default"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := currentSources(t)
			broken := currentSources(t)
			broken.Fields = slices.Clone(broken.Fields)
			if tc.sources != nil {
				tc.sources(&broken)
			}
			data, err := Generate(broken)
			if err != nil {
				t.Fatal(err)
			}
			if tc.old != "" {
				if !strings.Contains(string(data), tc.old) {
					t.Fatalf("the template has no %q to replace", tc.old)
				}
				data = []byte(strings.Replace(string(data), tc.old, tc.new, 1))
			}
			params := tc.params
			if params == nil {
				params = testParams
			}
			tmpl, err := Validate(data, params)
			if err == nil {
				err = Check(tmpl, src)
			}
			if err == nil {
				t.Fatalf("the broken template passed; want an error with %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error:\n%v\nwant it to say %q", err, tc.want)
			}
		})
	}
}
