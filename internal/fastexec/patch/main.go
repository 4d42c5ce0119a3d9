// Command patch is the last step of `go generate`: it points gqlgen's
// generated executor at package fastexec's cheaper equivalents of the
// runtime calls made once per field and once per object.
//
//	go run ./internal/fastexec/patch graph/generated.go
//
// It rewrites the file in place, prints how many calls it changed, and
// exits non-zero if any call it should replace is left in a form it does
// not recognise (gqlgen's output changed shape: adapt Patch).
package main

import (
	"fmt"
	"os"
)

const runtimePackage = "github.com/dayline/dayline/internal/fastexec"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: patch <gqlgen generated.go>")
		os.Exit(2)
	}
	path := os.Args[1]
	if err := run(path); err != nil {
		fmt.Fprintf(os.Stderr, "fastexec/patch: %s: %v\n", path, err)
		os.Exit(1)
	}
}

func run(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, n, err := Patch(src, runtimePackage)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		return err
	}
	fmt.Printf("fastexec/patch: %d field resolutions, %d scalar field contexts, %d deferred groups, %d object marshallers (%d without deferrable fields)\n",
		n.ResolveField, n.ScalarFieldContext, n.DeferredGroup, n.Object, n.WithoutDefer)
	return nil
}
