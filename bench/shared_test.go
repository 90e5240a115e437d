package bench

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedDir is ../shared beside the repository, seen from this package's
// directory (bench/ of the clone). The benchmarks are in a module of their
// own and use only the SDK's public packages, so this is the module's own
// small counterpart of the SDK's internal test helper.
var sharedDir = filepath.Join("..", "..", "shared")

// inCI reports whether the environment variable CI is "true" or "1".
func inCI() bool {
	v := os.Getenv("CI")
	return strings.EqualFold(v, "true") || v == "1"
}

// sharedSample returns the recorded answer name of ../shared/spotify-api/
// samples. Where ../shared is absent it logs so and returns stand-in()
// (the project's own answer of the same shape), but in CI (CI is "true" or
// "1") it fails tb: the numbers CI reports are those of the recorded
// answers.
func sharedSample(tb testing.TB, name string, standIn func() []byte) []byte {
	tb.Helper()
	rel := filepath.Join("spotify-api", "samples", name)
	data, err := os.ReadFile(filepath.Join(sharedDir, rel))
	if err == nil {
		return data
	}
	if _, statErr := os.Stat(sharedDir); !errors.Is(err, os.ErrNotExist) || !errors.Is(statErr, os.ErrNotExist) {
		tb.Fatalf("../shared/%s: %v", filepath.ToSlash(rel), err)
		return nil
	}
	looked := sharedDir
	if abs, err := filepath.Abs(sharedDir); err == nil {
		looked = abs
	}
	if inCI() {
		tb.Fatalf("../shared/%s is absent (looked for %s): CI (CI=%s) needs ../shared beside the clone", filepath.ToSlash(rel), looked, os.Getenv("CI"))
		return nil
	}
	tb.Logf("../shared is absent (looked for %s): using the generated %s of the same shape instead of the recorded one", looked, name)
	return standIn()
}

// fakeTB records what sharedSample does to a benchmark; Fatalf ends the
// call as runtime.Goexit ends a real one.
type fakeTB struct {
	testing.TB
	fatal, logs []string
}

// fatalStop is the panic value of fakeTB.Fatalf.
type fatalStop struct{}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Logf(format string, args ...any) {
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatal = append(f.fatal, fmt.Sprintf(format, args...))
	panic(fatalStop{})
}

// callSample runs sharedSample on tb with ../shared at dir.
func callSample(t *testing.T, tb *fakeTB, dir string) (data []byte) {
	t.Helper()
	old := sharedDir
	sharedDir = dir
	defer func() {
		sharedDir = old
		if r := recover(); r != nil {
			if _, ok := r.(fatalStop); !ok {
				panic(r)
			}
		}
	}()
	return sharedSample(tb, "album.json", func() []byte { return []byte("stand-in") })
}

func TestSharedSample(t *testing.T) {
	absent := filepath.Join(t.TempDir(), "shared")

	t.Run("absent outside CI", func(t *testing.T) {
		t.Setenv("CI", "")
		tb := &fakeTB{}
		if got := string(callSample(t, tb, absent)); got != "stand-in" {
			t.Errorf("got %q, want the stand-in", got)
		}
		if len(tb.fatal) != 0 || len(tb.logs) != 1 || !strings.Contains(tb.logs[0], "../shared is absent") {
			t.Errorf("fatal %q, logs %q", tb.fatal, tb.logs)
		}
	})
	for _, ci := range []string{"true", "1"} {
		t.Run("absent in CI="+ci, func(t *testing.T) {
			t.Setenv("CI", ci)
			tb := &fakeTB{}
			if got := callSample(t, tb, absent); got != nil {
				t.Errorf("got %q, want nothing", got)
			}
			want := "../shared/spotify-api/samples/album.json is absent (looked for " + absent + "): CI (CI=" + ci + ") needs ../shared beside the clone"
			if len(tb.fatal) != 1 || tb.fatal[0] != want {
				t.Errorf("fatal %q, want %q", tb.fatal, want)
			}
		})
	}
	t.Run("present", func(t *testing.T) {
		t.Setenv("CI", "true")
		dir := t.TempDir()
		samples := filepath.Join(dir, "spotify-api", "samples")
		if err := os.MkdirAll(samples, 0o755); err != nil {
			t.Fatal(err)
		}
		tb := &fakeTB{}
		callSample(t, tb, dir)
		if len(tb.fatal) != 1 || !strings.Contains(tb.fatal[0], "album.json") {
			t.Errorf("../shared without the sample: fatal %q, want one naming album.json", tb.fatal)
		}
		if err := os.WriteFile(filepath.Join(samples, "album.json"), []byte(`{"id":"a"}`), 0o644); err != nil {
			t.Fatal(err)
		}
		tb = &fakeTB{}
		if got := string(callSample(t, tb, dir)); got != `{"id":"a"}` || len(tb.fatal) != 0 {
			t.Errorf("got %q, fatal %q", got, tb.fatal)
		}
	})
}
