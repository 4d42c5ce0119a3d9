package infra

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awslabs/goformation/v7/cloudformation"
	cfdynamodb "github.com/awslabs/goformation/v7/cloudformation/dynamodb"

	"github.com/dayline/dayline/store/dynamo"
)

// checkRole checks that the function runs with its role alone, and that
// the role allows exactly what the function calls, on exactly what it
// calls it on.
func checkRole(tmpl *cloudformation.Template, src Sources) []error {
	fn, ok := tmpl.GetAllServerlessFunctionResources()[idFunction]
	if !ok {
		return []error{fmt.Errorf("the template has no function %s", idFunction)}
	}
	var errs []error
	if deref(fn.Role) != getAttPrefix+idFunctionRole+".Arn" || fn.Policies != nil {
		errs = append(errs, fmt.Errorf("function %s must run with role %s and no SAM policies", idFunction, idFunctionRole))
	}
	role, ok := tmpl.GetAllIAMRoleResources()[idFunctionRole]
	if !ok {
		return append(errs, fmt.Errorf("the template has no role %s", idFunctionRole))
	}
	if len(role.ManagedPolicyArns) > 0 || role.PermissionsBoundary != nil {
		errs = append(errs, fmt.Errorf("role %s: managed policies %v add permissions beyond its own", idFunctionRole, role.ManagedPolicyArns))
	}
	got := map[string][]string{} // action -> resources
	for _, p := range role.Policies {
		statements, err := policyStatements(p.PolicyDocument)
		if err != nil {
			return append(errs, fmt.Errorf("role %s, policy %s: %w", idFunctionRole, p.PolicyName, err))
		}
		for _, s := range statements {
			for _, a := range s.actions {
				got[a] = append(got[a], s.resources...)
			}
		}
	}
	want := map[string][]string{}
	for _, a := range src.DynamoDBActions {
		want[a] = []string{getAttPrefix + idTable + ".Arn", getAttPrefix + idTable + ".Arn/index/*"}
	}
	for _, a := range src.CognitoActions {
		want[a] = []string{getAttPrefix + idUserPool + ".Arn"}
	}
	for _, a := range logActions {
		want[a] = []string{getAttPrefix + idLogGroup + ".Arn"}
	}
	gotActions, wantActions := slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))
	if !slices.Equal(gotActions, wantActions) {
		errs = append(errs, fmt.Errorf("role %s allows %s; want exactly the store's, the Cognito and the log actions: %s",
			idFunctionRole, joinSorted(gotActions), joinSorted(wantActions)))
	}
	for _, a := range gotActions {
		if w, ok := want[a]; ok && !slices.Equal(slices.Sorted(slices.Values(got[a])), slices.Sorted(slices.Values(w))) {
			errs = append(errs, fmt.Errorf("role %s allows %s on %s, want on %s", idFunctionRole, a, joinSorted(got[a]), joinSorted(w)))
		}
	}
	return errs
}

// statement is an Allow statement of a policy document.
type statement struct{ actions, resources []string }

// policyStatements reads a policy document's statements; anything but
// Allow statements of Action and Resource is an error.
func policyStatements(doc any) ([]statement, error) {
	m, _ := doc.(map[string]any)
	raw, ok := m["Statement"].([]any)
	if !ok {
		return nil, fmt.Errorf("no Statement list")
	}
	var out []statement
	for _, r := range raw {
		s, _ := r.(map[string]any)
		for k := range s {
			if k != "Effect" && k != "Action" && k != "Resource" {
				return nil, fmt.Errorf("a statement with %s: only Effect, Action and Resource are expected", k)
			}
		}
		if s["Effect"] != "Allow" {
			return nil, fmt.Errorf("a statement with Effect %v", s["Effect"])
		}
		out = append(out, statement{actions: stringsOf(s["Action"]), resources: stringsOf(s["Resource"])})
	}
	return out, nil
}

// stringsOf reads a policy element: a string or a list of strings.
func stringsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return nil
}

// tableShape is a table definition in comparable form.
type tableShape struct {
	BillingMode string
	Attributes  []string // name:type, sorted
	Keys        []string // name:HASH, name:RANGE
	Indexes     []string // name keys projection, sorted
	TimeToLive  string   // the TTL attribute, "" when TTL is off
}

func (s tableShape) String() string {
	return fmt.Sprintf("{billing %s, attributes %v, key %v, indexes %v, ttl %q}", s.BillingMode, s.Attributes, s.Keys, s.Indexes, s.TimeToLive)
}

func equalShapes(a, b tableShape) bool {
	return a.BillingMode == b.BillingMode && slices.Equal(a.Attributes, b.Attributes) &&
		slices.Equal(a.Keys, b.Keys) && slices.Equal(a.Indexes, b.Indexes) && a.TimeToLive == b.TimeToLive
}

// definitionShape is the shape of dynamo's definition.
func definitionShape(def dynamo.TableDefinition) tableShape {
	s := tableShape{BillingMode: string(def.BillingMode), TimeToLive: def.TimeToLiveAttribute}
	for _, a := range def.AttributeDefinitions {
		s.Attributes = append(s.Attributes, aws.ToString(a.AttributeName)+":"+string(a.AttributeType))
	}
	for _, k := range keyElements(def.KeySchema) {
		s.Keys = append(s.Keys, k.name+":"+k.keyType)
	}
	for _, g := range def.GlobalSecondaryIndexes {
		var keys []string
		for _, k := range keyElements(g.KeySchema) {
			keys = append(keys, k.name+":"+k.keyType)
		}
		s.Indexes = append(s.Indexes, indexShape(aws.ToString(g.IndexName), keys, string(g.Projection.ProjectionType), g.Projection.NonKeyAttributes))
	}
	slices.Sort(s.Attributes)
	slices.Sort(s.Indexes)
	return s
}

// templateTableShape is the shape of the template's table.
func templateTableShape(t *cfdynamodb.Table) tableShape {
	s := tableShape{BillingMode: deref(t.BillingMode)}
	if ttl := t.TimeToLiveSpecification; ttl != nil && ttl.Enabled {
		s.TimeToLive = deref(ttl.AttributeName)
	}
	for _, a := range t.AttributeDefinitions {
		s.Attributes = append(s.Attributes, a.AttributeName+":"+a.AttributeType)
	}
	for _, k := range t.KeySchema {
		s.Keys = append(s.Keys, k.AttributeName+":"+k.KeyType)
	}
	for _, g := range t.GlobalSecondaryIndexes {
		var keys []string
		for _, k := range g.KeySchema {
			keys = append(keys, k.AttributeName+":"+k.KeyType)
		}
		var projection string
		var nonKey []string
		if g.Projection != nil {
			projection, nonKey = deref(g.Projection.ProjectionType), g.Projection.NonKeyAttributes
		}
		s.Indexes = append(s.Indexes, indexShape(g.IndexName, keys, projection, nonKey))
	}
	slices.Sort(s.Attributes)
	slices.Sort(s.Indexes)
	return s
}

func indexShape(name string, keys []string, projection string, nonKey []string) string {
	return fmt.Sprintf("%s (%s) %s %s", name, strings.Join(keys, " "), projection, strings.Join(slices.Sorted(slices.Values(nonKey)), ","))
}

// checkTable checks the one table against the store's definition (what
// `dayline table create` creates), and its protection.
func checkTable(tmpl *cloudformation.Template, src Sources) []error {
	tables := tmpl.GetAllDynamoDBTableResources()
	t, ok := tables[idTable]
	if !ok || len(tables) != 1 {
		return []error{fmt.Errorf("the template has tables %v, want only %s", slices.Sorted(maps.Keys(tables)), idTable)}
	}
	var errs []error
	if got, want := templateTableShape(t), definitionShape(src.Table); !equalShapes(got, want) {
		errs = append(errs, fmt.Errorf("table %s is %v; dynamo.Definition (dayline table create) is %v", idTable, got, want))
	}
	if t.PointInTimeRecoverySpecification == nil || !deref(t.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled) {
		errs = append(errs, fmt.Errorf("table %s: point-in-time recovery is off", idTable))
	}
	if !deref(t.DeletionProtectionEnabled) {
		errs = append(errs, fmt.Errorf("table %s: deletion protection is off", idTable))
	}
	return errs
}
