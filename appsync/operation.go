package appsync

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/dayline/dayline/api"
	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/domain"
	"github.com/dayline/dayline/resolvers"
)

// An event becomes one aliased root field of a GraphQL operation on the
// same executable schema as the server's:
//
//   - a root field (Query, Mutation) is selected as itself, with the
//     event's arguments as variables typed from the schema:
//     i0: schedule(id: $v0) { ...Schedule_ }
//   - a field of an object type with a root twin, a Query field of the same
//     name, type and arguments plus the parent's id (User.agenda(date) and
//     Query.agenda(userId, date)), is selected as that root field, which
//     reads no parent:
//     i0: agenda(userId: $v0, date: $v1) { ...AgendaItem_ }
//   - any other field of an object type is selected through its parent,
//     fetched by id with the root field that returns that type from an
//     `id: ID!` argument (user, organisation, schedule):
//     i0: user(id: $v0) { organisation { ...Organisation_ } }
//
// The field's own selection is every field of its type that AppSync
// resolves from the returned JSON (fields without their own resolver, see
// ResolverFields) and that the caller may read (the same
// @aws_cognito_user_pools rules the server enforces; AppSync denies the
// others itself), recursively, written once per type as a fragment.
// The events of a BatchInvoke become the aliases i0, i1, ... of one
// operation. When they are one batched field of many parents with the same
// arguments (a level of a list, as AppSync sends it), the operation first
// runs that field's batch resolver on all the parents (api.Prefetch), so
// the aliases find what they read in the loaders: one store call per kind
// of read for the whole batch, by construction. Other batches still share
// the loaders' batches while their wait lasts.

// builder turns events into operations. It is immutable after New.
type builder struct {
	schema     *ast.Schema
	fields     *fieldTable
	authorizer *resolvers.FieldAuthorizer
	// parents maps an object type to the Query field that fetches one by
	// id, for the fields of that type.
	parents map[string]*ast.FieldDefinition
	// twins maps a field of an object type to its root twin (see above).
	twins map[[2]string]twin
}

// twin is the root field that answers a field of an object type, and the
// argument that takes the parent's id.
type twin struct {
	field *ast.FieldDefinition
	idArg string
}

func newBuilder(schema *ast.Schema, fields *fieldTable) *builder {
	b := &builder{schema: schema, fields: fields, authorizer: resolvers.NewFieldAuthorizer(schema),
		parents: map[string]*ast.FieldDefinition{}}
	for _, f := range schema.Query.Fields {
		if len(f.Arguments) == 1 && f.Arguments[0].Name == "id" && f.Arguments[0].Type.String() == "ID!" &&
			f.Type.Elem == nil && schema.Types[f.Type.Name()].Kind == ast.Object {
			if _, ok := b.parents[f.Type.Name()]; !ok {
				b.parents[f.Type.Name()] = f
			}
		}
	}
	b.twins = map[[2]string]twin{}
	for _, f := range fields.list {
		if tw, ok := rootTwin(schema, f); ok {
			b.twins[[2]string{f.Type, f.Name}] = tw
		}
	}
	return b
}

// rootTwin finds the Query field named as f, of f's type, whose arguments
// are f's plus the parent's id, named after the parent type (userId for a
// User) and of type ID!.
func rootTwin(schema *ast.Schema, f Field) (twin, bool) {
	if !f.Batch {
		return twin{}, false
	}
	def := schema.Types[f.Type].Fields.ForName(f.Name)
	root := schema.Query.Fields.ForName(f.Name)
	idArg := strings.ToLower(f.Type[:1]) + f.Type[1:] + "Id"
	if root == nil || root.Type.String() != def.Type.String() || len(root.Arguments) != len(def.Arguments)+1 {
		return twin{}, false
	}
	if a := root.Arguments.ForName(idArg); a == nil || a.Type.String() != "ID!" {
		return twin{}, false
	}
	for _, a := range def.Arguments {
		if ra := root.Arguments.ForName(a.Name); ra == nil || ra.Type.String() != a.Type.String() {
			return twin{}, false
		}
	}
	return twin{field: root, idArg: idArg}, true
}

// operation is one GraphQL operation for some events, and where each
// event's answer is in its response.
type operation struct {
	query string
	vars  map[string]any
	items []planned
	// prefetch, when the events are all one batched field of different
	// parents with the same arguments, reads what that field's batch
	// resolver reads for all the parents before the aliases run (see
	// api.Prefetch), so the loaders batch across the whole batch by
	// construction.
	prefetch *api.Prefetch
}

// planned is one event in an operation: its index in the batch, its alias
// and, for a field selected through its parent, the field's name under
// the alias.
type planned struct {
	index  int
	alias  string
	nested string
}

// itemError is an event refused before any operation runs.
type itemError struct {
	index int
	err   *Error
}

// build writes the operation of the events at indexes (all of one kind:
// query or mutation) for caller. Events that cannot be expressed (an
// unknown field or argument, a parent without id) are returned as
// errors and left out.
func (b *builder) build(events []Event, indexes []int, kind ast.Operation, caller auth.Identity) (*operation, []itemError) {
	w := &opWriter{b: b, caller: caller, vars: map[string]any{}, varNames: map[string]string{}, fragments: map[string]string{}}
	op := &operation{}
	var refused []itemError
	var body strings.Builder
	var parentIDs []string
	for _, i := range indexes {
		alias := "i" + strconv.Itoa(i)
		// Each event writes into a copy, kept only if the event is
		// accepted: a refused event leaves no variable or fragment behind
		// (an unused one would make the whole operation invalid).
		trial := w.clone()
		var field strings.Builder
		nested, parentID, err := trial.field(&field, alias, events[i])
		if err != nil {
			refused = append(refused, itemError{index: i, err: err})
			continue
		}
		w = trial
		body.WriteString(field.String())
		op.items = append(op.items, planned{index: i, alias: alias, nested: nested})
		parentIDs = append(parentIDs, parentID)
	}
	if len(op.items) == 0 {
		return nil, refused
	}
	op.prefetch = b.prefetch(events, op.items, parentIDs)
	var q strings.Builder
	q.WriteString(string(kind))
	if len(w.decls) > 0 {
		q.WriteString("(" + strings.Join(w.decls, ", ") + ")")
	}
	q.WriteString(" {" + body.String() + " }")
	names := make([]string, 0, len(w.fragments))
	for name := range w.fragments {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		q.WriteString("\n" + w.fragments[name])
	}
	op.query, op.vars = q.String(), w.vars
	return op, refused
}

// opWriter accumulates one operation's variables and fragments.
type opWriter struct {
	b         *builder
	caller    auth.Identity
	decls     []string
	vars      map[string]any
	varNames  map[string]string // type and JSON value -> variable name: equal arguments share one
	fragments map[string]string // fragment name -> definition
}

// clone returns a copy of w that can be written without changing w.
func (w *opWriter) clone() *opWriter {
	return &opWriter{
		b: w.b, caller: w.caller, decls: slices.Clone(w.decls),
		vars: maps.Clone(w.vars), varNames: maps.Clone(w.varNames), fragments: maps.Clone(w.fragments),
	}
}

// field writes the aliased root field of one event and returns, for a
// field selected through its parent, the field's name, and for a field of
// an object type, the parent's id.
func (w *opWriter) field(body *strings.Builder, alias string, e Event) (nested, parentID string, _ *Error) {
	parent, name := e.Info.ParentTypeName, e.Info.FieldName
	if !w.b.fields.has(parent, name) {
		return "", "", badRequest(fmt.Sprintf("%s.%s has no AppSync resolver on this function", parent, name))
	}
	def := w.b.schema.Types[parent].Fields.ForName(name)
	args, err := w.arguments(def, e.Arguments)
	if err != nil {
		return "", "", err
	}
	sel, err := w.selection(def.Type)
	if err != nil {
		return "", "", err
	}
	if w.b.isRoot(parent) {
		fmt.Fprintf(body, " %s: %s%s%s", alias, name, argList(args), sel)
		return "", "", nil
	}
	var src struct {
		ID *string `json:"id"`
	}
	if err := json.Unmarshal(e.Source, &src); err != nil || src.ID == nil {
		return "", "", badRequest(fmt.Sprintf("the source of %s.%s has no id", parent, name))
	}
	idVar := w.variable("ID!", json.RawMessage(strconv.Quote(*src.ID)))
	if tw, ok := w.b.twins[[2]string{parent, name}]; ok {
		args = append([]string{tw.idArg + ": " + idVar}, args...)
		fmt.Fprintf(body, " %s: %s%s%s", alias, tw.field.Name, argList(args), sel)
		return "", *src.ID, nil
	}
	root := w.b.parents[parent]
	if root == nil {
		return "", "", &Error{Type: string(domain.CodeInternal), Message: fmt.Sprintf("no root field fetches a %s by id", parent)}
	}
	fmt.Fprintf(body, " %s: %s(id: %s) { %s%s%s }", alias, root.Name, idVar, name, argList(args), sel)
	return name, *src.ID, nil
}

// isRoot reports whether typ is the Query or Mutation type.
func (b *builder) isRoot(typ string) bool {
	return typ == b.schema.Query.Name || (b.schema.Mutation != nil && typ == b.schema.Mutation.Name)
}

// prefetch returns the Prefetch of the accepted events (items, whose
// parents are parentIDs): when there are several, all of one Batch field
// with the same arguments. Otherwise nil: the loaders' wait batches them.
func (b *builder) prefetch(events []Event, items []planned, parentIDs []string) *api.Prefetch {
	if len(items) < 2 {
		return nil
	}
	first := events[items[0].index]
	parent, name := first.Info.ParentTypeName, first.Info.FieldName
	if b.isRoot(parent) || !b.fields.batch(parent, name) {
		return nil
	}
	for _, p := range items[1:] {
		e := events[p.index]
		if e.Info.ParentTypeName != parent || e.Info.FieldName != name || !sameArguments(e.Arguments, first.Arguments) {
			return nil
		}
	}
	return &api.Prefetch{Type: parent, Field: name, ParentIDs: parentIDs, Args: first.Arguments}
}

// sameArguments reports whether a and b hold the same arguments, each
// written alike.
func sameArguments(a, b map[string]json.RawMessage) bool {
	return maps.EqualFunc(a, b, func(x, y json.RawMessage) bool { return bytes.Equal(x, y) })
}

// arguments returns "a: $v0" for each of the event's arguments, each a
// variable typed as the field's argument.
func (w *opWriter) arguments(def *ast.FieldDefinition, given map[string]json.RawMessage) ([]string, *Error) {
	names := make([]string, 0, len(given))
	for name := range given {
		if def.Arguments.ForName(name) == nil {
			return nil, badRequest(fmt.Sprintf("unknown argument %q on field %s", name, def.Name))
		}
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = name + ": " + w.variable(def.Arguments.ForName(name).Type.String(), given[name])
	}
	return parts, nil
}

// argList writes arguments as GraphQL: "(a: $v0, b: $v1)", or "" for none.
func argList(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return "(" + strings.Join(args, ", ") + ")"
}

// variable declares a variable of type typ holding value (equal ones are
// declared once) and returns its reference.
func (w *opWriter) variable(typ string, value json.RawMessage) string {
	var compact bytes.Buffer
	if err := json.Compact(&compact, value); err != nil {
		compact.Reset()
		compact.Write(value) // decoded below, and refused by gqlgen as a bad value
	}
	key := typ + " " + compact.String()
	if name, ok := w.varNames[key]; ok {
		return "$" + name
	}
	name := "v" + strconv.Itoa(len(w.decls))
	w.varNames[key] = name
	w.decls = append(w.decls, "$"+name+": "+typ)
	dec := json.NewDecoder(bytes.NewReader(compact.Bytes()))
	dec.UseNumber() // as the HTTP transport decodes variables
	var v any
	if err := dec.Decode(&v); err != nil {
		v = compact.String()
	}
	w.vars[name] = v
	return "$" + name
}

// selection returns the selection set of a field of type t ("" for a
// scalar or enum): a spread of the fragment of t's named type.
func (w *opWriter) selection(t *ast.Type) (string, *Error) {
	def := w.b.schema.Types[t.Name()]
	if def == nil || !def.IsCompositeType() {
		return "", nil
	}
	name, err := w.fragment(def, nil)
	if err != nil {
		return "", err
	}
	return " { ..." + name + " }", nil
}

// fragment defines (once) the fragment of an object, interface or union
// type and returns its name. path is the types being defined, to refuse a
// cycle of fields without resolvers (the JSON would be endless).
func (w *opWriter) fragment(def *ast.Definition, path []string) (string, *Error) {
	name := def.Name + "_"
	if _, ok := w.fragments[name]; ok {
		return name, nil
	}
	for _, p := range path {
		if p == def.Name {
			return "", &Error{Type: string(domain.CodeInternal), Message: "fields without resolvers form a cycle at " + def.Name}
		}
	}
	path = append(path, def.Name)
	var sel []string
	if def.Kind == ast.Object {
		for _, f := range def.Fields {
			s, err := w.fieldSelection(def, f, path)
			if err != nil {
				return "", err
			}
			if s != "" {
				sel = append(sel, s)
			}
		}
	}
	if def.IsAbstractType() {
		sel = append(sel, "__typename")
		for _, pt := range w.b.schema.GetPossibleTypes(def) {
			inner, err := w.fragment(pt, path)
			if err != nil {
				return "", err
			}
			sel = append(sel, "..."+inner)
		}
	}
	if len(sel) == 0 {
		sel = []string{"__typename"} // every field has its own resolver, or is denied
	}
	w.fragments[name] = "fragment " + name + " on " + def.Name + " { " + strings.Join(sel, " ") + " }"
	return name, nil
}

// fieldSelection returns how f of def is selected: "" when AppSync calls a
// resolver for it, the caller may not read it, or it needs arguments.
func (w *opWriter) fieldSelection(def *ast.Definition, f *ast.FieldDefinition, path []string) (string, *Error) {
	if strings.HasPrefix(f.Name, "__") || w.b.fields.has(def.Name, f.Name) || !w.b.authorizer.Allowed(def.Name, f.Name, w.caller) {
		return "", nil
	}
	for _, a := range f.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			return "", nil
		}
	}
	inner := w.b.schema.Types[f.Type.Name()]
	if inner == nil || !inner.IsCompositeType() {
		return f.Name, nil
	}
	name, err := w.fragment(inner, path)
	if err != nil {
		return "", err
	}
	return f.Name + " { ..." + name + " }", nil
}

// badRequest is the BadRequest error of an event that cannot be served.
func badRequest(msg string) *Error { return &Error{Type: string(domain.CodeBadRequest), Message: msg} }
