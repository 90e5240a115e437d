package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/auth"
)

// buildImport builds the command into a temporary folder, once per test.
func buildImport(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	bin := filepath.Join(t.TempDir(), "import")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// importCmd is the command run as a child in emulator mode (no
// credentials, whatever the test's environment holds).
func importCmd(bin string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), auth.EnvClientID+"=", auth.EnvClientSecret+"=")
	return cmd
}

// TestImportKilledAndResumed runs the import as a child process, kills it
// with SIGKILL at a random moment of its commits (one per seed), and runs
// -resume on the same folder: every artist, album and track must be there
// exactly once, and the resumed run must fetch nothing of an artist that
// was complete on disk.
func TestImportKilledAndResumed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := buildImport(t)
	const size = 40
	for _, seed := range []uint64{1, 2, 3, 4} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 18))
			killAt := 1 + rng.IntN(size-10) // commits before the kill
			dir := filepath.Join(t.TempDir(), "out")
			cmd := importCmd(bin, "-size", "40", "-concurrency", "8", "-chaos", "-out", dir)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			deadline := time.Now().Add(time.Minute)
			for committedLines(dir) < killAt {
				select {
				case err := <-exited:
					t.Fatalf("the import ended (%v) before %d commits:\n%s\n%s", err, killAt, stdout.String(), stderr.String())
				default:
				}
				if time.Now().After(deadline) {
					t.Fatal("no progress")
				}
				time.Sleep(200 * time.Microsecond)
			}
			time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond) // anywhere in the next commits
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			var exitErr *exec.ExitError
			if err := <-exited; !errors.As(err, &exitErr) || exitErr.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the import was not killed: %v\n%s", err, stdout.String())
			}

			// What is complete on disk: the artists of the whole commit
			// lines, and the tracks those commits count.
			complete, last := commitsOf(t, dir)
			completeTracks := firstIDs(t, filepath.Join(dir, "tracks.jsonl"), int(last.Lines[2]))
			t.Logf("killed after %d commits (waited for %d)", len(complete), killAt)

			counters := filepath.Join(t.TempDir(), "counters.json")
			cmd = importCmd(bin, "-resume", dir, "-counters", counters)
			var notes bytes.Buffer
			cmd.Stderr = &notes
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("-resume: %v\n%s\n%s", err, out, notes.String())
			}
			for line := range strings.Lines(notes.String()) {
				if strings.HasPrefix(line, "resum") {
					t.Log(strings.TrimSpace(line))
				}
			}
			if !strings.Contains(string(out), "exactly-once PASS") {
				t.Fatalf("-resume:\n%s", out)
			}
			c := readCounters(t, counters)
			for _, a := range complete {
				if n := c.Served["spotify:artist:"+a]; n != 0 {
					t.Errorf("artist %s was complete on disk, fetched %d times", a, n)
				}
			}
			for _, id := range completeTracks {
				if n := c.Served["spotify:track:"+id]; n != 0 {
					t.Errorf("track %s was complete on disk, fetched %d times", id, n)
				}
			}
			if want := size - len(complete); c.Requests["GET /v1/artists/{id}"] < want {
				t.Errorf("the resumed run fetched %d artists, want at least the %d incomplete", c.Requests["GET /v1/artists/{id}"], want)
			}
		})
	}
}

// committedLines counts the whole lines of the commit log under dir.
func committedLines(dir string) int {
	b, _ := os.ReadFile(filepath.Join(dir, commitsFile))
	return bytes.Count(b, []byte("\n"))
}

// firstIDs returns the ids of the first n lines of a JSON Lines file.
func firstIDs(t *testing.T, path string, n int) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ids []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for len(ids) < n && sc.Scan() {
		var rec struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil || rec.ID == "" {
			t.Fatalf("%s: bad line %q: %v", path, sc.Text(), err)
		}
		ids = append(ids, rec.ID)
	}
	if len(ids) < n {
		t.Fatalf("%s: %d lines, the commits count %d", path, len(ids), n)
	}
	return ids
}
