package doccheck

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSpotifyPackageDocShowsAClient keeps the first thing a new user needs
// in go doc ./spotify: a code block that makes a client and closes it.
func TestSpotifyPackageDocShowsAClient(t *testing.T) {
	dir := filepath.Join(moduleRoot, "spotify")
	fset := token.NewFileSet()
	var text string
	matches, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	for _, name := range matches {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments|parser.PackageClauseOnly)
		require.NoError(t, err)
		if f.Doc != nil {
			text += f.Doc.Text()
		}
	}
	require.NotEmpty(t, text, "package spotify has no package doc")

	var code []string // the doc's code lines (indented)
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "    ") {
			code = append(code, strings.TrimSpace(line))
		}
	}
	block := strings.Join(code, "\n")
	assert.Contains(t, block, "spotify.NewClient(", "the package doc shows no code that makes a client")
	assert.Contains(t, block, "defer c.Close()", "the package doc's client is never closed")
}
