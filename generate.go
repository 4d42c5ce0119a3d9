// Package dayline is the root of the Dayline module: a GraphQL backend for
// daily-routine apps. See README.md. This file only holds the generate steps:
// gqlgen writes graph/, then inorderlists points the lists whose elements
// never wait on a loader at listmarshal.InOrder (no goroutine per element),
// then fastexec/patch points the per-field and per-object runtime calls at
// package fastexec's cheaper equivalents.
package dayline

//go:generate go tool gqlgen generate --config gqlgen.yml
//go:generate go run ./internal/listmarshal/inorderlists graph/generated.go
//go:generate go run ./internal/fastexec/patch graph/generated.go
