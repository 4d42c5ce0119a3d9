// Package dayline is the root of the Dayline module: a GraphQL backend for
// daily-routine apps. See README.md. This file only holds the generate
// step: gqlgen writes graph/ (and the resolver stubs) from gqlgen.yml, and
// nothing rewrites its output afterwards.
package dayline

//go:generate go tool gqlgen generate --config gqlgen.yml
