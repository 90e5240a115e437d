package doccheck

import (
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/scanner"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The README check works this way. Every ```go block of README.md is cut
// into Go tokens (go/scanner, comments included; a newline counts only
// where Go would insert a semicolon, so spaces, tabs and indentation do
// not matter). The block must appear as one unbroken run of the same
// tokens in an example file of the module (example_test.go,
// example_*_test.go or *_example_test.go), inside a runnable Example
// (one with an Output comment) or inside a declaration that such an
// Example of the same file uses. So every snippet is compiled by go vet
// and go test, and runs when the package's tests run; a snippet that is
// edited in one place only fails this test, which names it.

// moduleRoot is the module's root, seen from this package's directory.
var moduleRoot = filepath.Join("..", "..")

// snippet is one ```go block of the README.
type snippet struct {
	line int    // line of the opening fence
	text string // the code between the fences
}

// name identifies the snippet in failures: its line and first line of code.
func (s snippet) name() string {
	first, _, _ := strings.Cut(strings.TrimSpace(s.text), "\n")
	return fmt.Sprintf("README.md:%d (%s)", s.line, first)
}

// goBlocks returns the ```go blocks of a Markdown text; blocks of other
// languages are skipped.
func goBlocks(t *testing.T, markdown string) []snippet {
	t.Helper()
	var (
		out     []snippet
		open    bool // inside a fenced block
		isGo    bool // ... of Go
		start   int  // line of its opening fence
		current []string
	)
	for i, line := range strings.Split(markdown, "\n") {
		fence := strings.TrimSpace(line)
		switch {
		case !open && strings.HasPrefix(fence, "```"):
			open, start, current = true, i+1, nil
			isGo = strings.TrimSpace(strings.TrimPrefix(fence, "```")) == "go"
		case open && fence == "```":
			if isGo {
				out = append(out, snippet{line: start, text: strings.Join(current, "\n")})
			}
			open = false
		case open:
			current = append(current, line)
		}
	}
	require.False(t, open, "README.md: the code block opened at line %d is never closed", start)
	return out
}

// tok is one token of Go source, as compared: its kind and its text
// (none for semicolons, so an inserted one equals a written one).
type tok struct {
	kind token.Token
	lit  string
	off  int // byte offset in the scanned source
}

func (a tok) same(b tok) bool { return a.kind == b.kind && a.lit == b.lit }

// tokens scans src into tokens, comments included.
func tokens(src []byte) ([]tok, error) {
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var errs scanner.ErrorList
	var s scanner.Scanner
	s.Init(file, src, func(pos token.Position, msg string) { errs.Add(pos, msg) }, scanner.ScanComments)
	var out []tok
	for {
		pos, kind, lit := s.Scan()
		if kind == token.EOF {
			break
		}
		switch {
		case kind == token.SEMICOLON:
			lit = ""
		case kind == token.COMMENT:
			lit = strings.TrimRight(lit, " \t\r")
		case kind.IsOperator() || kind.IsKeyword():
			lit = kind.String()
		}
		out = append(out, tok{kind: kind, lit: lit, off: file.Offset(pos)})
	}
	return out, errs.Err()
}

// snippetTokens scans a snippet. The semicolon Go inserts at its very end
// is dropped: in the example file the line may go on (a closing brace).
func snippetTokens(text string) ([]tok, error) {
	toks, err := tokens([]byte(text))
	if n := len(toks); n > 0 && toks[n-1].kind == token.SEMICOLON {
		toks = toks[:n-1]
	}
	return toks, err
}

// exampleFile is an example file of the module, scanned and parsed.
type exampleFile struct {
	path     string
	toks     []tok
	decls    []ast.Decl
	runnable map[string]*ast.FuncDecl // the Examples with an Output comment
}

// isExampleFile reports whether a file name is one of an example file.
func isExampleFile(name string) bool {
	return name == "example_test.go" ||
		(strings.HasPrefix(name, "example_") && strings.HasSuffix(name, "_test.go")) ||
		strings.HasSuffix(name, "_example_test.go")
}

// exampleFiles reads every example file of the module (not of a nested
// module such as bench).
func exampleFiles(t *testing.T) []*exampleFile {
	t.Helper()
	var files []*exampleFile
	err := filepath.WalkDir(moduleRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == moduleRoot {
				return nil
			}
			name := d.Name()
			if name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir // another module (bench)
			}
			return nil
		}
		if !isExampleFile(d.Name()) {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		ef, err := parseExampleFile(path, src)
		if err != nil {
			return err
		}
		files = append(files, ef)
		return nil
	})
	require.NoError(t, err)
	return files
}

// parseExampleFile scans and parses the source of an example file.
func parseExampleFile(path string, src []byte) (*exampleFile, error) {
	toks, err := tokens(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	ef := &exampleFile{path: path, toks: toks, decls: f.Decls, runnable: map[string]*ast.FuncDecl{}}
	funcs := map[string]*ast.FuncDecl{}
	for _, decl := range f.Decls {
		if fd, ok := decl.(*ast.FuncDecl); ok && fd.Recv == nil {
			funcs[fd.Name.Name] = fd
		}
	}
	for _, ex := range doc.Examples(f) {
		if ex.Output != "" || ex.EmptyOutput {
			ef.runnable["Example"+ex.Name] = funcs["Example"+ex.Name]
		}
	}
	return ef, nil
}

// find returns the offsets of the first token of each place where want
// appears in have.
func find(have, want []tok) []int {
	var at []int
	for i := 0; i+len(want) <= len(have); i++ {
		match := true
		for j := range want {
			if !have[i+j].same(want[j]) {
				match = false
				break
			}
		}
		if match {
			at = append(at, i)
		}
	}
	return at
}

// declNames returns the names a top-level declaration declares.
func declNames(decl ast.Decl) []string {
	switch d := decl.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil {
			return []string{d.Name.Name}
		}
	case *ast.GenDecl:
		var names []string
		for _, spec := range d.Specs {
			switch s := spec.(type) {
			case *ast.ValueSpec:
				for _, n := range s.Names {
					names = append(names, n.Name)
				}
			case *ast.TypeSpec:
				names = append(names, s.Name.Name)
			}
		}
		return names
	}
	return nil
}

// runsIn returns the name of the runnable Example that runs the code
// between the byte offsets from and to, or "" if none does: the Example
// holding it, or one that uses the declaration holding it.
func (ef *exampleFile) runsIn(from, to int) string {
	for _, decl := range ef.decls {
		// Offsets in a one-file FileSet are positions minus its base, 1.
		start, end := int(decl.Pos())-1, int(decl.End())-1
		if from < start || to > end {
			continue
		}
		names := declNames(decl)
		for _, n := range names {
			if _, ok := ef.runnable[n]; ok {
				return n
			}
		}
		for _, exName := range slices.Sorted(maps.Keys(ef.runnable)) {
			fd := ef.runnable[exName]
			used := false
			ast.Inspect(fd, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					for _, name := range names {
						used = used || id.Name == name
					}
				}
				return !used
			})
			if used {
				return exName
			}
		}
	}
	return ""
}

// locate finds the tokens of a snippet in the example files: every file
// holding them, and the first place where a runnable Example runs them
// ("path: ExampleName"), or "".
func locate(files []*exampleFile, want []tok) (foundIn []string, ranIn string) {
	for _, ef := range files {
		for _, i := range find(ef.toks, want) {
			last := ef.toks[i+len(want)-1]
			foundIn = append(foundIn, ef.path)
			if ex := ef.runsIn(ef.toks[i].off, last.off+len(last.lit)); ex != "" && ranIn == "" {
				ranIn = filepath.ToSlash(ef.path) + ": " + ex
			}
		}
	}
	return foundIn, ranIn
}

func TestReadmeSnippetsAreRunnableExamples(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(moduleRoot, "README.md"))
	require.NoError(t, err, "the README is part of the repository")
	snippets := goBlocks(t, string(readme))
	require.NotEmpty(t, snippets, "README.md has no ```go block: did the fences change?")
	files := exampleFiles(t)
	require.NotEmpty(t, files, "no example file found under %s", moduleRoot)

	for _, sn := range snippets {
		want, err := snippetTokens(sn.text)
		if err != nil {
			t.Errorf("%s: not Go: %v", sn.name(), err)
			continue
		}
		if len(want) == 0 {
			t.Errorf("%s: an empty ```go block", sn.name())
			continue
		}
		foundIn, ranIn := locate(files, want)
		switch {
		case len(foundIn) == 0:
			t.Errorf("%s: not found in any example file, token for token; "+
				"put the snippet in a runnable Example (or fix the README to match it)", sn.name())
		case ranIn == "":
			t.Errorf("%s: found in %v, but not in a runnable Example (one with an Output comment) "+
				"nor in a declaration such an Example uses", sn.name(), foundIn)
		default:
			t.Logf("%s: runs in %s", sn.name(), ranIn)
		}
	}
}
