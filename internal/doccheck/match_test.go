package doccheck

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The matching rules of the README check, on a made-up example file.
func TestSnippetMatching(t *testing.T) {
	src := []byte(`package x_test

import "fmt"

func helper() {
	fmt.Println("a") // says a
}

func unused() { fmt.Println("b") }

func Example() {
	helper()
	// Output: a
}

func ExampleNoOutput() { fmt.Println("c") }
`)
	ef, err := parseExampleFile("x/example_test.go", src)
	require.NoError(t, err)
	files := []*exampleFile{ef}

	for _, c := range []struct {
		name, snippet string
		found         bool
		ran           string
	}{
		{"in a helper a runnable Example calls", "fmt.Println(\"a\") // says a", true, "x/example_test.go: Example"},
		{"spaces and tabs do not matter", "fmt.Println (\t\"a\" )   // says a\n", true, "x/example_test.go: Example"},
		{"a whole declaration", "func helper() {\n    fmt.Println(\"a\") // says a\n}", true, "x/example_test.go: Example"},
		{"a comment is compared", "fmt.Println(\"a\") // says b", false, ""},
		{"a literal is compared", "fmt.Println(\"A\")", false, ""},
		{"a line break where Go inserts a semicolon", "fmt.Println(\"a\")\n// says a", false, ""},
		{"in a function no Example uses", "fmt.Println(\"b\")", true, ""},
		{"in an Example without output", "fmt.Println(\"c\")", true, ""},
		{"across two declarations", "}\n\nfunc unused() {", true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			want, err := snippetTokens(c.snippet)
			require.NoError(t, err)
			foundIn, ranIn := locate(files, want)
			assert.Equal(t, c.found, len(foundIn) > 0, "found")
			assert.Equal(t, c.ran, ranIn, "ran")
		})
	}
}

func TestGoBlocks(t *testing.T) {
	md := "# t\n\n```sh\ngo test ./...\n```\n\ntext\n\n```go\nx := 1\n\ty := 2\n```\n\n```\nplain\n```\n```go \nz()\n```\n"
	blocks := goBlocks(t, md)
	require.Len(t, blocks, 2)
	assert.Equal(t, snippet{line: 9, text: "x := 1\n\ty := 2"}, blocks[0])
	assert.Equal(t, snippet{line: 17, text: "z()"}, blocks[1])
}
