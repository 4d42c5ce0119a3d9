package main

import (
	"flag"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dayline/dayline/api"
)

var update = flag.Bool("update", false, "rewrite README.md's generated tables")

const readmePath = "../../README.md"

// TestREADMETables fails when a table of README.md that Go code makes
// (between its markers) differs from what the code makes now; -update
// rewrites them.
func TestREADMETables(t *testing.T) {
	tables := []struct {
		name, begin, end string
		make             func() string
	}{
		{"configuration",
			"<!-- settings:begin (made from cmd/dayline/settings.go: go test ./cmd/dayline -run TestREADMETables -update) -->\n",
			"<!-- settings:end -->\n", settingsMarkdown},
		{"limits",
			"<!-- limits:begin (made from cmd/dayline/limitsdoc.go and api.DefaultLimits: go test ./cmd/dayline -run TestREADMETables -update) -->\n",
			"<!-- limits:end -->\n", limitsMarkdown},
	}
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, tc := range tables {
		start := strings.Index(readme, tc.begin)
		end := strings.Index(readme, tc.end)
		if start < 0 || end < start {
			t.Fatalf("README.md lacks the markers %q and %q around its %s table", tc.begin, tc.end, tc.name)
		}
		start += len(tc.begin)
		want := tc.make()
		if got := readme[start:end]; got == want {
			continue
		} else if !*update {
			t.Errorf("README.md's %s table differs from the code; run\n\tgo test ./cmd/dayline -run TestREADMETables -update\nwant:\n%s\ngot:\n%s", tc.name, want, got)
			continue
		}
		readme = readme[:start] + want + readme[end:]
	}
	if *update && readme != string(b) {
		if err := os.WriteFile(readmePath, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %s", readmePath)
	}
}

// TestLimitRows: the limits table has a row per field of api.Limits, and
// each setting it names is a setting of serve.
func TestLimitRows(t *testing.T) {
	if n := reflect.TypeFor[api.Limits]().NumField(); len(limitRows) != n {
		t.Errorf("%d limit rows for the %d fields of api.Limits", len(limitRows), n)
	}
	for _, r := range limitRows {
		if r.setting != "" && !slices.ContainsFunc(settingsOf(verbServe), func(s setting) bool { return s.flag == r.setting }) {
			t.Errorf("limit %q names --%s, which serve does not take", r.what, r.setting)
		}
	}
}
