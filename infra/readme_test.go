package infra

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestREADMENamesEveryParameterAndOutput: the README's deploy section has
// a table of the template's parameters and one of its outputs, and they
// name exactly what template.yaml declares (names only: the defaults and
// meanings are read, not checked).
func TestREADMENamesEveryParameterAndOutput(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const heading = "\n## Deploy to AWS\n"
	start := strings.Index(string(readme), heading)
	if start < 0 {
		t.Fatal(`README.md has no "## Deploy to AWS" section`)
	}
	section := string(readme)[start+len(heading):]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	raw, err := os.ReadFile(templateFile)
	if err != nil {
		t.Fatal(err)
	}
	var tmpl struct {
		Parameters map[string]any `yaml:"Parameters"`
		Outputs    map[string]any `yaml:"Outputs"`
	}
	if err := yaml.Unmarshal(raw, &tmpl); err != nil {
		t.Fatalf("%s: %v", templateFile, err)
	}
	for _, table := range []struct {
		header string
		want   []string
	}{
		{"| Parameter |", sortedKeys(tmpl.Parameters)},
		{"| Output |", sortedKeys(tmpl.Outputs)},
	} {
		got := tableNames(section, table.header)
		if !slices.Equal(got, table.want) {
			t.Errorf("README's %q table names %v; template.yaml declares %v", table.header, got, table.want)
		}
	}
}

// tableRow matches a table row whose first cell is one `name`.
var tableRow = regexp.MustCompile("^\\| `([A-Za-z0-9]+)` \\|")

// tableNames returns, sorted, the names in the first column of the table
// under the row starting with header.
func tableNames(section, header string) []string {
	var names []string
	in := false
	for _, line := range strings.Split(section, "\n") {
		switch {
		case strings.HasPrefix(line, header):
			in = true
		case in && !strings.HasPrefix(line, "|"):
			in = false
		case in:
			if m := tableRow.FindStringSubmatch(line); m != nil {
				names = append(names, m[1])
			}
		}
	}
	slices.Sort(names)
	return names
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
