// Command inorderlists is the second step of `go generate`: it rewrites
// gqlgen's generated executor so that lists whose elements never wait on
// anything are marshalled in order by listmarshal.InOrder rather than with
// a goroutine per element (see package listmarshal for why).
//
//	go run ./internal/listmarshal/inorderlists graph/generated.go
//
// It rewrites the file in place, prints which lists it changed and which
// stay concurrent, and exits non-zero if the file does not look like
// gqlgen's output.
package main

import (
	"fmt"
	"os"
	"strings"
)

const runtimePackage = "github.com/dayline/dayline/internal/listmarshal"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: inorderlists <gqlgen generated.go>")
		os.Exit(2)
	}
	path := os.Args[1]
	if err := run(path); err != nil {
		fmt.Fprintf(os.Stderr, "inorderlists: %s: %v\n", path, err)
		os.Exit(1)
	}
}

func run(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, res, err := Rewrite(src, runtimePackage)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		return err
	}
	fmt.Printf("inorderlists: %d lists marshalled in order (%s); %d stay concurrent (%s)\n",
		len(res.InOrder), typeNames(res.InOrder), len(res.Concurrent), typeNames(res.Concurrent))
	return nil
}

// typeNames shortens marshal function names to their GraphQL type names.
func typeNames(funcs []string) string {
	names := make([]string, 0, len(funcs))
	for _, f := range funcs {
		name, _, _ := strings.Cut(f[len("marshalN"):], "2ᚕ")
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}
