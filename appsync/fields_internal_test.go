package appsync

import (
	"testing"

	"github.com/dayline/dayline/graph"
)

// TestEveryBatchFieldReachesItsParent: each BatchInvoke field is answered
// either by its root twin or through the root field that fetches its
// parent type by id.
func TestEveryBatchFieldReachesItsParent(t *testing.T) {
	b := newBuilder(graph.NewExecutableSchema(graph.Config{}).Schema(), resolverFields())
	via := map[string]string{}
	for _, f := range ResolverFields() {
		if !f.Batch {
			continue
		}
		key := f.Type + "." + f.Name
		switch tw, ok := b.twins[[2]string{f.Type, f.Name}]; {
		case ok:
			via[key] = "Query." + tw.field.Name + "(" + tw.idArg + ")"
		case b.parents[f.Type] != nil:
			via[key] = "Query." + b.parents[f.Type].Name + "(id)"
		default:
			t.Errorf("%s: no root field reaches a %s by id", key, f.Type)
		}
	}
	want := map[string]string{
		"User.agenda":          "Query.agenda(userId)",
		"User.organisation":    "Query.user(id)",
		"User.schedules":       "Query.user(id)",
		"Organisation.members": "Query.organisation(id)",
		"Schedule.owner":       "Query.schedule(id)",
	}
	for k, v := range want {
		if via[k] != v {
			t.Errorf("%s via %q, want %q", k, via[k], v)
		}
	}
}
