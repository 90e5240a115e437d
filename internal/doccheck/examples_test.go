package doccheck

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/spotifysdk/spotify-go"

// entryPoints names, per public package (relative to the module), the
// runnable Examples that go doc must keep showing for its main entry
// points ("" is the package's own Example; "Page_All" is Page.All's).
var entryPoints = map[string][]string{
	"transport":           {"NewChain"},
	"middleware":          {"Retry"},
	"auth":                {"NewClientCredentials", "NewAuthorizationCode"},
	"cache":               {"NewLRU"},
	"spotify":             {"", "NewClient", "Error", "Page_All", "WithMiddleware", "AsyncClient", "Client_Clone"},
	"spotify/spotifytest": {"NewServer"},
}

// listedPackage is what go list says of a package.
type listedPackage struct {
	ImportPath   string
	Dir          string
	Name         string
	GoFiles      []string
	TestGoFiles  []string
	XTestGoFiles []string
}

// publicPackages lists the module's packages that users import: every one
// but internal packages and the programs under examples/.
func publicPackages(t *testing.T) []listedPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = moduleRoot
	out, err := cmd.Output()
	require.NoError(t, err, "go list ./...")
	var pkgs []listedPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else {
			require.NoError(t, err)
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		parts := strings.Split(rel, "/")
		if slices.Contains(parts, "internal") || parts[0] == "examples" || p.Name == "main" {
			continue
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// runnableExamples returns the names of the Examples go doc shows for a
// package (test files included) that have an Output comment, so go test
// runs them. An Example whose name matches nothing of the package is left
// out, as go doc leaves it out.
func runnableExamples(t *testing.T, p listedPackage) []string {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range slices.Concat(p.GoFiles, p.TestGoFiles, p.XTestGoFiles) {
		f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.ParseComments)
		require.NoError(t, err)
		files = append(files, f)
	}
	dp, err := doc.NewFromFiles(fset, files, p.ImportPath)
	require.NoError(t, err)

	var names []string
	add := func(exs []*doc.Example) {
		for _, ex := range exs {
			if ex.Output != "" || ex.EmptyOutput {
				names = append(names, ex.Name)
			}
		}
	}
	add(dp.Examples)
	for _, f := range dp.Funcs {
		add(f.Examples)
	}
	for _, typ := range dp.Types {
		add(typ.Examples)
		for _, f := range typ.Funcs {
			add(f.Examples)
		}
		for _, m := range typ.Methods {
			add(m.Examples)
		}
	}
	slices.Sort(names)
	return names
}

// TestPublicPackagesHaveRunnableExamples keeps a runnable Example in go doc
// for every public package, and the named ones for the main entry points.
func TestPublicPackagesHaveRunnableExamples(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range publicPackages(t) {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		seen[rel] = true
		t.Run(rel, func(t *testing.T) {
			names := runnableExamples(t, p)
			if !assert.NotEmpty(t, names, "%s has no runnable Example (an Example with an Output comment) in go doc", rel) {
				return
			}
			for _, want := range entryPoints[rel] {
				assert.Contains(t, names, want, "%s: the runnable Example%s is gone (have %q)", rel, want, names)
			}
		})
	}
	for rel := range entryPoints {
		assert.True(t, seen[rel], "package %s was not listed by go list", rel)
	}
}
