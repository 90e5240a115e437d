package auth

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Environment of the child processes of TestFileStoreTwoProcesses.
const (
	envChildTokenURL = "AUTH_TEST_CHILD_TOKEN_URL"
	envChildStore    = "AUTH_TEST_CHILD_STORE"
	envChildRounds   = "AUTH_TEST_CHILD_ROUNDS"
)

// TestFileStoreTwoProcesses re-runs the test binary twice as child
// processes that refresh alternately through one file store, against a
// fake server (served here) that rotates the refresh token on every
// refresh and refuses a spent one. Neither child may ever get
// invalid_grant, and the file must always parse.
func TestFileStoreTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	if os.Getenv(envChildTokenURL) != "" {
		t.Skip("in a child process")
	}
	srv := newUserServer(t, "")
	path := filepath.Join(t.TempDir(), "token.json")
	fs, err := NewFileStore(path)
	require.NoError(t, err)
	require.NoError(t, fs.Save(context.Background(), srv.seed(nil, 3600)))

	const rounds = 15
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 2)
	for range 2 {
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestFileStoreChildProcess$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(),
			envChildTokenURL+"="+srv.tokenURL(),
			envChildStore+"="+path,
			envChildRounds+"="+strconv.Itoa(rounds),
		)
		go func() {
			out, err := cmd.CombinedOutput()
			done <- result{out, err}
		}()
	}
	for range 2 {
		r := <-done
		require.NoError(t, r.err, "child failed:\n%s", r.out)
		assert.Contains(t, string(r.out), "--- PASS: TestFileStoreChildProcess", "the child ran:\n%s", r.out)
	}
	assert.Zero(t, srv.invalidGrants.Load(), "no refresh token was spent twice")
	assert.GreaterOrEqual(t, srv.refreshes.Load(), int32(rounds), "the children refreshed")
	st, err := fs.Load(context.Background())
	require.NoError(t, err)
	require.NotNil(t, st)
	assert.True(t, srv.isValid(st.Token.RefreshToken), "the stored refresh token is the live one")
	assert.Equal(t, "fam-seed", st.FamilyID)
}

// TestFileStoreChildProcess is the child of TestFileStoreTwoProcesses; it
// is skipped unless started by it.
func TestFileStoreChildProcess(t *testing.T) {
	tokenURL := os.Getenv(envChildTokenURL)
	if tokenURL == "" {
		t.Skip("run by TestFileStoreTwoProcesses")
	}
	rounds, err := strconv.Atoi(os.Getenv(envChildRounds))
	require.NoError(t, err)
	fs, err := NewFileStore(os.Getenv(envChildStore))
	require.NoError(t, err)
	a, err := NewAuthorizationCode(AuthorizationCodeConfig{
		ClientID: testID, ClientSecret: "", RedirectURI: testRedirect,
		TokenURL: tokenURL, Store: fs, EarlyRefresh: -1,
	})
	require.NoError(t, err)
	defer a.Close()
	for range rounds {
		tok, err := a.Token(context.Background())
		require.NoError(t, err)
		_, err = fs.Load(context.Background())
		require.NoError(t, err, "the file always parses")
		a.Invalidate(tok) // as after a 401: the next Token refreshes or adopts
		time.Sleep(time.Duration(rand.IntN(3)) * time.Millisecond)
	}
	assert.Equal(t, "user:fam-seed", a.Identity())
}
