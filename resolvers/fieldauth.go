package resolvers

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/dayline/dayline/auth"
	"github.com/dayline/dayline/domain"
)

// awsAuthDirectives are AppSync's authorization directives. Any of them on a
// field (or, failing that, on its type) replaces the default mode.
var awsAuthDirectives = map[string]bool{
	"aws_cognito_user_pools": true, "aws_api_key": true, "aws_iam": true,
	"aws_oidc": true, "aws_lambda": true, "aws_auth": true,
}

// fieldRule is the decision for one field of one type.
type fieldRule struct {
	restricted bool     // some auth directive applies: the default mode is not implied
	cognito    bool     // @aws_cognito_user_pools is among them
	groups     []string // its cognito_groups; empty means any signed-in user
}

// FieldAuthorizer enforces @aws_cognito_user_pools with AppSync's
// precedence on every resolved field, nested ones included: the field's
// directives, else its type's, else the default mode (any signed-in
// caller). gqlgen's per-location directive hooks cannot express "field
// overrides type", so this runs as field middleware over rules computed
// once from the schema. A denied field resolves to null with an
// Unauthorized error "Not Authorized to access <field> on type <Type>".
//
// FieldAuthorizer is a gqlgen handler extension: install it with
// handler.Server.Use. Before each operation runs it checks the document
// once against the caller's groups (MayDeny). Only when the document
// selects a field the caller may be denied does the operation get the
// per-field check, which then runs on every resolved field; an operation
// the caller may run in full skips it, as its outcome would be "allowed"
// on every field.
type FieldAuthorizer struct {
	rules map[string]map[string]fieldRule
}

// NewFieldAuthorizer computes the rule of every field in schema.
func NewFieldAuthorizer(schema *ast.Schema) *FieldAuthorizer {
	fa := &FieldAuthorizer{rules: map[string]map[string]fieldRule{}}
	for name, def := range schema.Types {
		if def.Kind != ast.Object {
			continue
		}
		typeRule := ruleOf(def.Directives)
		fields := map[string]fieldRule{}
		for _, f := range def.Fields {
			r := ruleOf(f.Directives)
			if !r.restricted {
				r = typeRule
			}
			fields[f.Name] = r
		}
		fa.rules[name] = fields
	}
	return fa
}

func ruleOf(dirs ast.DirectiveList) fieldRule {
	var r fieldRule
	for _, d := range dirs {
		if !awsAuthDirectives[d.Name] {
			continue
		}
		r.restricted = true
		if d.Name != "aws_cognito_user_pools" {
			continue
		}
		r.cognito = true
		arg := d.Arguments.ForName("cognito_groups")
		if arg == nil || arg.Value == nil || arg.Value.Kind == ast.NullValue {
			continue // no groups named: any signed-in user
		}
		r.groups = groupsOf(arg.Value)
		if len(r.groups) == 0 {
			r.groups = []string{denyAll} // named but unreadable or empty: fail closed
		}
	}
	return r
}

// denyAll is a group name no caller can have.
const denyAll = "\x00deny"

// groupsOf reads cognito_groups: a list of strings, or a single string
// (GraphQL coerces one value to a one-item list). Anything else yields
// none.
func groupsOf(v *ast.Value) []string {
	switch v.Kind {
	case ast.StringValue:
		return []string{v.Raw}
	case ast.ListValue:
		var out []string
		for _, c := range v.Children {
			if c.Value == nil || c.Value.Kind != ast.StringValue || c.Value.Raw == "" {
				return nil
			}
			out = append(out, c.Value.Raw)
		}
		return out
	}
	return nil
}

// Allowed reports whether a caller in groups may resolve typeName.fieldName.
func (fa *FieldAuthorizer) Allowed(typeName, fieldName string, id auth.Identity) bool {
	return fa.rules[typeName][fieldName].allows(func() auth.Identity { return id })
}

// allows reports whether the caller may resolve the field; it asks for the
// caller's identity only when the field names groups.
func (r fieldRule) allows(caller func() auth.Identity) bool {
	switch {
	case !r.restricted:
		return true
	case !r.cognito:
		return false
	case len(r.groups) == 0:
		return true
	}
	return caller().InGroup(r.groups...)
}

// checkField is the per-field check (run in the field middleware that
// MutateOperationContext installs): the Unauthorized error if the caller
// may not resolve ctx's field, else nil. It runs on every resolved field,
// so it reads only the field context and the rules, and never waits on
// anything.
func (fa *FieldAuthorizer) checkField(ctx context.Context) error {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return nil
	}
	caller := func() auth.Identity {
		id, _ := auth.IdentityFrom(ctx) // none: the zero identity, in no group
		return id
	}
	if !fa.rules[fc.Object][fc.Field.Name].allows(caller) {
		return domain.Unauthorized("%s", fmt.Sprintf("Not Authorized to access %s on type %s", fc.Field.Name, fc.Object))
	}
	return nil
}

// DisableIntrospection denies introspection (Query.__schema and
// Query.__type) to every caller, with the field directive's Unauthorized
// error. __typename stays open.
func (fa *FieldAuthorizer) DisableIntrospection() { fa.RestrictIntrospection([]string{denyAll}) }

// RestrictIntrospection limits introspection (Query.__schema and
// Query.__type) to callers in one of groups, with the same Unauthorized
// error as a field directive; no groups leaves it open to every signed-in
// caller. __typename stays open. Call it before the handler serves.
func (fa *FieldAuthorizer) RestrictIntrospection(groups []string) {
	if len(groups) == 0 {
		return
	}
	rule := fieldRule{restricted: true, cognito: true, groups: append([]string(nil), groups...)}
	if fa.rules["Query"] == nil {
		fa.rules["Query"] = map[string]fieldRule{}
	}
	fa.rules["Query"]["__schema"] = rule
	fa.rules["Query"]["__type"] = rule
}
