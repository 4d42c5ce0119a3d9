package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// listMarshalFunc matches gqlgen's marshal function for a list of a type:
// marshalN<Type>2ᚕ… (non-null) or marshalO<Type>2ᚕ… (nullable).
var listMarshalFunc = regexp.MustCompile(`^marshal[NO].+2ᚕ`)

// Result says which list marshal functions Rewrite changed and which it
// left concurrent.
type Result struct {
	InOrder, Concurrent []string
}

// Rewrite returns src, gqlgen's generated executor, with every list whose
// elements can never wait marshalled by listmarshal.InOrder instead of
// graphql.MarshalSliceConcurrently. It follows calls between the
// executor's methods, so a list of agenda items whose task has no resolver
// is rewritten and a list of users (whose agenda is a resolver) is not.
// A list stays concurrent if anything its elements reach could wait: a
// concurrent field (a resolver, or a model method taking a context), a
// resolver or runtime directive call, or a call this analysis cannot
// follow. Field middleware (the field authorizer's check, any
// AroundFields) runs on every field and is invisible here: it must never
// wait on a loader.
// Rewrite returns an error if src does not parse, holds no executor
// methods (gqlgen's output has changed shape and this tool must follow),
// or already marshals in order a list whose elements may wait.
func Rewrite(src []byte, importPath string) ([]byte, Result, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "generated.go", src, parser.ParseComments)
	if err != nil {
		return nil, Result{}, fmt.Errorf("parse: %w", err)
	}
	methods := executorMethods(file)
	if len(methods) == 0 {
		return nil, Result{}, errors.New("no executionContext methods found: has gqlgen's output changed?")
	}
	var res Result
	for _, name := range slices.Sorted(maps.Keys(methods)) {
		m := methods[name]
		if !listMarshalFunc.MatchString(name) {
			continue
		}
		if m.inOrder && mayWait(name, methods) {
			return nil, Result{}, fmt.Errorf("%s marshals its list in order, but its elements may wait: regenerate from gqlgen's output", name)
		}
		if len(m.sliceCalls) == 0 {
			continue
		}
		if mayWait(name, methods) {
			res.Concurrent = append(res.Concurrent, name)
			continue
		}
		for _, call := range m.sliceCalls {
			call.Fun = &ast.SelectorExpr{X: ast.NewIdent("listmarshal"), Sel: ast.NewIdent("InOrder")}
		}
		res.InOrder = append(res.InOrder, name)
	}
	if len(res.InOrder) > 0 {
		addImport(file, importPath)
	}
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, file); err != nil {
		return nil, Result{}, fmt.Errorf("print: %w", err)
	}
	out, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, Result{}, fmt.Errorf("format: %w", err)
	}
	return out, res, nil
}

// method is what Rewrite needs of one executor method.
type method struct {
	callees    []string        // executor methods it calls
	mayWait    bool            // it resolves a field concurrently, or calls what could wait
	sliceCalls []*ast.CallExpr // its graphql.MarshalSliceConcurrently calls
	inOrder    bool            // it already calls listmarshal.InOrder
}

// embeddedCalls are the executor calls that are not generated methods but
// come from gqlgen's embedded execution context; none of them waits.
var embeddedCalls = map[string]bool{
	"Error": true, "Recover": true, "ProcessDeferredGroup": true,
	"IntrospectSchema": true, "IntrospectType": true,
}

// executorMethods indexes the methods on *executionContext by name.
func executorMethods(file *ast.File) map[string]*method {
	methods := map[string]*method{}
	for _, d := range file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 || fn.Body == nil || !isExecutor(fn.Recv.List[0].Type) {
			continue
		}
		recv := ""
		if names := fn.Recv.List[0].Names; len(names) == 1 {
			recv = names[0].Name
		}
		m := &method{}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			x, _ := sel.X.(*ast.Ident)
			switch {
			case sel.Sel.Name == "Concurrently": // FieldSet.Concurrently: a concurrent field
				m.mayWait = true
			case x != nil && x.Name == "graphql" && sel.Sel.Name == "MarshalSliceConcurrently":
				m.sliceCalls = append(m.sliceCalls, call)
			case x != nil && x.Name == "listmarshal" && sel.Sel.Name == "InOrder":
				m.inOrder = true
			case x != nil && (x.Name == "graphql" || x.Name == "fastexec") && strings.HasPrefix(sel.Sel.Name, "ResolveField"):
				// ResolveField(ctx, oc, field, init, resolver, middlewareChain, ...)
				// (gqlgen's, or fastexec's once patched): a middleware chain
				// runs runtime directives.
				if len(call.Args) < 6 || !isNil(call.Args[5]) {
					m.mayWait = true
				}
			case x != nil && recv != "" && x.Name == recv:
				m.callees = append(m.callees, sel.Sel.Name)
			}
			return true
		})
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			// ec.Resolvers (a resolver call) or ec.Directives (a runtime
			// directive) anywhere in the method.
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok && recv != "" && x.Name == recv &&
					(sel.Sel.Name == "Resolvers" || sel.Sel.Name == "Directives") {
					m.mayWait = true
				}
			}
			return true
		})
		methods[fn.Name.Name] = m
	}
	return methods
}

// isExecutor reports whether t is *executionContext.
func isExecutor(t ast.Expr) bool {
	star, ok := t.(*ast.StarExpr)
	if !ok {
		return false
	}
	id, ok := star.X.(*ast.Ident)
	return ok && id.Name == "executionContext"
}

// isNil reports whether e is the identifier nil.
func isNil(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "nil"
}

// mayWait reports whether start, or any executor method it calls directly
// or indirectly, could wait: a concurrent field, a resolver or directive
// call, or a call to an executor method this file does not define (and
// that is not one of embeddedCalls).
func mayWait(start string, methods map[string]*method) bool {
	seen := map[string]bool{start: true}
	queue := []string{start}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		m := methods[name]
		if m == nil {
			if embeddedCalls[name] {
				continue
			}
			return true // cannot follow it: assume it waits
		}
		if m.mayWait {
			return true
		}
		for _, c := range m.callees {
			if !seen[c] {
				seen[c] = true
				queue = append(queue, c)
			}
		}
	}
	return false
}

// addImport adds path to file's first import declaration.
func addImport(file *ast.File, path string) {
	quoted := strconv.Quote(path)
	for _, imp := range file.Imports {
		if imp.Path.Value == quoted {
			return
		}
	}
	spec := &ast.ImportSpec{Path: &ast.BasicLit{Kind: token.STRING, Value: quoted}}
	for _, d := range file.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			g.Specs = append(g.Specs, spec)
			file.Imports = append(file.Imports, spec)
			return
		}
	}
	file.Decls = append([]ast.Decl{&ast.GenDecl{Tok: token.IMPORT, Specs: []ast.Spec{spec}}}, file.Decls...)
	file.Imports = append(file.Imports, spec)
}
