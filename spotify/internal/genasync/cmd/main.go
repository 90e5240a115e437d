// Command genasync writes the AsyncClient's generated files of the package
// in the current directory (see package genasync). It runs from
// `go generate ./spotify`, through the directive in spotify/async.go.
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spotifysdk/spotify-go/spotify/internal/genasync"
)

func main() {
	files, err := genasync.Generate(".")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, name := range []string{genasync.ServicesFile, genasync.CasesFile} {
		data := files[name]
		if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, data) {
			continue
		}
		if err := os.WriteFile(filepath.Clean(name), data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("genasync: wrote", name)
	}
}
