package server

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// graphiqlWorkspaces maps the GraphiQL monorepo's directories, as its
// bundle's source map names them, to their npm packages ("" for GraphiQL's
// own sources).
var graphiqlWorkspaces = map[string]string{
	"codemirror-graphql":           "codemirror-graphql",
	"graphiql-plugin-doc-explorer": "@graphiql/plugin-doc-explorer",
	"graphiql-plugin-history":      "@graphiql/plugin-history",
	"graphiql-react":               "@graphiql/react",
	"graphiql-toolkit":             "@graphiql/toolkit",
	"graphql-language-service":     "graphql-language-service",
	"src":                          "",
}

// bundledNotInstalled names the licences of packages that graphiql.min.js
// bundles but package-lock.json does not install (so no licence file is at
// hand): a new one fails the update until it is named here.
var bundledNotInstalled = map[string]string{
	"@radix-ui/react-use-escape-keydown": "MIT, Copyright (c) 2022 WorkOS (the Radix Primitives licence)",
	"@react-aria/utils":                  "Apache-2.0, Copyright Adobe (the React Spectrum licence)",
}

// bundledFonts are the fonts graphiql.min.css carries inline (data: URLs);
// their packages are not in node_modules, so their licences are named here.
const bundledFonts = `Fonts inside graphiql.min.css (inline, from @graphiql/react's font/ directory):
  Roboto, by Google: Apache License 2.0 (https://www.apache.org/licenses/LICENSE-2.0)
  Fira Code, by Nikita Prokopov and Mozilla: SIL Open Font License 1.1 (https://openfontlicense.org)
`

// licencesText is LICENSES.txt: the licence of each vendored package and of
// every package bundled into graphiql.min.js (read from its source map),
// with versions and licence names from lock and licence texts from the
// installed packages in nm.
func licencesText(lock packageLock, nm string) (string, error) {
	var b strings.Builder
	b.WriteString("Licences of the playground's browser files (server/playground-assets/vendor),\n" +
		"written by `go test ./server -run TestPlaygroundAssets -update-playground`\n" +
		"from scripts/playground/package-lock.json and node_modules.\n\n")
	for _, pkg := range vendoredPackages() {
		if err := writeLicence(&b, lock, nm, pkg); err != nil {
			return "", err
		}
	}
	bundled, err := graphiqlBundled(nm)
	if err != nil {
		return "", err
	}
	b.WriteString("\n######## Packages bundled into graphiql.min.js (from its source map)\n\n")
	for _, pkg := range bundled {
		if err := writeLicence(&b, lock, nm, pkg); err != nil {
			return "", err
		}
	}
	b.WriteString("\n" + bundledFonts)
	return b.String(), nil
}

// writeLicence writes one package's section: name@version (licence) and the
// text of its LICENSE file (or a note that the package ships none).
func writeLicence(b *strings.Builder, lock packageLock, nm, pkg string) error {
	key, ok := lockEntry(lock, pkg)
	if !ok {
		licence, named := bundledNotInstalled[pkg]
		if !named {
			return fmt.Errorf("package-lock.json has no %s: name its licence in bundledNotInstalled", pkg)
		}
		fmt.Fprintf(b, "======== %s (bundled; not installed here)\n%s\n\n", pkg, licence)
		return nil
	}
	entry := lock.Packages[key]
	fmt.Fprintf(b, "======== %s@%s (%s)\n", pkg, entry.Version, entry.License)
	dir := filepath.Join(nm, strings.TrimPrefix(key, "node_modules/"))
	names, err := filepath.Glob(filepath.Join(dir, "[Ll][Ii][Cc][Ee][Nn][CcSs][Ee]*"))
	if err != nil {
		return err
	}
	slices.Sort(names)
	if len(names) == 0 {
		fmt.Fprintf(b, "(the package ships no licence file; package.json says %s)\n\n", entry.License)
		return nil
	}
	text, err := os.ReadFile(names[0])
	if err != nil {
		return err
	}
	b.WriteString(strings.TrimSpace(string(text)) + "\n\n")
	return nil
}

// lockEntry finds pkg's entry in lock: the top-level install, else the
// first nested one (a bundle may hold a version another package pins).
func lockEntry(lock packageLock, pkg string) (string, bool) {
	if _, ok := lock.Packages["node_modules/"+pkg]; ok {
		return "node_modules/" + pkg, true
	}
	keys := make([]string, 0, len(lock.Packages))
	for k := range lock.Packages {
		if strings.HasSuffix(k, "/node_modules/"+pkg) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	if len(keys) == 0 {
		return "", false
	}
	return keys[0], true
}

// graphiqlBundled lists the npm packages whose sources graphiql.min.js's
// source map names, sorted, without graphiql itself and the vendored
// packages (their sections come first).
func graphiqlBundled(nm string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(nm, "graphiql", "graphiql.min.js.map"))
	if err != nil {
		return nil, err
	}
	var sourceMap struct {
		Sources []string `json:"sources"`
	}
	if err := json.Unmarshal(b, &sourceMap); err != nil {
		return nil, fmt.Errorf("graphiql.min.js.map: %w", err)
	}
	var pkgs []string
	for _, src := range sourceMap.Sources {
		pkg, err := sourcePackage(src)
		if err != nil {
			return nil, err
		}
		if pkg != "" && !slices.Contains(pkgs, pkg) && !slices.Contains(vendoredPackages(), pkg) {
			pkgs = append(pkgs, pkg)
		}
	}
	slices.Sort(pkgs)
	return pkgs, nil
}

// sourcePackage is the npm package of one source-map path: the last
// node_modules/<name> (or <@scope/name>) in it, else a GraphiQL workspace.
func sourcePackage(src string) (string, error) {
	if i := strings.LastIndex(src, "node_modules/"); i >= 0 {
		parts := strings.Split(src[i+len("node_modules/"):], "/")
		if strings.HasPrefix(parts[0], "@") && len(parts) > 1 {
			return parts[0] + "/" + parts[1], nil
		}
		return parts[0], nil
	}
	dir := strings.Split(strings.TrimLeft(src, "./"), "/")[0]
	pkg, ok := graphiqlWorkspaces[dir]
	if !ok {
		return "", fmt.Errorf("graphiql.min.js.map names %s, which is in no known package: add its directory to graphiqlWorkspaces", src)
	}
	return pkg, nil
}
