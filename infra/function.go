package infra

// The Lambda function (the bootstrap of `make lambda`), its role, its log
// group and the HTTP API in front of it.

// policyDocument is an IAM policy document of statements.
func policyDocument(statements ...any) node {
	return object("Version", "2012-10-17", "Statement", list(statements...))
}

// allow is a statement allowing actions on resource(s).
func allow(actions []string, resources ...any) node {
	var res any = list(resources...)
	if len(resources) == 1 {
		res = resources[0]
	}
	return object("Effect", "Allow", "Action", stringList(actions), "Resource", res)
}

// assumedBy is a role's trust policy for an AWS service.
func assumedBy(service string, condition node) node {
	stmt := object("Effect", "Allow", "Principal", object("Service", service), "Action", "sts:AssumeRole")
	if condition != nil {
		add(stmt, "Condition", condition)
	}
	return policyDocument(stmt)
}

// logActions are what the function needs to write its logs (its log group
// is the template's, so it needs no logs:CreateLogGroup).
var logActions = []string{"logs:CreateLogStream", "logs:PutLogEvents"}

func logGroupResource() node {
	return object(
		"Type", "AWS::Logs::LogGroup",
		"Properties", object(
			"LogGroupName", sub("/aws/lambda/"+functionName),
			"RetentionInDays", ref(paramLogRetention),
		),
	)
}

// functionRole allows exactly what the function calls: its logs, the
// store's actions on the table and its indexes, and the user lifecycle's
// Cognito actions on the user pool.
func functionRole(src Sources) node {
	return object(
		"Type", "AWS::IAM::Role",
		"Properties", object(
			"AssumeRolePolicyDocument", assumedBy("lambda.amazonaws.com", nil),
			"Policies", list(
				object("PolicyName", "logs", "PolicyDocument", policyDocument(
					allow(logActions, getAtt(idLogGroup, "Arn")))),
				object("PolicyName", "dynamodb", "PolicyDocument", policyDocument(
					allow(src.DynamoDBActions, getAtt(idTable, "Arn"), sub("${"+idTable+".Arn}/index/*")))),
				object("PolicyName", "cognito", "PolicyDocument", policyDocument(
					allow(src.CognitoActions, getAtt(idUserPool, "Arn")))),
			),
		),
	)
}

// functionResource is `dayline lambda` on provided.al2023/arm64, with the
// environment of the lambda verb's settings (cmd/dayline/settings.go).
func functionResource() node {
	return object(
		"Type", "AWS::Serverless::Function",
		"DependsOn", idLogGroup,
		"Properties", object(
			"FunctionName", sub(functionName),
			"Description", "Dayline (dayline lambda): the HTTP API's requests and AppSync's Direct Lambda resolvers",
			"CodeUri", codeURI,
			"Handler", "bootstrap",
			"Runtime", "provided.al2023",
			"Architectures", stringList([]string{"arm64"}),
			"MemorySize", ref(paramMemorySize),
			// A GraphQL request's own limit is 30 s; the function answers
			// 0.2 s before its deadline.
			"Timeout", 31,
			"Role", getAtt(idFunctionRole, "Arn"),
			"ReservedConcurrentExecutions", function("!If", condReservedConcurrency, ref(paramReservedConcurrency), ref("AWS::NoValue")),
			"Environment", object("Variables", object(
				"DAYLINE_STORE", "dynamodb",
				"DAYLINE_DYNAMODB_TABLE", ref(idTable),
				"DAYLINE_OIDC_ISSUER", sub(issuer),
				"DAYLINE_OIDC_CLIENT_IDS", sub("${"+idAppClient+"},${"+idDashboardClient+"}"),
				"DAYLINE_COGNITO_USER_POOL_ID", ref(idUserPool),
				"DAYLINE_PAGE_TOKEN_SECRET", ref(paramPageTokenSecret),
				"DAYLINE_APPSYNC", "true",
				"DAYLINE_PLAYGROUND", "false",
				"DAYLINE_CORS_ORIGINS", ref(paramCORSOrigins),
				"DAYLINE_LOG_LEVEL", ref(paramLogLevel),
			)),
		),
	)
}

// httpAPIResource is an HTTP API whose default route sends every request
// to the function (payload format 2.0, the $default stage deployed).
func httpAPIResource() node {
	return object(
		"Type", "AWS::ApiGatewayV2::Api",
		"Properties", object(
			"Name", sub("${AWS::StackName}-http"),
			"ProtocolType", "HTTP",
			"Target", getAtt(idFunction, "Arn"),
		),
	)
}

// httpAPIPermission lets the HTTP API, and only it, invoke the function.
func httpAPIPermission() node {
	return object(
		"Type", "AWS::Lambda::Permission",
		"Properties", object(
			"Action", "lambda:InvokeFunction",
			"FunctionName", ref(idFunction),
			"Principal", "apigateway.amazonaws.com",
			"SourceArn", sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${"+idHTTPAPI+"}/*"),
		),
	)
}
