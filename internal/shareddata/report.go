package shareddata

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// skipped holds the top-level tests that asked for ../shared while it was
// absent (tests run in parallel: mu guards names).
var skipped struct {
	mu    sync.Mutex
	names map[string]bool
}

// record notes that the test named name (a subtest counts as its
// top-level test) did not run in whole for want of ../shared.
func record(name string) {
	top, _, _ := strings.Cut(name, "/")
	skipped.mu.Lock()
	defer skipped.mu.Unlock()
	if skipped.names == nil {
		skipped.names = map[string]bool{}
	}
	skipped.names[top] = true
}

// skippedCount returns how many tests record has noted.
func skippedCount() int {
	skipped.mu.Lock()
	defer skipped.mu.Unlock()
	return len(skipped.names)
}

// Run runs m's tests and returns their exit code, for TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(shareddata.Run(m, "the OpenAPI conformance and recorded-sample tests")) }
//
// When some test did not run, in whole or in part, because ../shared is
// absent, Run prints one note at the end: how many tests, what describes
// (what they check), and where ../shared was looked for. go test shows a
// passing package's output only with -v, or when it runs the package in
// its own directory (go test with no package argument); so when the tests
// pass and neither holds, Run also writes the note to the terminal go test
// runs in, if there is one, which is where `go test ./...` shows it.
func Run(m *testing.M, what string) int {
	code := m.Run()
	n := skippedCount()
	if n == 0 {
		return code
	}
	msg := note(importPath(startDir), n, what, locate(startDir, startErr, ""))
	fmt.Fprint(os.Stdout, msg)
	if code == 0 && !verbose() && !isTerminal(os.Stdout) {
		if tty, err := openTerminal(); err == nil {
			fmt.Fprint(tty, msg)
			_ = tty.Close()
		}
	}
	return code
}

// note is the text Run prints: pkg is the package's import path, n the
// number of tests that did not run in whole, what describes them, and loc
// where ../shared was looked for.
func note(pkg string, n int, what string, loc location) string {
	tests := "tests"
	if n == 1 {
		tests = "test"
	}
	dir := "../shared"
	if loc.sharedDir != "" {
		dir += " (" + loc.sharedDir + ")"
	}
	return fmt.Sprintf("%s: %d %s did not run, in whole or in part, because %s is absent: %s; see README \"Test data\" (with CI=true they fail)\n",
		pkg, n, tests, dir, what)
}

// importPath returns the import path of the package in dir, or dir when it
// is not inside the repository.
func importPath(dir string) string {
	root, ok := findRoot(dir)
	if !ok {
		return dir
	}
	rel, err := filepath.Rel(root, dir)
	if err != nil || rel == "." {
		return module
	}
	return module + "/" + filepath.ToSlash(rel)
}

// verbose reports whether go test shows the test output anyway: -v, or
// -json (which sets -test.v=test2json).
func verbose() bool {
	f := flag.Lookup("test.v")
	return f != nil && f.Value.String() != "false"
}

// isTerminal reports whether f is a character device, as a terminal is:
// go test hands its own standard output to a package run in its own
// directory, and a pipe to every package of a list, whose output it keeps
// back when they pass.
func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// openTerminal opens the terminal of the process for writing; it fails
// where there is none (in CI, under a service manager). A variable, so that
// tests can stand in for the terminal.
var openTerminal = func() (io.WriteCloser, error) {
	name := "/dev/tty"
	if runtime.GOOS == "windows" {
		name = "CONOUT$"
	}
	return os.OpenFile(name, os.O_WRONLY, 0)
}
