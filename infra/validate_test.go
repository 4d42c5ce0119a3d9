package infra

import (
	"os"
	"testing"
)

// testParams are the values of the parameters without a default.
var testParams = map[string]any{paramPageTokenSecret: "0123456789abcdef0123456789abcdef"}

func TestValidateCommitted(t *testing.T) {
	data, err := os.ReadFile(templateFile)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := Validate(data, testParams)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d resources", len(tmpl.Resources))
}
