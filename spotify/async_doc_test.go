package spotify

import (
	"go/ast"
	"go/build"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// asyncDocType returns the go/doc view of type name in this package's
// sources, as go doc builds it.
func asyncDocType(t *testing.T, name string) *doc.Type {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	var files []*ast.File
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		if ok, err := build.Default.MatchFile(".", n); err != nil || !ok {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(".", n), nil, parser.ParseComments)
		require.NoError(t, err)
		files = append(files, f)
	}
	pkg, err := doc.NewFromFiles(fset, files, "github.com/spotifysdk/spotify-go/spotify")
	require.NoError(t, err)
	for _, typ := range pkg.Types {
		if typ.Name == name {
			return typ
		}
	}
	t.Fatalf("no type %s in the package doc", name)
	return nil
}

// asyncDocFields returns the exported fields of a struct type's doc view,
// by name, with their type, and reports whether the struct embeds anything.
func asyncDocFields(t *testing.T, typ *doc.Type) (fields map[string]*ast.Field, embeds bool) {
	t.Helper()
	require.Len(t, typ.Decl.Specs, 1)
	st, ok := typ.Decl.Specs[0].(*ast.TypeSpec).Type.(*ast.StructType)
	require.True(t, ok, "%s is a struct", typ.Name)
	fields = map[string]*ast.Field{}
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 {
			embeds = true
		}
		for _, n := range f.Names {
			if n.IsExported() {
				fields[n.Name] = f
			}
		}
	}
	return fields, embeds
}

// go doc shows the AsyncClient's services as fields of AsyncClient, each
// with its comment, one for every service of Client; nothing embedded
// hides them.
func TestAsyncClientDocShowsItsServices(t *testing.T) {
	syncFields, _ := asyncDocFields(t, asyncDocType(t, "Client"))
	asyncFields, embeds := asyncDocFields(t, asyncDocType(t, "AsyncClient"))
	assert.False(t, embeds, "AsyncClient embeds a struct: go doc shows its fields only as \"Has unexported fields\"")
	services := 0
	for name, sf := range syncFields {
		star, ok := sf.Type.(*ast.StarExpr)
		if !ok || !strings.HasSuffix(star.X.(*ast.Ident).Name, "Service") {
			continue
		}
		services++
		af, ok := asyncFields[name]
		if !assert.True(t, ok, "AsyncClient has no exported field %s", name) {
			continue
		}
		assert.Equal(t, "Async"+star.X.(*ast.Ident).Name, af.Type.(*ast.StarExpr).X.(*ast.Ident).Name, name)
		if assert.NotNil(t, af.Doc, "AsyncClient.%s has no doc comment", name) {
			assert.Contains(t, af.Doc.Text(), name+" is the asynchronous form of Client."+name)
		}
	}
	assert.Equal(t, 14, services, "the services of Client")
	assert.Len(t, asyncFields, services, "AsyncClient's exported fields are its services")
}

// The go doc command itself finds the field the first user looked for.
func TestAsyncClientGoDocFindsTracks(t *testing.T) {
	goTool, err := exec.LookPath("go") // go test puts its own go first on PATH
	require.NoError(t, err)
	out, err := exec.Command(goTool, "doc", ".", "AsyncClient.Tracks").CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "Tracks is the asynchronous form of Client.Tracks.")
	assert.Contains(t, string(out), "Tracks *AsyncTracksService")

	out, err = exec.Command(goTool, "doc", ".", "AsyncClient").CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, f := range []string{"Albums *AsyncAlbumsService", "Player *AsyncPlayerService", "Users *AsyncUsersService"} {
		assert.Contains(t, string(out), f)
	}
}
