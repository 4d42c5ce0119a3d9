package fastexec

import (
	"os"
	"strings"
	"testing"
)

// comparedWith is the gqlgen version whose runtime (graphql/resolve_field.go,
// fieldset.go, context_field.go) this package was compared with.
const comparedWith = "github.com/99designs/gqlgen v0.17.95"

// TestGqlgenVersionIsTheComparedOne: moving to another gqlgen version
// fails here until this package is compared with the new runtime code and
// comparedWith is updated.
func TestGqlgenVersionIsTheComparedOne(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mod), "\t"+comparedWith+"\n") {
		t.Errorf("go.mod does not require %s: compare fastexec with the new gqlgen runtime, then update comparedWith", comparedWith)
	}
}
