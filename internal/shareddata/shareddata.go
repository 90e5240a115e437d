// Package shareddata finds, for the project's tests, the data that lives
// beside the repository in ../shared and never inside it: the Web API's
// OpenAPI file, Spotify's recorded answers and the reference tables.
//
// A test asks for a file with [Path] (or [Lookup] when it can run without
// it). When ../shared is absent the test is skipped, or, in CI (the
// environment variable CI is "true" or "1"), it fails: CI must run every
// test. A package whose tests use the data calls [Run] from its TestMain,
// which says once, at the end, how many tests did not run for want of it.
package shareddata

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// module is the import path of the repository's main module; the
// directory of its go.mod is the repository root.
const module = "github.com/spotifysdk/spotify-go"

// startDir is the directory the test binary started in: go test runs it in
// the package's directory. It is read once, before any test can change it.
var startDir, startErr = os.Getwd()

// InCI reports whether the tests run in CI: the environment variable CI is
// "true" (in any case) or "1", as CI services set it.
func InCI() bool {
	v := os.Getenv("CI")
	return strings.EqualFold(v, "true") || v == "1"
}

// Path returns the path of ../shared/<rel> (rel is slash-separated, such as
// "spotify-api/openapi.yaml"). When ../shared is absent it skips tb, or, in
// CI, fails it; when ../shared is there but lacks rel, it fails tb: the data
// and the test disagree.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	p, loc := find(tb, rel)
	if p == "" {
		record(tb.Name())
		tb.Skipf("%s: this test needs ../shared beside the clone; see README \"Test data\"", absent(rel, loc))
	}
	return p
}

// Lookup is [Path] for a test that can run without the file, with less:
// when ../shared is absent outside CI it logs so and returns false, and
// the package's note ([Run]) counts tb among the tests that did not run
// in whole. In CI, or when ../shared is there but lacks rel, it fails tb.
func Lookup(tb testing.TB, rel string) (string, bool) {
	tb.Helper()
	p, loc := find(tb, rel)
	if p == "" {
		record(tb.Name())
		tb.Logf("%s: this test runs without it, with less; see README \"Test data\"", absent(rel, loc))
		return "", false
	}
	return p, true
}

// find returns the path of ../shared/<rel>, or "" when ../shared is absent
// outside CI. It fails tb in CI, on an unexpected error, and when ../shared
// is there without rel.
func find(tb testing.TB, rel string) (string, location) {
	tb.Helper()
	loc := locate(startDir, startErr, rel)
	switch {
	case loc.err != nil:
		tb.Fatalf("../shared/%s: %v", rel, loc.err)
	case loc.path != "": // found
	case loc.sharedExists:
		tb.Fatalf("../shared/%s is missing from %s: the test and ../shared disagree", rel, loc.sharedDir)
	case InCI():
		tb.Fatalf("%s: CI (CI=%s) needs ../shared beside the clone; see README \"Test data\"", absent(rel, loc), os.Getenv("CI"))
	}
	return loc.path, loc
}

// absent says that ../shared/<rel> is absent and where it was looked for
// (or why nowhere).
func absent(rel string, loc location) string {
	if loc.sharedDir == "" {
		return fmt.Sprintf("../shared/%s is absent (%s)", rel, loc.why)
	}
	return fmt.Sprintf("../shared/%s is absent (looked for %s)", rel, loc.sharedDir)
}

// location is what locate found.
type location struct {
	root         string // the repository root, "" when not found
	sharedDir    string // root's sibling "shared", "" when root is unknown
	sharedExists bool   // sharedDir is a directory
	path         string // sharedDir/rel when it exists, else ""
	why          string // why root is unknown
	err          error  // an error other than "does not exist"
}

// locate looks for shared/<rel> beside the repository root above dir
// (startErr is the error of finding dir, if any).
func locate(dir string, startErr error, rel string) location {
	if startErr != nil {
		return location{why: "the working directory is unknown: " + startErr.Error()}
	}
	root, ok := findRoot(dir)
	if !ok {
		return location{why: "no go.mod of " + module + " in " + dir + " or above it"}
	}
	loc := location{root: root, sharedDir: filepath.Join(filepath.Dir(root), "shared")}
	info, err := os.Stat(loc.sharedDir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return loc
	case err != nil:
		loc.err = err
		return loc
	}
	loc.sharedExists = info.IsDir()
	if !loc.sharedExists {
		loc.err = fmt.Errorf("%s is not a directory", loc.sharedDir)
		return loc
	}
	p := filepath.Join(loc.sharedDir, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err == nil {
		loc.path = p
	} else if !errors.Is(err, os.ErrNotExist) {
		loc.err = err
	}
	return loc
}

// findRoot walks up from dir to the directory whose go.mod declares the
// main module (a nested module such as bench has its own go.mod, which
// the walk passes).
func findRoot(dir string) (string, bool) {
	for {
		if modulePath(filepath.Join(dir, "go.mod")) == module {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// modulePath returns the module path that the go.mod file at name
// declares, or "" when there is none.
func modulePath(name string) string {
	f, err := os.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(s.Text()), "module"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}
