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

func TestExamplesAndBenchDoNotImportInternal(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", module+"/...").Output()
	require.NoError(t, err)
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || !strings.HasPrefix(fields[0], module+"/examples") {
			continue
		}
		checked++
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, module+"/internal") {
				t.Errorf("%s imports %s: examples use public packages only", fields[0], imp)
			}
		}
	}
	require.Positive(t, checked, "no example package was checked")
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
