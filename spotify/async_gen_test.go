package spotify

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/spotify/internal/genasync"
)

// The AsyncClient's services and its test table are generated from the
// sync sources; this test fails when the committed files are stale.
func TestAsyncGeneratedFilesAreFresh(t *testing.T) {
	files, err := genasync.Generate(".")
	require.NoError(t, err, "the async generator fails on this package: fix the cause, then run go generate ./spotify")
	require.NotEmpty(t, files)
	for _, name := range asyncSortedKeys(files) {
		have, err := os.ReadFile(name)
		if errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is missing: run go generate ./spotify", name)
			continue
		}
		require.NoError(t, err)
		if want := files[name]; !bytes.Equal(have, want) {
			t.Errorf("%s is stale: run go generate ./spotify (first difference at line %d)", name, asyncFirstDiffLine(have, want))
		}
	}
}

// asyncFirstDiffLine returns the 1-based number of the first line where a
// and b differ.
func asyncFirstDiffLine(a, b []byte) int {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return i + 1
		}
	}
	return min(len(la), len(lb)) + 1
}

// asyncSortedKeys returns m's keys in order.
func asyncSortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
