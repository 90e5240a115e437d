// Package redistest finds, for the project's tests, the Redis server that
// the Redis-backed stores are tested against: the one .ci/run starts,
// named by the environment variable SPOTIFY_TEST_REDIS_URL, or a
// redis-server of the test's own (for tests that stop and restart it).
//
// Outside CI a test that needs Redis is skipped with a message saying how
// to run it; in CI (CI is "true" or "1") it fails instead: CI must run
// every test.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/spotifysdk/spotify-go/internal/shareddata"
)

// EnvURL names the environment variable holding the test server's URL,
// such as redis://127.0.0.1:6390/0.
const EnvURL = "SPOTIFY_TEST_REDIS_URL"

// howTo says how to run the Redis tests.
const howTo = "start one (redis-server --port 6390 --save '' --appendonly no) and run " +
	"SPOTIFY_TEST_REDIS_URL=redis://127.0.0.1:6390/0 go test ./auth/redisstore/ ./cache/rediscache/ ./middleware/redisbudget/, " +
	"or run .ci/run, which does both"

// URL returns the test server's URL from [EnvURL]. When it is unset it
// skips tb, or fails it in CI.
func URL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		missing(tb, EnvURL+" is not set: this test needs a Redis server")
	}
	return u
}

// missing skips tb with why and how to run the test, or fails it in CI.
func missing(tb testing.TB, why string) {
	tb.Helper()
	if shareddata.InCI() {
		tb.Fatalf("%s, and CI (CI=%s) must run it: %s", why, os.Getenv("CI"), howTo)
	}
	tb.Skipf("%s; to run it, %s", why, howTo)
}

// Client returns a client of the test server, closed at the end of the
// test, after checking that the server answers.
func Client(tb testing.TB) *redis.Client {
	tb.Helper()
	o, err := redis.ParseURL(URL(tb))
	if err != nil {
		tb.Fatalf("%s cannot be parsed: %v", EnvURL, err)
	}
	c := redis.NewClient(o)
	tb.Cleanup(func() { _ = c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		tb.Fatalf("the Redis server of %s does not answer: %v", EnvURL, err)
	}
	return c
}

// Prefix returns a key prefix of its own for one test, so that tests
// sharing the server never see each other's keys.
func Prefix(tb testing.TB) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "spotify-go-test-" + hex.EncodeToString(b[:])
}

// Server is a redis-server process of the test's own, on a loopback port,
// in a temporary folder, without persistence.
type Server struct {
	tb   testing.TB
	bin  string
	dir  string
	port int
	cmd  *exec.Cmd
}

// StartServer starts a redis-server of the test's own, stopped at the end
// of the test. It needs the redis-server program, and like [URL] the
// environment variable [EnvURL] (which says that Redis tests are wanted
// here): without them it skips tb, or fails it in CI.
func StartServer(tb testing.TB) *Server {
	tb.Helper()
	URL(tb)
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		missing(tb, "redis-server is not on PATH")
	}
	s := &Server{tb: tb, bin: bin, dir: tb.TempDir(), port: freePort(tb)}
	s.Start()
	tb.Cleanup(s.Stop)
	return s
}

// URL returns the server's URL.
func (s *Server) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", s.port) }

// Start starts the server (again, after Stop) on its port and waits until
// it answers.
func (s *Server) Start() {
	s.tb.Helper()
	if s.cmd != nil {
		return
	}
	cmd := exec.Command(s.bin, "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", s.dir)
	if err := cmd.Start(); err != nil {
		s.tb.Fatalf("starting redis-server: %v", err)
	}
	s.cmd = cmd
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(s.port), MaxRetries: -1})
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			s.tb.Fatalf("redis-server on port %d does not answer: %v", s.port, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop stops the server; its port stays reserved for Start.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// freePort returns a loopback port free right now.
func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
