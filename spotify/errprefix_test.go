package spotify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// assertPrefixOnce checks that err's text says "spotify: " once, at its
// start, and that err still matches want.
func assertPrefixOnce(t *testing.T, err error, want error, what string) {
	t.Helper()
	if !assert.Error(t, err, what) {
		return
	}
	msg := err.Error()
	assert.True(t, strings.HasPrefix(msg, errPrefix), "%s: %q", what, msg)
	assert.Equal(t, 1, strings.Count(msg, "spotify:"), "%s repeats the prefix: %q", what, msg)
	assert.ErrorIs(t, err, want, what)
}

// Every way a call meets a closed client gives an error whose text says
// "spotify: " once: sync and async, in flight or after Close, Clone, Do.
func TestErrorsAfterCloseSayThePrefixOnce(t *testing.T) {
	ts := newAsyncBlockingServer(t)
	ac, err := NewAsyncClient(WithAccessToken("tok"), WithBaseURL(ts.URL+"/v1"), WithCache(nil))
	require.NoError(t, err)
	c := ac.Sync()

	inFlightAsync := ac.Albums.Get(context.Background(), "a1", nil)
	<-ts.arrived
	inFlightSync := make(chan error, 1)
	go func() {
		_, err := c.Albums.Get(context.Background(), "a2", nil)
		inFlightSync <- err
	}()
	<-ts.arrived
	require.NoError(t, ac.Close())

	_, err = inFlightAsync.Await(context.Background())
	assertPrefixOnce(t, err, ErrClosed, "an async call cancelled by Close")
	assert.Equal(t, "spotify: GET /albums/{id}: the client is closed: context canceled", err.Error())
	assertPrefixOnce(t, <-inFlightSync, ErrClosed, "a sync call cancelled by Close")

	_, err = ac.Albums.Get(context.Background(), "a3", nil).Await(context.Background())
	assertPrefixOnce(t, err, ErrClosed, "an async submission after Close")
	_, err = c.Albums.Get(context.Background(), "a4", nil)
	assertPrefixOnce(t, err, ErrClosed, "a sync call after Close")
	_, err = c.Clone()
	assertPrefixOnce(t, err, ErrClosed, "Clone after Close")
	assert.Equal(t, "spotify: Clone: the client is closed: context canceled", err.Error())
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, ts.URL+"/v1/albums/a5", nil)
	require.NoError(t, err)
	assertPrefixOnce(t, c.Do(req, nil), ErrClosed, "Do after Close")
}

// The errors that wrap another error of the package drop its prefix,
// whatever that error is; their own text and what they match stay.
func TestWrappingErrorsSayThePrefixOnce(t *testing.T) {
	causes := []error{
		ErrClosed, ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrServer,
		ErrInvalidArgument, ErrPremiumRequired, ErrNoActiveDevice, ErrUnavailableInDevelopmentMode,
		ErrNoMorePages, ErrEmptyPages,
		opGetAlbum.invalid("id is empty"),
		&Error{StatusCode: http.StatusNotFound, Method: "GET", Route: "/albums/{id}", Message: "non existing id"},
		&Error{Method: "GET", Route: "/albums/{id}", err: ErrClosed},
	}
	for _, cause := range causes {
		t.Run(cause.Error(), func(t *testing.T) {
			inner := strings.TrimPrefix(cause.Error(), errPrefix)

			e := &Error{Method: "PUT", Route: "/me/library", err: cause}
			assertPrefixOnce(t, e, cause, "*Error")
			assert.Equal(t, "spotify: PUT /me/library: "+inner, e.Error())

			ce := &ChunkError{Applied: []string{"a"}, Failed: []string{"b"}, Err: e}
			assertPrefixOnce(t, ce, cause, "*ChunkError")
			assert.True(t, strings.HasSuffix(ce.Error(), ": PUT /me/library: "+inner), ce.Error())

			pe := &prefixedError{what: "Clone", err: cause}
			assertPrefixOnce(t, pe, cause, "prefixedError")
			assert.Equal(t, "spotify: Clone: "+inner, pe.Error())
		})
	}

	// A cause of another package keeps its own prefix.
	other := errors.New("auth: token request failed")
	assert.Equal(t, "spotify: GET /me: auth: token request failed", (&Error{Method: "GET", Route: "/me", err: other}).Error())
	assert.Equal(t, "<nil>", causeText(nil))
	assert.Equal(t, fmt.Sprintf("%v", error(nil)), causeText(nil), "as %v prints it")
}
