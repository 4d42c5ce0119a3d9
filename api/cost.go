package api

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/introspection"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dayline/dayline/domain"
)

// listBound is the most items a list field can return, given its
// arguments.
type listBound func(args map[string]any) int

// listBounds charges every list of objects in the schema by the most it
// can return. Paged lists are charged on the connection field by their
// page size (their items list then counts once); unpaged lists by a bound
// the domain enforces. newCostLimit refuses a schema with a list of
// objects missing here.
var listBounds = map[string]listBound{
	"Query.listMembers":        pageSize,
	"Query.listSchedules":      pageSize,
	"Organisation.members":     pageSize,
	"UserConnection.items":     one,
	"ScheduleConnection.items": one,
	"User.schedules":           fixed(domain.MaxSchedulesPerOwner),
	"Schedule.tasks":           fixed(domain.MaxTasksPerSchedule),
	// An agenda holds at most every task of every schedule of its owner.
	"Query.agenda": fixed(domain.MaxSchedulesPerOwner * domain.MaxTasksPerSchedule),
	"User.agenda":  fixed(domain.MaxSchedulesPerOwner * domain.MaxTasksPerSchedule),
}

func one(map[string]any) int { return 1 }

func fixed(n int) listBound { return func(map[string]any) int { return n } }

// pageSize is a page's size: its limit argument, the default without one,
// the largest page for one out of range (the resolver refuses it).
func pageSize(args map[string]any) int {
	n, ok := intArg(args["limit"])
	switch {
	case args["limit"] == nil:
		return domain.DefaultPageLimit
	case !ok || n < 1 || n > domain.MaxPageLimit:
		return domain.MaxPageLimit
	}
	return n
}

// intArg reads an Int argument as gqlgen coerced it.
func intArg(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), n == int64(int(n))
	case int32:
		return int(n), true
	case json.Number:
		i, err := n.Int64()
		return int(i), err == nil && i == int64(int(i))
	}
	return 0, false
}

// costLimit refuses an operation whose cost exceeds the limit. A field
// costs 1 plus, for a field with a selection, its selection's cost times
// the most items it can return (listBounds; 1 for a single object).
// Introspection is charged exactly: the schema it describes is fixed, so
// the walk counts the fields the answer will hold.
type costLimit struct {
	schema *ast.Schema
	intro  *introspection.Schema
	limit  int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = (*costLimit)(nil)

func newCostLimit(schema *ast.Schema, limit int) *costLimit {
	return &costLimit{schema: schema, intro: introspection.WrapSchema(schema), limit: limit}
}

// unbounded lists the fields of schema that return a list of objects and
// have no entry in listBounds.
func unbounded(schema *ast.Schema) []string {
	var out []string
	for _, def := range schema.Types {
		if def.Kind != ast.Object || def.BuiltIn {
			continue
		}
		for _, f := range def.Fields {
			if f.Type.Elem == nil || strings.HasPrefix(f.Name, "__") {
				continue
			}
			if t := schema.Types[f.Type.Name()]; t != nil && (t.Kind == ast.Scalar || t.Kind == ast.Enum) {
				continue // a list of scalars: its field counts once
			}
			if listBounds[def.Name+"."+f.Name] == nil {
				out = append(out, def.Name+"."+f.Name)
			}
		}
	}
	return out
}

func (*costLimit) ExtensionName() string                   { return "CostLimit" }
func (*costLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext refuses oc's operation if it costs more than the
// limit (BadRequest), or if ctx ends while it is measured
// (ServiceUnavailable).
func (c *costLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	cost, _, gqlErr := c.Cost(ctx, oc.Operation, oc.Variables)
	if gqlErr != nil {
		return gqlErr
	}
	oc.Stats.SetExtension("cost", cost)
	if cost > c.limit {
		return limitError("query costs %d; the limit is %d (a list counts the most items it can return: its limit, or the bounds in the README)", cost, c.limit)
	}
	return nil
}

// Cost returns the cost of op, a validated operation, with vars, and the
// number of selections walked to find it (fragments are measured once,
// introspection in full). It stops early, with a ServiceUnavailable error,
// once ctx ends.
func (c *costLimit) Cost(ctx context.Context, op *ast.OperationDefinition, vars map[string]any) (cost, walked int, _ *gqlerror.Error) {
	w := costWalk{c: c, ctx: ctx, vars: vars, memo: map[string]int{}}
	cost = w.set(op.SelectionSet)
	return cost, w.walked, w.err
}

type costWalk struct {
	c      *costLimit
	ctx    context.Context
	vars   map[string]any
	memo   map[string]int
	walked int
	err    *gqlerror.Error
}

// step counts one selection and reports whether the walk should stop.
func (w *costWalk) step() bool {
	w.walked++
	if w.err == nil && w.walked%ctxCheckEvery == 0 && w.ctx.Err() != nil {
		w.err = cancelled()
	}
	return w.err != nil
}

func (w *costWalk) set(set ast.SelectionSet) int {
	total := 0
	for _, sel := range set {
		if w.step() {
			return total
		}
		switch s := sel.(type) {
		case *ast.Field:
			total = saturatingAdd(total, w.field(s))
		case *ast.InlineFragment:
			total = saturatingAdd(total, w.set(s.SelectionSet))
		case *ast.FragmentSpread:
			total = saturatingAdd(total, w.spread(s))
		}
	}
	return total
}

func (w *costWalk) spread(s *ast.FragmentSpread) int {
	if n, ok := w.memo[s.Name]; ok {
		return n
	}
	if s.Definition == nil {
		return 0
	}
	w.memo[s.Name] = 0 // a cycle (validation refuses them) costs nothing more
	n := w.set(s.Definition.SelectionSet)
	w.memo[s.Name] = n
	return n
}

func (w *costWalk) field(f *ast.Field) int {
	switch f.Name {
	case "__schema":
		return saturatingAdd(1, w.intro(f.SelectionSet, w.c.intro))
	case "__type":
		name, _ := f.ArgumentMap(w.vars)["name"].(string)
		def := w.c.schema.Types[name]
		if def == nil {
			return 1
		}
		return saturatingAdd(1, w.intro(f.SelectionSet, introspection.WrapTypeFromDef(w.c.schema, def)))
	}
	if len(f.SelectionSet) == 0 {
		return 1
	}
	child := w.set(f.SelectionSet)
	n := 1
	if f.ObjectDefinition != nil {
		if bound := listBounds[f.ObjectDefinition.Name+"."+f.Name]; bound != nil {
			n = bound(f.ArgumentMap(w.vars))
		} else if f.Definition != nil && f.Definition.Type.Elem != nil {
			n = domain.MaxPageLimit
		}
	}
	return saturatingAdd(1, saturatingMul(n, child))
}

// intro counts the fields set selects on obj, an introspection object
// (*introspection.Schema, *Type, *Field, *InputValue, *EnumValue or
// *Directive), exactly as the executor will answer them.
func (w *costWalk) intro(set ast.SelectionSet, obj any) int {
	total := 0
	for _, sel := range set {
		if w.step() {
			return total
		}
		switch s := sel.(type) {
		case *ast.Field:
			n := 1
			if len(s.SelectionSet) > 0 {
				for _, child := range introChildren(obj, s.Name, s.ArgumentMap(w.vars)) {
					n = saturatingAdd(n, w.intro(s.SelectionSet, child))
				}
			}
			total = saturatingAdd(total, n)
		case *ast.InlineFragment:
			total = saturatingAdd(total, w.intro(s.SelectionSet, obj))
		case *ast.FragmentSpread:
			if s.Definition != nil {
				total = saturatingAdd(total, w.intro(s.Definition.SelectionSet, obj))
			}
		}
	}
	return total
}

// introChildren returns the objects field of obj resolves to (none for a
// leaf or a null).
func introChildren(obj any, field string, args map[string]any) []any {
	deprecated, _ := args["includeDeprecated"].(bool)
	switch o := obj.(type) {
	case *introspection.Schema:
		switch field {
		case "types":
			return each(o.Types())
		case "queryType":
			return single(o.QueryType())
		case "mutationType":
			return single(o.MutationType())
		case "subscriptionType":
			return single(o.SubscriptionType())
		case "directives":
			return each(o.Directives())
		}
	case *introspection.Type:
		switch field {
		case "fields":
			return each(o.Fields(deprecated))
		case "inputFields":
			return each(o.InputFields())
		case "interfaces":
			return each(o.Interfaces())
		case "possibleTypes":
			return each(o.PossibleTypes())
		case "enumValues":
			return each(o.EnumValues(deprecated))
		case "ofType":
			return single(o.OfType())
		}
	case *introspection.Field:
		switch field {
		case "args":
			return each(o.Args)
		case "type":
			return single(o.Type)
		}
	case *introspection.InputValue:
		if field == "type" {
			return single(o.Type)
		}
	case *introspection.Directive:
		if field == "args" {
			return each(o.Args)
		}
	}
	return nil
}

func each[T any](items []T) []any {
	out := make([]any, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out
}

func single(t *introspection.Type) []any {
	if t == nil {
		return nil
	}
	return []any{t}
}

// saturatingMul multiplies non-negative a and b, stopping at the largest
// int.
func saturatingMul(a, b int) int {
	const maxInt = int(^uint(0) >> 1)
	if a != 0 && b > maxInt/a {
		return maxInt
	}
	return a * b
}
