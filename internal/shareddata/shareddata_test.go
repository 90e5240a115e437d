package shareddata

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// layout makes, in a temporary directory, a repository root "repo" of the
// main module with a package directory repo/pkg and a nested module
// repo/bench, and returns the temporary directory (the root's parent).
func layout(t *testing.T) string {
	t.Helper()
	top := t.TempDir()
	write(t, filepath.Join(top, "repo", "go.mod"), "// the main module\nmodule "+module+"\n\ngo 1.26.0\n")
	write(t, filepath.Join(top, "repo", "bench", "go.mod"), "module "+module+"/bench\n")
	require.NoError(t, os.MkdirAll(filepath.Join(top, "repo", "pkg", "sub"), 0o755))
	return top
}

// write creates the file name, and its directory, holding text.
func write(t *testing.T, name, text string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(name), 0o755))
	require.NoError(t, os.WriteFile(name, []byte(text), 0o644))
}

func TestLocateFindsSharedBesideTheRoot(t *testing.T) {
	top := layout(t)
	write(t, filepath.Join(top, "shared", "spotify-api", "openapi.yaml"), "openapi: 3.0.3\n")
	want := filepath.Join(top, "shared", "spotify-api", "openapi.yaml")
	for _, start := range []string{"repo", "repo/pkg", "repo/pkg/sub", "repo/bench"} {
		loc := locate(filepath.Join(top, filepath.FromSlash(start)), nil, "spotify-api/openapi.yaml")
		require.NoError(t, loc.err, start)
		assert.Equal(t, filepath.Join(top, "repo"), loc.root, "the root from %s", start)
		assert.Equal(t, want, loc.path, "from %s", start)
	}
}

func TestLocateWithoutShared(t *testing.T) {
	top := layout(t)
	loc := locate(filepath.Join(top, "repo", "pkg"), nil, "spotify-api/openapi.yaml")
	require.NoError(t, loc.err)
	assert.Equal(t, filepath.Join(top, "shared"), loc.sharedDir)
	assert.False(t, loc.sharedExists)
	assert.Empty(t, loc.path)

	// ../shared there, the file not.
	require.NoError(t, os.MkdirAll(filepath.Join(top, "shared", "spotify-api"), 0o755))
	loc = locate(filepath.Join(top, "repo", "pkg"), nil, "spotify-api/openapi.yaml")
	require.NoError(t, loc.err)
	assert.True(t, loc.sharedExists)
	assert.Empty(t, loc.path)
}

func TestLocateOutsideTheRepository(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), "module example.com/other\n")
	loc := locate(dir, nil, "x")
	assert.Empty(t, loc.sharedDir)
	assert.Contains(t, loc.why, "no go.mod of "+module)

	loc = locate("", errors.New("getwd failed"), "x")
	assert.Empty(t, loc.sharedDir)
	assert.Contains(t, loc.why, "getwd failed")
}

func TestLocateSharedIsAFile(t *testing.T) {
	top := layout(t)
	write(t, filepath.Join(top, "shared"), "not a directory")
	loc := locate(filepath.Join(top, "repo", "pkg"), nil, "x")
	require.Error(t, loc.err)
	assert.Contains(t, loc.err.Error(), "is not a directory")
}

func TestModulePath(t *testing.T) {
	dir := t.TempDir()
	for text, want := range map[string]string{
		"module " + module + "\n":                       module,
		"// c\n\nmodule\t\"" + module + "\"\ngo 1.26\n": module,
		"module " + module + "/bench\n":                 module + "/bench",
		"modules x\n":                                   "",
		"go 1.26\n":                                     "",
	} {
		name := filepath.Join(dir, "go.mod")
		write(t, name, text)
		assert.Equal(t, want, modulePath(name), "%q", text)
	}
	assert.Empty(t, modulePath(filepath.Join(dir, "absent.mod")))
}

// stop ends a fakeTB's test, as runtime.Goexit ends a real one.
type stop struct{}

// fakeTB records what Path and Lookup do to a test.
type fakeTB struct {
	testing.TB
	name                  string
	skipped, failed, logs []string
}

func (f *fakeTB) Helper()      {}
func (f *fakeTB) Name() string { return f.name }
func (f *fakeTB) Logf(format string, args ...any) {
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Skipf(format string, args ...any) {
	f.skipped = append(f.skipped, fmt.Sprintf(format, args...))
	panic(stop{})
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = append(f.failed, fmt.Sprintf(format, args...))
	panic(stop{})
}

// call runs fn as a test body on a fakeTB: a skip or a failure ends it.
func call(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stop); !ok {
				panic(r)
			}
		}
	}()
	fn()
}

// startIn makes dir the directory the tests started in until t ends, and
// forgets what they record.
func startIn(t *testing.T, dir string) {
	oldDir, oldErr := startDir, startErr
	startDir, startErr = dir, nil
	t.Cleanup(func() {
		startDir, startErr = oldDir, oldErr
		skipped.mu.Lock()
		skipped.names = nil
		skipped.mu.Unlock()
	})
}

func TestPathSkipsOutsideCI(t *testing.T) {
	for _, ci := range []string{"", "false", "0"} {
		t.Run("CI="+ci, func(t *testing.T) {
			t.Setenv("CI", ci)
			top := layout(t)
			startIn(t, filepath.Join(top, "repo", "pkg"))
			tb := &fakeTB{name: "TestSpec/sub"}
			var got string
			call(func() { got = Path(tb, "spotify-api/openapi.yaml") })
			assert.Empty(t, got)
			assert.Empty(t, tb.failed)
			require.Len(t, tb.skipped, 1)
			msg := tb.skipped[0]
			assert.Contains(t, msg, "../shared/spotify-api/openapi.yaml is absent")
			assert.Contains(t, msg, filepath.Join(top, "shared"))
			assert.Contains(t, msg, "needs ../shared beside the clone")
			assert.Contains(t, msg, `README "Test data"`)
			assert.Equal(t, 1, skippedCount(), "the test is counted for the note")
		})
	}
}

func TestPathFailsInCI(t *testing.T) {
	for _, ci := range []string{"true", "TRUE", "1"} {
		t.Run("CI="+ci, func(t *testing.T) {
			t.Setenv("CI", ci)
			top := layout(t)
			startIn(t, filepath.Join(top, "repo", "pkg"))
			tb := &fakeTB{name: "TestSpec"}
			call(func() { Path(tb, "spotify-api/openapi.yaml") })
			assert.Empty(t, tb.skipped, "CI does not skip")
			require.Len(t, tb.failed, 1)
			msg := tb.failed[0]
			assert.Contains(t, msg, "../shared/spotify-api/openapi.yaml is absent")
			assert.Contains(t, msg, "CI (CI="+ci+") needs ../shared beside the clone")
			assert.Zero(t, skippedCount())

			tb = &fakeTB{name: "FuzzDecode"}
			call(func() { Lookup(tb, "spotify-api/samples") })
			assert.Len(t, tb.failed, 1, "Lookup fails in CI too")
		})
	}
}

func TestPathFindsTheFile(t *testing.T) {
	t.Setenv("CI", "true")
	top := layout(t)
	write(t, filepath.Join(top, "shared", "spotify-api", "samples", "album.json"), "{}")
	startIn(t, filepath.Join(top, "repo", "pkg", "sub"))
	tb := &fakeTB{name: "TestAlbum"}
	var got string
	call(func() { got = Path(tb, "spotify-api/samples/album.json") })
	assert.Empty(t, tb.failed)
	assert.Empty(t, tb.skipped)
	assert.Equal(t, filepath.Join(top, "shared", "spotify-api", "samples", "album.json"), got)

	dir, ok := Lookup(tb, "spotify-api/samples")
	assert.True(t, ok)
	assert.Equal(t, filepath.Join(top, "shared", "spotify-api", "samples"), dir)
	assert.Zero(t, skippedCount())
}

// TestPathFailsWhenSharedLacksTheFile: a ../shared without the file the
// test asks for is a disagreement to fix, not a reason to skip.
func TestPathFailsWhenSharedLacksTheFile(t *testing.T) {
	t.Setenv("CI", "")
	top := layout(t)
	require.NoError(t, os.MkdirAll(filepath.Join(top, "shared", "spotify-api"), 0o755))
	startIn(t, filepath.Join(top, "repo", "pkg"))
	tb := &fakeTB{name: "TestAlbum"}
	call(func() { Path(tb, "spotify-api/samples/album.json") })
	assert.Empty(t, tb.skipped)
	require.Len(t, tb.failed, 1)
	assert.Contains(t, tb.failed[0], "../shared/spotify-api/samples/album.json is missing from "+filepath.Join(top, "shared"))
}

func TestLookupLogsOutsideCI(t *testing.T) {
	t.Setenv("CI", "")
	top := layout(t)
	startIn(t, filepath.Join(top, "repo", "pkg"))
	tb := &fakeTB{name: "FuzzDecode"}
	var ok bool
	call(func() { _, ok = Lookup(tb, "spotify-api/samples") })
	assert.False(t, ok)
	assert.Empty(t, tb.skipped)
	assert.Empty(t, tb.failed)
	require.Len(t, tb.logs, 1)
	assert.Contains(t, tb.logs[0], "../shared/spotify-api/samples is absent")
	assert.Equal(t, 1, skippedCount())
}
