package genasync

import (
	"bytes"
	"fmt"
	"go/format"
	"sort"
	"strings"
)

// mergeImports adds src's imports to dst; a name that stands for two
// paths is an error.
func mergeImports(dst, src map[string]string) error {
	for name, p := range src {
		if q, ok := dst[name]; ok && q != p {
			return fmt.Errorf("genasync: the name %s stands for both %q and %q", name, q, p)
		}
		dst[name] = p
	}
	return nil
}

// importBlock writes the import declaration of names (name → path).
func importBlock(b *bytes.Buffer, imps map[string]string) error {
	byPath := map[string]string{}
	for name, p := range imps {
		if other, ok := byPath[p]; ok && other != name {
			return fmt.Errorf("genasync: %q is imported as both %s and %s", p, other, name)
		}
		byPath[p] = name
	}
	paths := make([]string, 0, len(byPath))
	for p := range byPath {
		paths = append(paths, p)
	}
	// The standard library first, then the others, as goimports groups.
	std := func(p string) bool { return !strings.Contains(strings.Split(p, "/")[0], ".") }
	sort.Slice(paths, func(i, j int) bool {
		if si, sj := std(paths[i]), std(paths[j]); si != sj {
			return si
		}
		return paths[i] < paths[j]
	})
	seen := map[string]string{}
	b.WriteString("import (\n")
	for i, p := range paths {
		if i > 0 && std(paths[i-1]) && !std(p) {
			b.WriteByte('\n')
		}
		name := byPath[p]
		if q, ok := seen[name]; ok {
			return fmt.Errorf("genasync: the name %s stands for both %q and %q", name, q, p)
		}
		seen[name] = p
		if name == importName(p) {
			fmt.Fprintf(b, "\t%q\n", p)
		} else {
			fmt.Fprintf(b, "\t%s %q\n", name, p)
		}
	}
	b.WriteString(")\n\n")
	return nil
}

// wrapComment returns text as // comment lines of at most 76 columns.
func wrapComment(text string) string {
	var b strings.Builder
	line := "//"
	for _, w := range strings.Fields(text) {
		if len(line)+1+len(w) > 76 && line != "//" {
			b.WriteString(line + "\n")
			line = "//"
		}
		line += " " + w
	}
	b.WriteString(line + "\n")
	return b.String()
}

// formatSource gofmts a generated file, or reports the source it could not
// parse, with line numbers, so a generator bug is easy to see.
func formatSource(name string, src []byte) ([]byte, error) {
	out, err := format.Source(src)
	if err != nil {
		var numbered strings.Builder
		for i, line := range strings.Split(string(src), "\n") {
			fmt.Fprintf(&numbered, "%4d %s\n", i+1, line)
		}
		return nil, fmt.Errorf("genasync: %s: the generated source does not parse: %v\n%s", name, err, numbered.String())
	}
	return out, nil
}
