package shareddata

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// childEnv, when set, makes the child tests below ask for ../shared; they
// run only in a child process that TestRunPrintsOneNote starts.
const childEnv = "SHAREDDATA_CHILD"

// terminalEnv names a file that stands in for the terminal in a child.
const terminalEnv = "SHAREDDATA_TERMINAL"

// TestMain is the TestMain of every package that reads ../shared, with the
// terminal replaced by a file when a parent test asks so.
func TestMain(m *testing.M) {
	if name := os.Getenv(terminalEnv); name != "" {
		openTerminal = func() (io.WriteCloser, error) {
			return os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		}
	}
	os.Exit(Run(m, "the child tests"))
}

func TestChildSkipsTwice(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("run by TestRunPrintsOneNote")
	}
	for _, rel := range []string{"spotify-api/openapi.yaml", "spotify-api/samples/album.json"} {
		t.Run(rel, func(t *testing.T) { Path(t, rel) })
	}
}

func TestChildLooksUp(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("run by TestRunPrintsOneNote")
	}
	if _, ok := Lookup(t, "spotify-api/samples"); ok {
		t.Error("Lookup found ../shared in a layout without it")
	}
}

func TestChildNeedsNothing(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("run by TestRunPrintsOneNote")
	}
}

// child runs this package's test binary in dir, with the tests that match
// run, the environment variables env added and the arguments args, and
// returns its output and exit code.
func child(t *testing.T, dir, run string, env []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=" + run}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), exit.ExitCode()
	}
	require.NoError(t, err)
	return out.String(), 0
}

// TestRunPrintsOneNote runs the child tests in a repository without
// ../shared: outside CI they pass and the package says once, at the end,
// how many tests did not run, also on the terminal when go test would keep
// the output back; in CI they fail and say why.
func TestRunPrintsOneNote(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	top := layout(t)
	pkg := filepath.Join(top, "repo", "pkg")
	tty := filepath.Join(t.TempDir(), "tty")
	ttyEnv := terminalEnv + "=" + tty
	const children = "^TestChild(SkipsTwice|LooksUp|NeedsNothing)$"
	wantNote := module + "/pkg: 2 tests did not run, in whole or in part, because ../shared (" + filepath.Join(top, "shared") + ") is absent: the child tests;"

	t.Run("outside CI", func(t *testing.T) {
		out, code := child(t, pkg, children, []string{childEnv + "=1", "CI=", ttyEnv})
		require.Zero(t, code, out)
		assert.Equal(t, 1, strings.Count(out, "did not run"), "one note:\n%s", out)
		assert.Contains(t, out, wantNote)
		assert.Contains(t, out, `see README "Test data" (with CI=true they fail)`)
		written, err := os.ReadFile(tty)
		require.NoError(t, err, "the note goes to the terminal too")
		assert.Contains(t, string(written), wantNote)
		require.NoError(t, os.Remove(tty))
	})
	t.Run("outside CI with -v", func(t *testing.T) {
		out, code := child(t, pkg, children, []string{childEnv + "=1", "CI=", ttyEnv}, "-test.v")
		require.Zero(t, code, out)
		assert.Contains(t, out, wantNote)
		assert.Contains(t, out, "--- SKIP: TestChildSkipsTwice/spotify-api/openapi.yaml")
		assert.NoFileExists(t, tty, "go test -v shows the output: no need for the terminal")
	})
	t.Run("in CI", func(t *testing.T) {
		for _, ci := range []string{"true", "1"} {
			out, code := child(t, pkg, children, []string{childEnv + "=1", "CI=" + ci, ttyEnv})
			assert.NotZero(t, code, "CI=%s: a missing ../shared fails\n%s", ci, out)
			assert.Contains(t, out, "--- FAIL: TestChildSkipsTwice")
			assert.Contains(t, out, "--- FAIL: TestChildLooksUp")
			assert.Contains(t, out, "../shared/spotify-api/openapi.yaml is absent (looked for "+filepath.Join(top, "shared")+"): CI (CI="+ci+") needs ../shared beside the clone")
			assert.NotContains(t, out, "did not run", "CI=%s", ci)
			assert.NoFileExists(t, tty)
		}
	})
	t.Run("nothing asked", func(t *testing.T) {
		out, code := child(t, pkg, "^TestChildNeedsNothing$", []string{childEnv + "=1", "CI=", ttyEnv})
		require.Zero(t, code, out)
		assert.NotContains(t, out, "did not run")
		assert.NoFileExists(t, tty)
	})
}

func TestNote(t *testing.T) {
	loc := location{sharedDir: "/src/shared"}
	assert.Equal(t, "example/pkg: 1 test did not run, in whole or in part, because ../shared (/src/shared) is absent: the spec tests; see README \"Test data\" (with CI=true they fail)\n",
		note("example/pkg", 1, "the spec tests", loc))
	assert.Contains(t, note("p", 34, "x", location{}), "p: 34 tests did not run, in whole or in part, because ../shared is absent: x;")
}

func TestImportPath(t *testing.T) {
	top := layout(t)
	assert.Equal(t, module+"/pkg/sub", importPath(filepath.Join(top, "repo", "pkg", "sub")))
	assert.Equal(t, module, importPath(filepath.Join(top, "repo")))
	assert.Equal(t, top, importPath(top))
}
