package infra

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var updateTemplate = flag.Bool("update-template", false, "write template.yaml from the current sources")

// templateFile is the committed template.
const templateFile = "template.yaml"

// currentSources returns the sources as they are, schema.graphql read from
// the module's root.
func currentSources(t *testing.T) Sources {
	t.Helper()
	schema, err := os.ReadFile("../schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	return CurrentSources(string(schema))
}

// TestTemplateGenerated checks that template.yaml is what Generate makes
// from the current sources (the drift check CI runs); with
// -update-template it writes the file.
func TestTemplateGenerated(t *testing.T) {
	want, err := Generate(currentSources(t))
	if err != nil {
		t.Fatal(err)
	}
	if *updateTemplate {
		if err := os.WriteFile(templateFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(templateFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what the schema, the resolver fields, the table definition and the IAM actions make now: run go test ./infra -run TestTemplateGenerated -update-template (make infra)", templateFile)
	}
}
