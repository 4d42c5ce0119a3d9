package main

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite README.md's configuration table from the settings table")

// Markers around README.md's configuration table.
const (
	readmePath    = "../../README.md"
	settingsBegin = "<!-- settings:begin (made from cmd/dayline/settings.go: go test ./cmd/dayline -run TestREADMESettings -update) -->\n"
	settingsEnd   = "<!-- settings:end -->\n"
)

// TestREADMESettings fails when README.md's configuration table differs
// from the settings table; -update rewrites it.
func TestREADMESettings(t *testing.T) {
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start := strings.Index(readme, settingsBegin)
	end := strings.Index(readme, settingsEnd)
	if start < 0 || end < start {
		t.Fatalf("README.md lacks the markers %q and %q around its configuration table", settingsBegin, settingsEnd)
	}
	start += len(settingsBegin)
	want := settingsMarkdown()
	if got := readme[start:end]; got == want {
		return
	} else if !*update {
		t.Fatalf("README.md's configuration table differs from cmd/dayline/settings.go; run\n\tgo test ./cmd/dayline -run TestREADMESettings -update\nwant:\n%s\ngot:\n%s", want, got)
	}
	if err := os.WriteFile(readmePath, []byte(readme[:start]+want+readme[end:]), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("rewrote %s", readmePath)
}
