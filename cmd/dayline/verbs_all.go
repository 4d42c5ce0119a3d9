//go:build !lambda.norpc

package main

// otherVerbs are every verb but lambda, in the order `dayline help` lists
// them (lambda comes last). The build for AWS Lambda (-tags lambda.norpc, `make
// lambda`) leaves them out: see verbs_lambda.go.
var otherVerbs = []verb{
	{verbServe, "[flags]", "run the server (--demo seeds demo data)", serve},
	{verbToken, "--user <id|email> [flags]", "mint a dev token (dev mode only)", token},
	{verbTableCreate, "[flags]", "create the DynamoDB table and index (idempotent)", tableCreate},
	{verbOperatorCreate, "--email <email> [flags]", "create a platform operator in the Cognito user pool (a fresh deployment's first user)", operatorCreate},
}
