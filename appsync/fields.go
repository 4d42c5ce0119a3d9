package appsync

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
)

// Field is a schema field that has its own AppSync resolver, a Direct
// Lambda resolver on Dayline's function. AppSync resolves every other
// field from the JSON its parent's resolver returned.
type Field struct {
	Type string // the parent type: Query, Mutation, User, ...
	Name string // the field
	// Batch is true for a field of an object type (not a root field): its
	// resolver uses BatchInvoke, so AppSync sends every parent of a list
	// in one event and the loaders read their keys at once.
	Batch bool
	// Subscription is true for a Subscription field: AppSync invokes its
	// resolver when a client subscribes, and the function answers the
	// subscription's filter (or refuses it), which
	// SubscriptionResponseTemplate applies. Events themselves come from
	// the @aws_subscribe mutations' results, not from the function.
	Subscription bool
}

// BatchResponseTemplate is the response mapping template a BatchInvoke
// field's resolver needs (after AWS's, for batched Lambda resolvers): a
// failed invocation fails the field; the function answers each item as
// {data, errorMessage, errorType}, and an item's error is raised as the
// field's error with the server's errorType (appended, keeping the value,
// when the item has data), else its data is returned.
const BatchResponseTemplate = `#if($ctx.error)
  $util.error($ctx.error.message, $ctx.error.type)
#end
#if($ctx.result.errorType)
  #if($util.isNull($ctx.result.data))
    $util.error($ctx.result.errorMessage, $ctx.result.errorType)
  #else
    $util.appendError($ctx.result.errorMessage, $ctx.result.errorType)
  #end
#end
$util.toJson($ctx.result.data)`

// SubscriptionResponseTemplate is the response mapping template of a
// Subscription field's resolver. The function answers {data, errorMessage,
// errorType}, as for a BatchInvoke item: a refused subscription fails with
// the server's errorType; an accepted one gets data as its enhanced
// subscription filter ({"organisationId": {"eq": ...}, ...}, see
// subscribe.go), so AppSync delivers a subscriber only the events of its
// own organisation (and, for a member, its own), on top of its arguments.
// The filter reads those fields in the mutation's result: a mutation that
// does not select them reaches no subscriber.
const SubscriptionResponseTemplate = `#if($ctx.error)
  $util.error($ctx.error.message, $ctx.error.type)
#end
#if($ctx.result.errorType)
  $util.error($ctx.result.errorMessage, $ctx.result.errorType)
#end
$extensions.setSubscriptionFilter($util.transform.toSubscriptionFilter($ctx.result.data))
$util.toJson(null)`

// ResolverFields lists, sorted by type and name, the fields that get
// their own AppSync resolver: the one decision that the Lambda (which
// selects every other field ahead, see New), the AppSync simulator's
// configuration and the infrastructure templates all read (with
// BatchResponseTemplate for the Batch ones and
// SubscriptionResponseTemplate for the Subscription ones).
//
// The list is derived from gqlgen's generated ResolverRoot, which gqlgen
// builds from schema.graphql and gqlgen.yml: a field gets an AppSync
// resolver when gqlgen resolves it with a resolver rather than a struct
// field (every Query and Mutation field, and the fields gqlgen.yml marks
// `resolver: true`), and every Subscription field: AppSync serves their
// events from the @aws_subscribe mutations' results, but checks each
// subscription through its resolver when it starts.
func ResolverFields() []Field { return slices.Clone(resolverFields().list) }

// fieldTable is ResolverFields, with a lookup by type and name.
type fieldTable struct {
	list []Field
	set  map[[2]string]Field
}

// has reports whether typeName.fieldName has its own AppSync resolver.
func (t *fieldTable) has(typeName, fieldName string) bool {
	_, ok := t.set[[2]string{typeName, fieldName}]
	return ok
}

// batch reports whether typeName.fieldName has its own AppSync resolver
// and uses BatchInvoke.
func (t *fieldTable) batch(typeName, fieldName string) bool {
	return t.set[[2]string{typeName, fieldName}].Batch
}

// resolverFields is the table of derivedResolverFields
// (resolver_fields_gen.go): deriveFields of graph.ResolverRoot, run by
// TestResolverFieldsGenerated, which fails when the file is stale; `go
// test ./appsync -run TestResolverFieldsGenerated -update-resolver-fields`
// writes it again (`go generate` runs gqlgen alone). Running it here
// instead would keep every exported method of every type in the binary:
// the linker cannot drop methods once reflect.Type.Method is reachable
// (about 4 MB of the Lambda's).
var resolverFields = sync.OnceValue(func() *fieldTable { return newFieldTable(derivedResolverFields) })

// newFieldTable returns the table of list, sorted by type and name.
func newFieldTable(list []Field) *fieldTable {
	t := &fieldTable{list: slices.Clone(list), set: map[[2]string]Field{}}
	for _, f := range t.list {
		t.set[[2]string{f.Type, f.Name}] = f
	}
	slices.SortFunc(t.list, func(a, b Field) int {
		return strings.Compare(a.Type+"."+a.Name, b.Type+"."+b.Name)
	})
	return t
}

// deriveFields maps root's methods (one per type with resolvers, each
// returning that type's resolver interface, one method per field) to
// schema fields. gqlgen names methods after fields with Go casing
// (organisationId: OrganisationID), so names match case-insensitively.
func deriveFields(schema *ast.Schema, root reflect.Type) (*fieldTable, error) {
	var list []Field
	for i := range root.NumMethod() {
		m := root.Method(i)
		def := schema.Types[m.Name]
		if def == nil || def.Kind != ast.Object {
			return nil, fmt.Errorf("ResolverRoot.%s names no object type of the schema", m.Name)
		}
		subscription := schema.Subscription != nil && def.Name == schema.Subscription.Name
		root := def == schema.Query || def == schema.Mutation || subscription
		resolvers := m.Type.Out(0)
		for j := range resolvers.NumMethod() {
			name := resolvers.Method(j).Name
			var field *ast.FieldDefinition
			for _, f := range def.Fields {
				if strings.EqualFold(f.Name, name) {
					field = f
				}
			}
			if field == nil {
				return nil, fmt.Errorf("%s.%s names no field of type %s", resolvers.Name(), name, def.Name)
			}
			list = append(list, Field{Type: def.Name, Name: field.Name, Batch: !root, Subscription: subscription})
		}
	}
	return newFieldTable(list), nil
}
