// Package infra generates Dayline's deployment template, template.yaml (AWS
// SAM: DynamoDB, Cognito, the Lambda, an HTTP API and AppSync), from the
// sources it must agree with (Sources: schema.graphql, the AppSync resolver
// fields, the table definition, the IAM actions), and validates a template
// offline: goformation's strict CloudFormation/SAM JSON schema (Validate)
// and Dayline's own checks against the sources (Check).
//
// template.yaml is written by `go test ./infra -run TestTemplateGenerated
// -update-template` (or `make infra`); the same test, without the flag,
// fails when the committed file differs from a fresh generation.
package infra
