package main

import (
	"fmt"
	"strings"

	"github.com/dayline/dayline/api"
)

// limitRow is one row of README.md's limits table: what is bounded, its
// default (read from api.DefaultLimits, never copied) and the setting that
// changes it ("" when fixed).
type limitRow struct {
	what    string
	value   func(api.Limits) int
	setting string
}

// limitRows are the request limits, in README.md's order.
var limitRows = []limitRow{
	{"tokens in a document", func(l api.Limits) int { return l.MaxTokens }, ""},
	{"depth (a leaf field is one level)", func(l api.Limits) int { return l.MaxDepth }, "max-depth"},
	{"fields in one selection set, its fragments merged", func(l api.Limits) int { return l.MaxSelectionFields }, ""},
	{"selections (fields, fragment spreads, inline fragments) with every spread expanded", func(l api.Limits) int { return l.MaxExpandedFields }, ""},
	{"times one field (response key) is selected at one place, fragments merged", func(l api.Limits) int { return l.MaxFieldRepeats }, ""},
	{"aliases, fragments expanded", func(l api.Limits) int { return l.MaxAliases }, ""},
	{"root fields of one mutation (each runs, one after another)", func(l api.Limits) int { return l.MaxMutationFields }, ""},
	{"cost (below)", func(l api.Limits) int { return l.MaxComplexity }, "max-complexity"},
	{"response size in bytes, errors included", func(l api.Limits) int { return l.MaxResponseBytes }, "max-response-bytes"},
}

// limitsMarkdown renders README.md's limits table.
func limitsMarkdown() string {
	var b strings.Builder
	b.WriteString("| Limit | Default | Setting |\n| --- | --- | --- |\n")
	for _, r := range limitRows {
		setting := "fixed"
		if r.setting != "" {
			setting = "`--" + r.setting + "`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", r.what, thousands(r.value(api.DefaultLimits)), setting)
	}
	return b.String()
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
