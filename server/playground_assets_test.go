package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var updatePlayground = flag.Bool("update-playground", false,
	"copy the playground's browser files from scripts/playground/node_modules into server/playground-assets/vendor")

// playgroundNPM is the npm directory that pins the playground's browser
// files (package.json, package-lock.json; scripts/test.sh runs npm ci there).
const playgroundNPM = "../scripts/playground"

// vendorDir is where the copies live, inside the embedded directory.
const vendorDir = playgroundRoot + "/vendor"

// vendoredFiles are the browser builds the playground loads, by npm package:
// each is embedded as vendor/<package>/<base name>.gz.
var vendoredFiles = []struct{ pkg, file string }{
	{"react", "umd/react.production.min.js"},
	{"react-dom", "umd/react-dom.production.min.js"},
	{"graphiql", "graphiql.min.js"},
	{"graphiql", "graphiql.min.css"},
	{"graphql-ws", "umd/graphql-ws.min.js"},
}

// The two generated text files beside the copies: the pinned versions
// (checked against package-lock.json even without node_modules) and the
// licences of everything the copies contain.
const (
	versionsFile = vendorDir + "/versions.txt"
	licencesFile = vendorDir + "/LICENSES.txt.gz"
)

// TestPlaygroundAssets checks that the embedded browser files are the ones
// package-lock.json pins: their versions always, their bytes and licences
// against an installed node_modules (required under scripts/test.sh). With
// -update-playground it writes them from node_modules (run `npm ci` in
// scripts/playground first).
func TestPlaygroundAssets(t *testing.T) {
	lock := readPackageLock(t)
	want, err := vendorFromNodeModules(lock)
	if *updatePlayground {
		if err != nil {
			t.Fatalf("%v (run npm ci in scripts/playground first)", err)
		}
		writeVendor(t, want)
		return
	}
	t.Run("versions", func(t *testing.T) {
		got, err := playgroundFiles.ReadFile(versionsFile)
		if err != nil {
			t.Fatal(err)
		}
		if exp := versionsText(lock); string(got) != exp {
			t.Errorf("%s is\n%s\npackage-lock.json pins\n%s\nrun: (cd scripts/playground && npm ci) && go test ./server -run TestPlaygroundAssets -update-playground",
				versionsFile, got, exp)
		}
	})
	t.Run("files", func(t *testing.T) {
		if err != nil {
			msg := fmt.Sprintf("comparing with node_modules needs npm ci in scripts/playground (scripts/test.sh does it): %v", err)
			if os.Getenv("CI") == "true" || os.Getenv("DAYLINE_REQUIRE_NODE") == "1" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
		embedded := embeddedVendor(t)
		for name, content := range want {
			got, ok := embedded[name]
			switch {
			case !ok:
				t.Errorf("%s is missing", name)
			case !bytes.Equal(got, content):
				t.Errorf("%s differs from what node_modules holds", name)
			}
		}
		for name := range embedded {
			if _, ok := want[name]; !ok {
				t.Errorf("%s is embedded but no longer vendored", name)
			}
		}
		if t.Failed() {
			t.Log("run: (cd scripts/playground && npm ci) && go test ./server -run TestPlaygroundAssets -update-playground")
		}
	})
}

// TestPlaygroundPageReferences checks that every script, stylesheet and
// link the page names is served, from Dayline itself.
func TestPlaygroundPageReferences(t *testing.T) {
	page, err := playgroundFiles.ReadFile(playgroundRoot + "/" + playgroundPage)
	if err != nil {
		t.Fatal(err)
	}
	assets := newPlaygroundAssets()
	refs := regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(string(page), -1)
	if len(refs) < 7 {
		t.Fatalf("the page names %d files; want React, ReactDOM, GraphiQL (script and style), graphql-ws, dayline.js and dayline.css", len(refs))
	}
	for _, m := range refs {
		if m[1] == "data:," { // the empty favicon: no request at all
			continue
		}
		if _, ok := assets[m[1]]; !ok {
			t.Errorf("the page names %s, which is not served", m[1])
		}
	}
}

// packageLock is what the test reads of package-lock.json: per installed
// path ("node_modules/react"), its version and licence.
type packageLock struct {
	Packages map[string]struct {
		Version string `json:"version"`
		License string `json:"license"`
	} `json:"packages"`
}

func readPackageLock(t *testing.T) packageLock {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(playgroundNPM, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	var lock packageLock
	if err := json.Unmarshal(b, &lock); err != nil {
		t.Fatalf("package-lock.json: %v", err)
	}
	return lock
}

// versionsText is versions.txt for lock: one "package@version" line per
// vendored package.
func versionsText(lock packageLock) string {
	var b strings.Builder
	b.WriteString("# The playground's browser files, pinned by scripts/playground/package-lock.json.\n")
	for _, pkg := range vendoredPackages() {
		fmt.Fprintf(&b, "%s@%s\n", pkg, lock.Packages["node_modules/"+pkg].Version)
	}
	return b.String()
}

// vendoredPackages lists the packages of vendoredFiles once each, in order.
func vendoredPackages() []string {
	var pkgs []string
	for _, f := range vendoredFiles {
		if !slices.Contains(pkgs, f.pkg) {
			pkgs = append(pkgs, f.pkg)
		}
	}
	return pkgs
}

// vendorFromNodeModules is the vendor directory's content (decompressed),
// by embedded name, as node_modules says it should be. It returns an error
// if node_modules is missing or holds other versions than lock.
func vendorFromNodeModules(lock packageLock) (map[string][]byte, error) {
	nm := filepath.Join(playgroundNPM, "node_modules")
	files := map[string][]byte{versionsFile: []byte(versionsText(lock))}
	for _, pkg := range vendoredPackages() {
		var installed struct{ Version string }
		b, err := os.ReadFile(filepath.Join(nm, pkg, "package.json"))
		if err == nil {
			err = json.Unmarshal(b, &installed)
		}
		if err != nil {
			return nil, fmt.Errorf("installed %s: %w", pkg, err)
		}
		if want := lock.Packages["node_modules/"+pkg].Version; installed.Version != want {
			return nil, fmt.Errorf("node_modules holds %s@%s, package-lock.json pins %s", pkg, installed.Version, want)
		}
	}
	for _, f := range vendoredFiles {
		b, err := os.ReadFile(filepath.Join(nm, f.pkg, f.file))
		if err != nil {
			return nil, err
		}
		files[vendorDir+"/"+f.pkg+"/"+path.Base(f.file)+gzSuffix] = b
	}
	licences, err := licencesText(lock, nm)
	if err != nil {
		return nil, err
	}
	files[licencesFile] = []byte(licences)
	return files, nil
}

// embeddedVendor is the embedded vendor directory, decompressed, by name.
func embeddedVendor(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := fs.WalkDir(playgroundFiles, vendorDir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := playgroundFiles.ReadFile(name)
		if err != nil {
			return err
		}
		if strings.HasSuffix(name, gzSuffix) {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if b, err = io.ReadAll(zr); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		files[name] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// writeVendor replaces the vendor directory with files, gzip-compressing
// those named .gz (deterministically: no name, no time in the header).
func writeVendor(t *testing.T, files map[string][]byte) {
	t.Helper()
	if err := os.RemoveAll(vendorDir); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, gzSuffix) {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			_, _ = zw.Write(content)
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			content = buf.Bytes()
		}
		if err := os.WriteFile(name, content, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", name, len(content))
	}
}
