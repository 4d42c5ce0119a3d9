package dayline

import (
	"os"
	"regexp"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// TestSchemaIsAppSyncUploadable: schema.graphql declares no directives and
// no AWS scalars (AppSync rejects or provides them), and no type of ours
// starts with "AWS".
func TestSchemaIsAppSyncUploadable(t *testing.T) {
	src, err := os.ReadFile("schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	if loc := regexp.MustCompile(`(?m)^\s*directive\s+@`).FindIndex(src); loc != nil {
		t.Errorf("schema.graphql defines a directive at byte %d", loc[0])
	}
	doc, err := parser.ParseSchema(&ast.Source{Name: "schema.graphql", Input: string(src)})
	if err != nil {
		t.Fatalf("schema.graphql does not parse: %v", err)
	}
	if len(doc.Directives) > 0 {
		t.Errorf("schema.graphql defines directives: %v", doc.Directives[0].Name)
	}
	for _, def := range doc.Definitions {
		if def.Kind == ast.Scalar {
			t.Errorf("schema.graphql declares scalar %s", def.Name)
		}
		if regexp.MustCompile(`^AWS`).MatchString(def.Name) {
			t.Errorf("type %s starts with AWS", def.Name)
		}
	}
	if len(doc.Definitions) < 10 {
		t.Errorf("schema.graphql has only %d definitions: wrong file?", len(doc.Definitions))
	}
}
