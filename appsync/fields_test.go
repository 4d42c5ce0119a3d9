package appsync_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/codegen/config"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/dayline/dayline/appsync"
)

// TestResolverFieldsMatchGqlgenYML: the fields with an AppSync resolver
// are every Query and Mutation field of schema.graphql (Invoke), every
// Subscription field (Invoke when a client subscribes) and every field
// gqlgen.yml marks `resolver: true` (BatchInvoke), and nothing else.
func TestResolverFieldsMatchGqlgenYML(t *testing.T) {
	t.Chdir("..") // gqlgen.yml names its schema files relative to the module root
	cfg, err := config.LoadConfig("gqlgen.yml")
	if err != nil {
		t.Fatalf("load gqlgen.yml: %v", err)
	}
	var sources []*ast.Source
	for _, name := range cfg.SchemaFilename {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, &ast.Source{Name: name, Input: string(b)})
	}
	schema, gerr := gqlparser.LoadSchema(sources...)
	if gerr != nil || schema.Query == nil {
		t.Fatalf("load schema %v: %v", cfg.SchemaFilename, gerr)
	}
	var want []appsync.Field
	for _, root := range []string{"Query", "Mutation"} {
		for _, f := range schema.Types[root].Fields {
			if strings.HasPrefix(f.Name, "__") { // introspection: AppSync answers it
				continue
			}
			want = append(want, appsync.Field{Type: root, Name: f.Name})
		}
	}
	for _, f := range schema.Subscription.Fields {
		want = append(want, appsync.Field{Type: schema.Subscription.Name, Name: f.Name, Subscription: true})
	}
	for typ, model := range cfg.Models {
		for name, f := range model.Fields {
			if f.Resolver {
				want = append(want, appsync.Field{Type: typ, Name: name, Batch: true})
			}
		}
	}
	key := func(f appsync.Field) string { return f.Type + "." + f.Name }
	slices.SortFunc(want, func(a, b appsync.Field) int {
		if key(a) < key(b) {
			return -1
		}
		if key(a) > key(b) {
			return 1
		}
		return 0
	})
	got := appsync.ResolverFields()
	if !slices.Equal(got, want) {
		t.Errorf("ResolverFields() =\n%v\nwant (from gqlgen.yml and schema.graphql)\n%v", got, want)
	}
	// The list of BatchInvoke fields.
	var batch []string
	for _, f := range got {
		if f.Batch {
			batch = append(batch, key(f))
		}
	}
	wantBatch := []string{"Organisation.members", "Schedule.owner", "User.agenda", "User.organisation", "User.schedules"}
	if !slices.Equal(batch, wantBatch) {
		t.Errorf("BatchInvoke fields %v, want %v", batch, wantBatch)
	}
}
