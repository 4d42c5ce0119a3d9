package infra

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/dayline/dayline/appsync"
)

// Check holds a template that Validate parsed to Dayline's rules, against
// src, and returns every broken rule (nil when none is):
//
//   - AppSync: the schema is src.Schema; each field of src.Fields has
//     exactly one resolver and no other field has one; each is a Direct
//     Lambda resolver (no request mapping template) on the one Lambda data
//     source; batched fields have MaxBatchSize and src's response template,
//     the others neither; every mutation an @aws_subscribe names has a
//     resolver and returns the subscription's type;
//   - IAM: the function's role allows exactly src's DynamoDB actions on the
//     table and its indexes, src's Cognito actions on the user pool and its
//     log actions on its log group, nothing else;
//   - DynamoDB: one table, defined as src.Table, with point-in-time
//     recovery and deletion protection;
//   - Cognito: the user pool's groups are src.Groups.
func Check(tmpl *cloudformation.Template, src Sources) error {
	return errors.Join(slices.Concat(
		checkResolvers(tmpl, src),
		checkSchema(tmpl, src),
		checkSubscriptions(tmpl, src),
		checkRole(tmpl, src),
		checkTable(tmpl, src),
		checkGroups(tmpl, src),
	)...)
}

// fieldKey names a schema field: Type.field.
func fieldKey(typeName, fieldName string) string { return typeName + "." + fieldName }

func checkResolvers(tmpl *cloudformation.Template, src Sources) []error {
	var errs []error
	want := map[string]appsync.Field{}
	for _, f := range src.Fields {
		want[fieldKey(f.Type, f.Name)] = f
	}
	resolvers := tmpl.GetAllAppSyncResolverResources()
	count := map[string]int{}
	for _, id := range slices.Sorted(maps.Keys(resolvers)) {
		r := resolvers[id]
		field := fieldKey(r.TypeName, r.FieldName)
		count[field]++
		f, listed := want[field]
		batch := f.Batch
		if !listed {
			errs = append(errs, fmt.Errorf("resolver %s: %s has a resolver but is not an AppSync resolver field (appsync.ResolverFields)", id, field))
			continue
		}
		if got := deref(r.DataSourceName); got != getAttPrefix+idDataSource+".Name" {
			errs = append(errs, fmt.Errorf("resolver %s: data source %q, want the Lambda data source %s", id, got, idDataSource))
		}
		if r.RequestMappingTemplate != nil || r.RequestMappingTemplateS3Location != nil || r.Code != nil || r.PipelineConfig != nil {
			errs = append(errs, fmt.Errorf("resolver %s: a Direct Lambda resolver has no request mapping template, code or pipeline", id))
		}
		if k := deref(r.Kind); k != "" && k != "UNIT" {
			errs = append(errs, fmt.Errorf("resolver %s: kind %s, want UNIT", id, k))
		}
		switch {
		case batch && (r.MaxBatchSize == nil || *r.MaxBatchSize < 1):
			errs = append(errs, fmt.Errorf("resolver %s: %s is batched (BatchInvoke) but has no MaxBatchSize", id, field))
		case !batch && r.MaxBatchSize != nil && *r.MaxBatchSize > 0:
			errs = append(errs, fmt.Errorf("resolver %s: %s is not batched but has MaxBatchSize %d", id, field, *r.MaxBatchSize))
		}
		switch wantTemplate := src.responseTemplate(f); {
		case batch && deref(r.ResponseMappingTemplate) != wantTemplate:
			errs = append(errs, fmt.Errorf("resolver %s: %s needs appsync.BatchResponseTemplate as its response mapping template", id, field))
		case f.Subscription && deref(r.ResponseMappingTemplate) != wantTemplate:
			errs = append(errs, fmt.Errorf("resolver %s: %s needs appsync.SubscriptionResponseTemplate as its response mapping template", id, field))
		case wantTemplate == "" && (r.ResponseMappingTemplate != nil || r.ResponseMappingTemplateS3Location != nil):
			errs = append(errs, fmt.Errorf("resolver %s: %s is a Direct Lambda Invoke resolver: no response mapping template", id, field))
		}
	}
	for _, field := range slices.Sorted(maps.Keys(want)) {
		if n := count[field]; n != 1 {
			errs = append(errs, fmt.Errorf("%s has %d resolvers, want exactly 1", field, n))
		}
	}
	sources := tmpl.GetAllAppSyncDataSourceResources()
	ds, ok := sources[idDataSource]
	switch {
	case len(sources) != 1 || !ok:
		errs = append(errs, fmt.Errorf("the AppSync API has data sources %v, want only %s", slices.Sorted(maps.Keys(sources)), idDataSource))
	case ds.Type != "AWS_LAMBDA" || ds.Name != dataSourceName || ds.LambdaConfig == nil || ds.LambdaConfig.LambdaFunctionArn != getAttPrefix+idFunction+".Arn":
		errs = append(errs, fmt.Errorf("data source %s must be the AWS_LAMBDA data source %q of %s", idDataSource, dataSourceName, idFunction))
	}
	return errs
}

func checkSchema(tmpl *cloudformation.Template, src Sources) []error {
	schemas := tmpl.GetAllAppSyncGraphQLSchemaResources()
	if len(schemas) != 1 {
		return []error{fmt.Errorf("the template has %d AppSync schemas, want 1", len(schemas))}
	}
	for id, s := range schemas {
		if deref(s.Definition) != src.Schema {
			return []error{fmt.Errorf("schema %s: its definition is not schema.graphql as it is", id)}
		}
	}
	return nil
}

// checkSubscriptions checks what AppSync needs to serve the schema's
// @aws_subscribe fields: each named mutation is a Mutation field with a
// resolver in the template, returning the subscription field's type.
func checkSubscriptions(tmpl *cloudformation.Template, src Sources) []error {
	doc, err := parser.ParseSchema(&ast.Source{Name: "schema.graphql", Input: src.Schema})
	if err != nil {
		return []error{fmt.Errorf("parse schema.graphql: %w", err)}
	}
	types := map[string]*ast.Definition{}
	for _, d := range doc.Definitions {
		types[d.Name] = d
	}
	resolved := map[string]bool{}
	for _, r := range tmpl.GetAllAppSyncResolverResources() {
		resolved[fieldKey(r.TypeName, r.FieldName)] = true
	}
	var errs []error
	for _, sub := range types["Subscription"].Fields {
		d := sub.Directives.ForName("aws_subscribe")
		if d == nil {
			continue
		}
		arg := d.Arguments.ForName("mutations")
		if arg == nil || arg.Value == nil {
			errs = append(errs, fmt.Errorf("Subscription.%s: @aws_subscribe names no mutations", sub.Name))
			continue
		}
		for _, m := range arg.Value.Children {
			name := m.Value.Raw
			mutation := types["Mutation"].Fields.ForName(name)
			switch {
			case mutation == nil:
				errs = append(errs, fmt.Errorf("Subscription.%s subscribes to %s, which is no Mutation field", sub.Name, name))
			case mutation.Type.Name() != sub.Type.Name():
				errs = append(errs, fmt.Errorf("Subscription.%s returns %s but subscribes to %s, which returns %s", sub.Name, sub.Type.Name(), name, mutation.Type.Name()))
			case !resolved[fieldKey("Mutation", name)]:
				errs = append(errs, fmt.Errorf("Subscription.%s subscribes to Mutation.%s, which has no resolver", sub.Name, name))
			}
		}
	}
	return errs
}

func checkGroups(tmpl *cloudformation.Template, src Sources) []error {
	var got []string
	for _, g := range tmpl.GetAllCognitoUserPoolGroupResources() {
		if g.UserPoolId != refPrefix+idUserPool {
			return []error{fmt.Errorf("group %s is not in %s", deref(g.GroupName), idUserPool)}
		}
		got = append(got, deref(g.GroupName))
	}
	slices.Sort(got)
	if want := slices.Sorted(slices.Values(src.Groups)); !slices.Equal(got, want) {
		return []error{fmt.Errorf("the user pool's groups are %v, want %v", got, want)}
	}
	return nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// joinSorted lists names for messages.
func joinSorted(names []string) string {
	return strings.Join(slices.Sorted(slices.Values(names)), ", ")
}
