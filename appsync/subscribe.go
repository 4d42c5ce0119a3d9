package appsync

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/dayline/dayline/app"
	"github.com/dayline/dayline/domain"
)

// AppSync serves subscriptions itself, from the @aws_subscribe mutations'
// results, and would deliver any signed-in caller every event whose
// fields match its arguments: across organisations, and a member's
// schedules to another member. So each Subscription field has a resolver
// (ResolverFields), which AppSync invokes when a client subscribes:
//
//   - the subscription is checked as the server checks it at start, by
//     running, as the caller, the queries that name what its arguments
//     name (ownerId: user(id:), id: schedule(id:)) with me: a refusal is
//     the error the query gets (NotFound across organisations,
//     Unauthorized for a member naming someone else's);
//   - the answer is the subscription's enhanced filter
//     (SubscriptionResponseTemplate): the caller's scope
//     (app.SubscriberScope: its organisation, and itself as owner for a
//     member) and its arguments, each as {"eq": value}.
//
// Unlike the server, AppSync does not re-read events per subscriber: a
// subscriber gets what the mutation selected, filtered by these fields.

// subscriptionArgs maps each argument of a Subscription field to the Query
// field that checks its value, by id.
var subscriptionArgs = map[string]string{"ownerId": "user", "id": "schedule"}

// subscribe answers a Subscription event: its filter, or why it is refused.
func (h *Handler) subscribe(ctx context.Context, e Event) BatchItem {
	def := h.build.schema.Subscription.Fields.ForName(e.Info.FieldName)
	if def == nil {
		return failed(badRequest(fmt.Sprintf("Subscription.%s is no field of the schema", e.Info.FieldName)))
	}
	args := map[string]string{}
	for name, raw := range e.Arguments {
		if def.Arguments.ForName(name) == nil || subscriptionArgs[name] == "" {
			return failed(badRequest(fmt.Sprintf("unknown argument %q on field %s", name, def.Name)))
		}
		if string(raw) == "null" {
			continue
		}
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return failed(badRequest(fmt.Sprintf("argument %q of %s must be an ID", name, def.Name)))
		}
		args[name] = v
	}
	names := make([]string, 0, len(args))
	for name := range args {
		names = append(names, name)
	}
	sort.Strings(names)
	var decls, fields []string
	vars := map[string]any{}
	for i, name := range names {
		v := fmt.Sprintf("v%d", i)
		decls = append(decls, "$"+v+": ID!")
		fields = append(fields, fmt.Sprintf("%s: %s(id: $%s) { id }", name, subscriptionArgs[name], v))
		vars[v] = args[name]
	}
	query := "query"
	if len(decls) > 0 {
		query += "(" + strings.Join(decls, ", ") + ")"
	}
	query += " { me { id organisationId role } " + strings.Join(fields, " ") + " }"
	resp := h.exec.Execute(ctx, &graphql.RawParams{Query: query, Variables: vars})
	if len(resp.Errors) > 0 {
		err := resp.Errors[0]
		code, _ := err.Extensions["code"].(string)
		if code == "" {
			code = string(domain.CodeInternal)
		}
		return failed(&Error{Type: code, Message: err.Message})
	}
	var data struct{ Me *domain.User }
	if err := json.Unmarshal(resp.Data, &data); err != nil || data.Me == nil {
		return failed(&Error{Type: string(domain.CodeInternal), Message: "no caller in the answer"})
	}
	filter := map[string]map[string]string{}
	for field, value := range app.SubscriberScope(*data.Me) {
		filter[field] = map[string]string{"eq": value}
	}
	for name, value := range args { // AppSync's own rule, kept under the filter
		filter[name] = map[string]string{"eq": value}
	}
	out, err := json.Marshal(filter)
	if err != nil {
		return failed(&Error{Type: string(domain.CodeInternal), Message: err.Error()})
	}
	return BatchItem{Data: out}
}

// failed is an item refused with e.
func failed(e *Error) BatchItem {
	return BatchItem{Data: json.RawMessage("null"), ErrorType: e.Type, ErrorMessage: e.Message}
}

// isSubscription reports whether e is for a Subscription field.
func (b *builder) isSubscription(e Event) bool {
	return b.schema.Subscription != nil && e.Info.ParentTypeName == b.schema.Subscription.Name
}
