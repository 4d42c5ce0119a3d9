package main

import (
	"errors"
	"fmt"
	"go/format"
	"regexp"
	"strings"
)

// Counts is how many places Patch rewrote, per kind.
type Counts struct {
	ResolveField, ScalarFieldContext, DeferredGroup, Object, WithoutDefer int
}

// The forms Patch rewrites, as gqlgen v0.17 writes them.
var (
	resolveFieldCall = "graphql.ResolveField(\n"

	// NewScalarFieldContext(objectName, field, isMethod, isResolver, errors.New(msg))
	scalarFieldContext    = regexp.MustCompile(`graphql\.NewScalarFieldContext\(("[A-Za-z_][A-Za-z0-9_]*"), field, (true|false), (true|false), errors\.New\(("[^"\\]*")\)\)`)
	anyScalarFieldContext = "graphql.NewScalarFieldContext("

	// Every object marshaller ends by handing its deferred fields (none
	// without @defer) to ProcessDeferredGroup, after computing their path.
	deferredGroup = `
	atomic.AddInt32(&ec.Deferred, int32(min(len(deferLabelToView), math.MaxInt32)))

	ec.ProcessDeferredGroup(graphql.DeferredGroup{
		Defers:   deferLabelToView,
		Path:     graphql.GetPath(ctx),
		FieldSet: deferredFieldSet,
		Context:  ctx,
	})
`
	anyDeferredGroup = "ec.ProcessDeferredGroup("

	// An object marshaller builds `out` from `fields` and returns it.
	objectFieldSet = "\n\tout := graphql.NewFieldSet(fields)\n"
	// … and fills it before returning: Dispatch waits for the concurrent
	// fields, and a null in a non-null field makes the whole object null.
	objectComplete = "\n\tout.Dispatch(ctx)\n\tif out.Invalids > 0 {\n\t\treturn graphql.Null\n\t}\n"

	// Each object marshaller makes a field set and a map for deferred
	// fields; one without deferrable fields (no field.Deferrable test)
	// never adds to either.
	deferredDecls = "\n\tdeferredFieldSet := graphql.NewFieldSet(nil)\n\tdeferLabelToView := make(map[string]*graphql.FieldSetView)\n"
	noDeferDecls  = "\n\tvar deferredFieldSet *graphql.FieldSet // no deferrable fields: nothing is ever deferred\n\tvar deferLabelToView map[string]*graphql.FieldSetView\n"
	objectReturn  = "\n\treturn out\n}\n"
	returnsOut    = regexp.MustCompile(`return out(\s|$)`)

	unpatchedResolveField = regexp.MustCompile(`graphql\.ResolveField[\[(]`)
)

// Patch rewrites gqlgen's generated executor src to call runtimePkg
// (package fastexec):
//
//   - graphql.ResolveField → fastexec.ResolveField;
//   - graphql.NewScalarFieldContext(…, errors.New(msg)) →
//     fastexec.ScalarFieldContext(…, v), v a package variable made once by
//     fastexec.NoChildren(msg);
//   - the deferred-group hand-off of each object marshaller runs only when
//     the object has deferred fields (ProcessDeferredGroup returns at once
//     otherwise; this skips computing the path it would not use);
//   - an object marshaller returns fastexec.Object(fields, out.Values)
//     rather than the *graphql.FieldSet out, once out is complete;
//   - an object marshaller without deferrable fields declares its deferred
//     field set and map nil rather than making them (they are only read,
//     in the hand-off that then never runs).
//
// Patching patched code changes nothing. It returns an error if src does
// not parse as Go or if a call of one of those kinds is left unpatched (a
// form it does not recognise).
func Patch(src []byte, runtimePkg string) ([]byte, Counts, error) {
	s := string(src)
	var n Counts

	n.ResolveField = strings.Count(s, resolveFieldCall)
	s = strings.ReplaceAll(s, resolveFieldCall, "fastexec.ResolveField(\n")

	s, n.ScalarFieldContext = patchScalarFieldContexts(s)

	n.DeferredGroup = strings.Count(s, deferredGroup)
	s = strings.ReplaceAll(s, deferredGroup, "\n\tif len(deferLabelToView) > 0 {"+indent(deferredGroup)+"\t}\n")

	s, n.Object = patchObjectReturns(s)
	s, n.WithoutDefer = patchObjectsWithoutDefer(s)

	if err := leftUnpatched(s); err != nil {
		return nil, Counts{}, err
	}
	if n != (Counts{}) {
		s = addImport(s, runtimePkg)
		if !strings.Contains(s, "errors.") {
			s = strings.Replace(s, "\n\t\"errors\"\n", "\n", 1)
		}
	}
	out, err := format.Source([]byte(s))
	if err != nil {
		return nil, Counts{}, fmt.Errorf("patched source does not format: %w", err)
	}
	return out, n, nil
}

// patchScalarFieldContexts rewrites the scalar field contexts and declares
// one Child function per message, in order of first use.
func patchScalarFieldContexts(s string) (string, int) {
	vars := map[string]string{}
	var decls []string
	count := 0
	s = scalarFieldContext.ReplaceAllStringFunc(s, func(call string) string {
		m := scalarFieldContext.FindStringSubmatch(call)
		v, ok := vars[m[4]]
		if !ok {
			v = fmt.Sprintf("noChildren%d", len(vars))
			vars[m[4]] = v
			decls = append(decls, fmt.Sprintf("\t%s = fastexec.NoChildren(%s)\n", v, m[4]))
		}
		count++
		return fmt.Sprintf("fastexec.ScalarFieldContext(%s, field, %s, %s, %s)", m[1], m[2], m[3], v)
	})
	if len(decls) > 0 {
		s += "\n// The Child functions of scalar field contexts, made once (fastexec.NoChildren).\nvar (\n" +
			strings.Join(decls, "") + ")\n"
	}
	return s, count
}

// patchObjectReturns rewrites `return out` in each function that builds
// out from fields with graphql.NewFieldSet and dispatches it first.
func patchObjectReturns(s string) (string, int) {
	return rewriteFuncs(s, func(f string) (string, int) {
		done := strings.Index(f, objectComplete)
		if !strings.Contains(f, objectFieldSet) || done < 0 || done > strings.Index(f, objectReturn) {
			return f, 0
		}
		return strings.ReplaceAll(f, objectReturn, "\n\treturn fastexec.Object(fields, out.Values)\n}\n"), strings.Count(f, objectReturn)
	})
}

// patchObjectsWithoutDefer declares nil the deferred field set and map of
// each object marshaller in which nothing but the guarded hand-off uses
// them.
func patchObjectsWithoutDefer(s string) (string, int) {
	return rewriteFuncs(s, func(f string) (string, int) {
		if !strings.Contains(f, deferredDecls) || strings.Contains(f, "Deferrable") ||
			strings.Count(f, "deferredFieldSet") != 2 || strings.Count(f, "deferLabelToView") != 4 ||
			!strings.Contains(f, "\tif len(deferLabelToView) > 0 {\n") {
			return f, 0
		}
		return strings.Replace(f, deferredDecls, noDeferDecls, 1), 1
	})
}

// funcs splits s at each top-level function declaration.
func funcs(s string) []string { return strings.SplitAfter(s, "\nfunc ") }

// rewriteFuncs applies rewrite to each function of s and sums its counts.
func rewriteFuncs(s string, rewrite func(f string) (string, int)) (string, int) {
	parts := funcs(s)
	total := 0
	for i, f := range parts {
		var n int
		parts[i], n = rewrite(f)
		total += n
	}
	return strings.Join(parts, ""), total
}

// leftUnpatched reports calls of the rewritten kinds that Patch did not
// recognise.
func leftUnpatched(s string) error {
	var errs []error
	if unpatchedResolveField.MatchString(s) {
		errs = append(errs, errors.New("a graphql.ResolveField call has an unexpected form"))
	}
	if strings.Contains(s, anyScalarFieldContext) {
		errs = append(errs, errors.New("a graphql.NewScalarFieldContext call has unexpected arguments"))
	}
	if c := strings.Count(s, anyDeferredGroup); c != strings.Count(s, "\tif len(deferLabelToView) > 0 {\n") {
		errs = append(errs, errors.New("an ec.ProcessDeferredGroup hand-off has an unexpected form"))
	}
	if c := strings.Count(s, objectFieldSet); c == 0 || c != strings.Count(s, "\treturn fastexec.Object(fields, out.Values)\n") {
		errs = append(errs, fmt.Errorf("%d object marshallers build a field set from fields, but not each returns it through fastexec.Object", c))
	}
	for _, f := range funcs(s) {
		if strings.Contains(f, objectFieldSet) && returnsOut.MatchString(f) {
			name, _, _ := strings.Cut(f, "\n")
			errs = append(errs, fmt.Errorf("object marshaller %q returns out in an unexpected form", name))
		}
	}
	return errors.Join(errs...)
}

// indent indents each non-empty line of block by one tab.
func indent(block string) string {
	lines := strings.Split(block, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "\t" + l
		}
	}
	return strings.Join(lines, "\n")
}

// addImport adds path to the file's import block, once, in the group of
// gqlgen's graphql package (gofmt sorts it there).
func addImport(s, path string) string {
	spec := fmt.Sprintf("\t%q\n", path)
	if strings.Contains(s, spec) {
		return s
	}
	const anchor = "\t\"github.com/99designs/gqlgen/graphql\"\n"
	if strings.Contains(s, anchor) {
		return strings.Replace(s, anchor, spec+anchor, 1)
	}
	return strings.Replace(s, "\nimport (\n", "\nimport (\n"+spec, 1)
}
