// Package fastexec holds cheaper drop-in replacements for the gqlgen
// runtime calls that graph/generated.go makes once per field and once per
// object. The agenda query resolves about 60 fields per request, and
// gqlgen's versions allocate on each one a few values nothing reads: a
// closure and a heap copy of the context for a field without children, a
// second boxed copy of every result, an error value and a closure per
// scalar field context, and per object a map, a path and a copy of every
// collected field while writing it. `go generate` (see ./patch) points
// graph/generated.go at these.
//
// Each replacement behaves as the gqlgen v0.17.95 function it replaces,
// with one documented difference (which context ResolveField uses for a
// leaf field under a middleware that replaces the context). The tests run
// both side by side, and fail when go.mod moves to another gqlgen version,
// so that these are compared with its code again.
package fastexec
