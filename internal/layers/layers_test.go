package layers

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/spotifysdk/spotify-go"

// forbidden lists, per package prefix (relative to the module), the module
// packages it must never depend on, directly or not.
var forbidden = map[string][]string{
	"clock":      {"internal", "transport", "middleware", "auth", "cache", "spotify"},
	"internal":   {"transport", "middleware", "auth", "cache", "spotify"},
	"transport":  {"auth", "cache", "middleware", "spotify"},
	"cache":      {"transport", "middleware", "spotify", "auth"},
	"auth":       {"transport", "middleware", "spotify", "cache"},
	"middleware": {"spotify"},
}

type pkg struct {
	ImportPath string
	Deps       []string
}

func TestImportArrowsPointDown(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps=false", "-json", module+"/...").Output()
	require.NoError(t, err)
	dec := json.NewDecoder(strings.NewReader(string(out)))
	checked := 0
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else {
			require.NoError(t, err)
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		if rel == "internal/layers" {
			continue
		}
		for prefix, bad := range forbidden {
			if rel != prefix && !strings.HasPrefix(rel, prefix+"/") {
				continue
			}
			checked++
			for _, d := range p.Deps {
				drel, ok := strings.CutPrefix(d, module+"/")
				if !ok {
					continue
				}
				for _, b := range bad {
					if drel == b || strings.HasPrefix(drel, b+"/") {
						t.Errorf("%s depends on %s, which DESIGN.md §1 forbids", rel, drel)
					}
				}
			}
		}
	}
	require.Positive(t, checked, "no package was checked")
}

// listImports runs go list in dir for pattern and returns, per package, its
// import path followed by every import of its files and test files.
func listImports(t *testing.T, dir, pattern string) [][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}`, pattern)
	cmd.Dir = dir
	out, err := cmd.Output()
	require.NoError(t, err, "go list %s in %s", pattern, dir)
	var pkgs [][]string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if fields := strings.Fields(line); len(fields) > 0 {
			pkgs = append(pkgs, fields)
		}
	}
	return pkgs
}

// TestExamplesAndBenchDoNotImportInternal keeps the examples (in this
// module) and the benchmarks (their own module, in ../../bench) on the
// public packages, test files included.
func TestExamplesAndBenchDoNotImportInternal(t *testing.T) {
	for _, c := range []struct{ name, dir, pattern, prefix string }{
		{"examples", ".", module + "/...", module + "/examples"},
		{"bench", filepath.Join("..", "..", "bench"), "./...", module + "/bench"},
	} {
		t.Run(c.name, func(t *testing.T) {
			checked := 0
			for _, fields := range listImports(t, c.dir, c.pattern) {
				if fields[0] != c.prefix && !strings.HasPrefix(fields[0], c.prefix+"/") {
					continue
				}
				checked++
				for _, imp := range fields[1:] {
					if imp == module+"/internal" || strings.HasPrefix(imp, module+"/internal/") {
						t.Errorf("%s imports %s: %s use public packages only", fields[0], imp, c.name)
					}
				}
			}
			require.Positive(t, checked, "no %s package was checked", c.name)
		})
	}
}

// TestEmulatorImportsTheSDKOnlyForItsClient keeps the emulator independent
// of the SDK it tests (DESIGN.md §5): of its non-test files, only client.go
// may import package spotify (the convenience constructor), and none may
// import the SDK's internals or middleware.
func TestEmulatorImportsTheSDKOnlyForItsClient(t *testing.T) {
	dir := filepath.Join("..", "..", "spotify", "spotifytest")
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			if !strings.HasPrefix(path, module+"/") {
				continue
			}
			if path == module+"/spotify" && filepath.Base(name) == "client.go" {
				continue
			}
			t.Errorf("%s imports %s: the emulator builds its own routes and JSON", filepath.Base(name), path)
		}
	}
}
