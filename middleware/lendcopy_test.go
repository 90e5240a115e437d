package middleware

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

// lendChain is Timeout (lending its copy when lend is set) over a spy that
// records the request it is given, over Auth with p, over next.
func lendChain(lend bool, p auth.Provider, seen **http.Request, next http.RoundTripper) http.RoundTripper {
	spy := func(next http.RoundTripper) http.RoundTripper {
		return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			*seen = req
			return next.RoundTrip(req)
		})
	}
	return transport.NewChain(
		transport.Stage{Name: StageTimeout, Wrap: Timeout(TimeoutOptions{Timeout: time.Hour, LendCopy: lend})},
		transport.Stage{Name: "spy", Wrap: spy},
		transport.Stage{Name: StageAuth, Wrap: Auth(AuthOptions{Provider: p, Host: "api.spotify.com"})},
	).Then(next)
}

// With LendCopy the auth stage writes its header into the timeout stage's
// copy of the request: the base gets that very copy, and the caller's
// request stays without the token. Without it, or for an attempt with a
// context of its own (a caller whose context can end), auth copies.
func TestTimeoutLendsItsCopyToAuth(t *testing.T) {
	cancellable, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, tc := range []struct {
		name string
		lend bool
		ctx  context.Context
		lent bool
	}{
		{"lent", true, context.Background(), true},
		{"not lent", false, context.Background(), false},
		{"own context", true, cancellable, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tt := testtransport.New().AppendResponse(http.StatusOK, `{}`)
			var seen *http.Request
			rt := lendChain(tc.lend, auth.NewStatic("tok"), &seen, tt)
			req, err := http.NewRequestWithContext(tc.ctx, http.MethodGet, "https://api.spotify.com/v1/me", nil)
			require.NoError(t, err)
			req.Header.Set("User-Agent", "spotify-go")
			resp, err := rt.RoundTrip(req)
			require.NoError(t, err)
			_ = resp.Body.Close()

			sent := resp.Request
			require.NotNil(t, seen)
			assert.Equal(t, tc.lent, seen == sent, "the base got the timeout stage's copy itself")
			assert.NotSame(t, req, sent)
			assert.Equal(t, "Bearer tok", sent.Header.Get("Authorization"))
			assert.Equal(t, "spotify-go", sent.Header.Get("User-Agent"))
			assert.Equal(t, http.Header{"User-Agent": {"spotify-go"}}, req.Header, "the caller's request is unchanged")
			if !tc.lent {
				assert.Empty(t, seen.Header.Get("Authorization"), "a request auth was not lent keeps its header")
			}
		})
	}
}

// A lent copy that meets a 401 is replayed as a clone with the fresh
// token, as any other request.
func TestLentCopyReplaysAfter401(t *testing.T) {
	tt := testtransport.New().
		AppendResponse(http.StatusUnauthorized, `{"error":{"status":401,"message":"The access token expired"}}`).
		AppendResponse(http.StatusOK, `{}`)
	p := &rotatingProvider{}
	var seen *http.Request
	rt := lendChain(true, p, &seen, tt)
	req, err := http.NewRequest(http.MethodGet, "https://api.spotify.com/v1/me", nil)
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	reqs := tt.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "Bearer tok-0", reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "Bearer tok-1", reqs[1].Header.Get("Authorization"))
	assert.Empty(t, req.Header.Get("Authorization"))
}

// An attempt on a shared deadline, lent to auth, costs three allocations
// between the two stages: the attempt (its context, its copy of the
// request and the room for the header values), and the header map auth
// writes (the runtime makes a small map in two). Lending saves the auth
// stage's own copy of the request.
func TestLentAttemptAllocations(t *testing.T) {
	resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: http.NoBody}
	base := transport.RoundTripperFunc(func(*http.Request) (*http.Response, error) { return resp, nil })
	req, err := http.NewRequest(http.MethodGet, "https://api.spotify.com/v1/me", nil)
	require.NoError(t, err)
	req.Header.Set("User-Agent", "spotify-go")
	for lend, want := range map[bool]float64{true: 3, false: 4} {
		var seen *http.Request
		rt := lendChain(lend, auth.NewStatic("tok"), &seen, base)
		_, _ = rt.RoundTrip(req) // the deadline slice and the Authorization value, made once
		got := testing.AllocsPerRun(100, func() {
			r, err := rt.RoundTrip(req)
			if err != nil {
				panic(err)
			}
			_, _ = io.Copy(io.Discard, r.Body)
		})
		assert.Equal(t, want, got, "lend=%v", lend)
	}
}
