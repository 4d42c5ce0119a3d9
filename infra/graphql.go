package infra

import "github.com/dayline/dayline/appsync"

// The AppSync API: schema.graphql as it is, Cognito user pools as the
// default authorization, the function as its one data source, and a Direct
// Lambda resolver on each field of appsync.ResolverFields.

// dataSourceName is the Lambda data source's name in AppSync.
const dataSourceName = "Dayline"

func graphQLAPIResource() node {
	return object(
		"Type", "AWS::AppSync::GraphQLApi",
		"Properties", object(
			"Name", sub("${AWS::StackName}"),
			"AuthenticationType", "AMAZON_COGNITO_USER_POOLS",
			"UserPoolConfig", object(
				"UserPoolId", ref(idUserPool),
				"AwsRegion", ref("AWS::Region"),
				// Every signed-in user of the pool reaches the schema; its
				// @aws_cognito_user_pools directives decide per field.
				"DefaultAction", "ALLOW",
			),
		),
	)
}

// dataSourceRole is what AppSync assumes to invoke the function, for this
// API only.
func dataSourceRole() node {
	return object(
		"Type", "AWS::IAM::Role",
		"Properties", object(
			"AssumeRolePolicyDocument", assumedBy("appsync.amazonaws.com",
				object("ArnEquals", object("aws:SourceArn", getAtt(idGraphQLAPI, "Arn")))),
			"Policies", list(
				object("PolicyName", "invoke", "PolicyDocument", policyDocument(
					allow([]string{"lambda:InvokeFunction"}, getAtt(idFunction, "Arn")))),
			),
		),
	)
}

func dataSourceResource() node {
	return object(
		"Type", "AWS::AppSync::DataSource",
		"Properties", object(
			"ApiId", getAtt(idGraphQLAPI, "ApiId"),
			"Name", dataSourceName,
			"Type", "AWS_LAMBDA",
			"LambdaConfig", object("LambdaFunctionArn", getAtt(idFunction, "Arn")),
			"ServiceRoleArn", getAtt(idDataSourceRole, "Arn"),
		),
	)
}

// resolverResource is f's Direct Lambda resolver (no request mapping
// template: AppSync sends its Context object). A batched field's resolver
// uses BatchInvoke (MaxBatchSize) and the response mapping template that
// raises each item's error; a Subscription field's, the one that applies
// the function's answer as the subscription's filter.
func resolverResource(src Sources, f appsync.Field) node {
	props := object(
		"ApiId", getAtt(idGraphQLAPI, "ApiId"),
		"TypeName", f.Type,
		"FieldName", f.Name,
		"Kind", "UNIT",
		"DataSourceName", getAtt(idDataSource, "Name"),
	)
	if f.Batch {
		add(props, "MaxBatchSize", ref(paramMaxBatchSize))
	}
	if t := src.responseTemplate(f); t != "" {
		add(props, "ResponseMappingTemplate", literal(t))
	}
	return object(
		"Type", "AWS::AppSync::Resolver",
		// A resolver needs its field in the API's schema.
		"DependsOn", idGraphQLSchema,
		"Properties", props,
	)
}
