package spotify_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"encoding/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/transport"
)

// These tests check that an answer holding no object (an empty body, only
// whitespace, JSON null, or a 204) never becomes a zero object or the end
// of a walk. The emulator answers real objects; a custom stage of the
// chain turns the answers it picks into one of the empty forms, the way a
// faulty server or proxy would.

// emptyForm is one way for a 2xx answer to hold no object.
type emptyForm struct {
	name   string
	status int
	body   string
}

var emptyForms = []emptyForm{
	{"empty body", http.StatusOK, ""},
	{"whitespace body", http.StatusOK, "   \n"},
	{"null body", http.StatusOK, "null"},
	{"204", http.StatusNoContent, ""},
}

// rewriteStage is a custom stage (just inside download, so the download
// stage reads what it answers) that passes each 2xx answer's status and
// body to rewrite and answers what rewrite returns instead, when its
// third result is true.
func rewriteStage(rewrite func(req *http.Request, status int, body []byte) (int, string, bool)) transport.Stage {
	return transport.Stage{Name: "rewrite", Wrap: func(next http.RoundTripper) http.RoundTripper {
		return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(req)
			if err != nil || resp.StatusCode < 200 || resp.StatusCode > 299 {
				return resp, err
			}
			body, err := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if err != nil {
				return nil, err
			}
			status, newBody, ok := rewrite(req, resp.StatusCode, body)
			if !ok {
				status, newBody = resp.StatusCode, string(body)
			}
			out := *resp
			out.StatusCode, out.Status = status, strconv.Itoa(status)+" "+http.StatusText(status)
			out.Header = resp.Header.Clone()
			out.Header.Del("Content-Length")
			out.Header.Del("ETag")
			out.ContentLength = int64(len(newBody))
			out.Body = io.NopCloser(strings.NewReader(newBody))
			return &out, nil
		})
	}}
}

// emptyStage answers form instead of every 2xx answer that pick selects
// (nil: every one).
func emptyStage(form emptyForm, pick func(*http.Request) bool) spotify.Option {
	return spotify.WithMiddleware(rewriteStage(func(req *http.Request, _ int, _ []byte) (int, string, bool) {
		if pick != nil && !pick(req) {
			return 0, "", false
		}
		return form.status, form.body, true
	}), spotify.After("download"))
}

// requireNoObject checks that err is a *DecodeError saying the answer held
// no object, naming the method and the route.
func requireNoObject(t *testing.T, err error, method, route string) *spotify.DecodeError {
	t.Helper()
	require.Error(t, err)
	var de *spotify.DecodeError
	require.True(t, errors.As(err, &de), "want a *DecodeError, got %T: %v", err, err)
	assert.Contains(t, err.Error(), "holds no object")
	if route != "" {
		assert.Equal(t, method, de.Method)
		assert.Equal(t, route, de.Route)
		assert.Contains(t, err.Error(), method+" "+route)
	}
	return de
}

// nothingReads are the read methods whose contract allows "nothing":
// Spotify answers 204 to the playback state lookups when no playback is
// active, and the methods return nil and no error.
var nothingReads = map[string]bool{"Player.GetPlaybackState": true, "Player.GetCurrentlyPlaying": true}

// TestEmptyAnswerFailsEveryRead calls every read method of both clients
// (the table of emulator_reads_test.go) with each empty form in place of
// every answer: each fails with a *DecodeError, but the two playback
// state lookups, which return nil and no error.
func TestEmptyAnswerFailsEveryRead(t *testing.T) {
	f := newReadFixture(t)
	require.NoError(t, f.srv.SetPlaying(f.user, f.track))
	ctx := context.Background()
	for _, form := range emptyForms {
		t.Run(form.name, func(t *testing.T) {
			opts := append(readClientOptions(f.srv), emptyStage(form, nil))
			c, err := spotify.NewClient(opts...)
			require.NoError(t, err)
			defer func() { _ = c.Close() }()
			ac, err := spotify.NewAsyncClient(opts...)
			require.NoError(t, err)
			defer func() { _ = ac.Close() }()
			for _, rc := range readCalls(f) {
				for name, call := range map[string]func() (any, error){
					"sync":  func() (any, error) { return rc.sync(ctx, c) },
					"async": func() (any, error) { return rc.async(ctx, ac) },
				} {
					v, err := call()
					if nothingReads[rc.name] {
						assert.NoError(t, err, "%s/%s", rc.name, name)
						assert.True(t, reflect.ValueOf(v).IsNil(), "%s/%s: want a nil result, got %v", rc.name, name, v)
						continue
					}
					var de *spotify.DecodeError
					if assert.True(t, errors.As(err, &de), "%s/%s: want a *DecodeError, got %v (result %v)", rc.name, name, err, v) {
						assert.Contains(t, err.Error(), "holds no object", "%s/%s", rc.name, name)
						assert.NotEmpty(t, de.Route, "%s/%s", rc.name, name)
					}
				}
			}
		})
	}
}

// TestEmptyAnswerAlbumsGet is the example: Albums.Get, a batch
// get, and an async method answered with each empty form fail with a
// *DecodeError that names the call.
func TestEmptyAnswerAlbumsGet(t *testing.T) {
	f := newReadFixture(t)
	ctx := context.Background()
	for _, form := range emptyForms {
		t.Run(form.name, func(t *testing.T) {
			opts := append(readClientOptions(f.srv), emptyStage(form, nil))
			c, err := spotify.NewClient(opts...)
			require.NoError(t, err)
			defer func() { _ = c.Close() }()

			a, err := c.Albums.Get(ctx, f.album, nil)
			assert.Nil(t, a)
			de := requireNoObject(t, err, http.MethodGet, "/albums/{id}")
			assert.Equal(t, form.status, de.Status)

			several, err := c.Albums.GetSeveral(ctx, f.albums, nil)
			assert.Nil(t, several)
			requireNoObject(t, err, http.MethodGet, "/albums")

			ac := c.Async()
			tr, err := ac.Tracks.Get(ctx, f.track, nil).Await(ctx)
			assert.Nil(t, tr)
			requireNoObject(t, err, http.MethodGet, "/tracks/{id}")
		})
	}
}

// TestEmptyAnswerIsNotTheEndOfAWalk walks a show's episodes two by two
// while the second page is answered with each empty form: the walk yields
// the first page and then a *DecodeError, never a quiet end.
func TestEmptyAnswerIsNotTheEndOfAWalk(t *testing.T) {
	f := newReadFixture(t)
	ctx := context.Background()
	secondPage := func(req *http.Request) bool { return req.URL.Query().Get("offset") == "2" }
	for _, form := range emptyForms {
		t.Run(form.name, func(t *testing.T) {
			c, err := spotify.NewClient(append(readClientOptions(f.srv), emptyStage(form, secondPage))...)
			require.NoError(t, err)
			defer func() { _ = c.Close() }()
			p, err := c.Shows.GetEpisodes(ctx, f.show, &spotify.ShowEpisodesOptions{Limit: 2})
			require.NoError(t, err)
			require.NotEmpty(t, p.Next)
			require.Greater(t, p.Total, 2)

			var got []string
			var errs []error
			for ep, err := range p.All(ctx) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				got = append(got, ep.ID)
			}
			assert.Len(t, got, 2, "the first page's items, then the error")
			require.Len(t, errs, 1, "the walk ends on an error, not quietly")
			requireNoObject(t, errs[0], http.MethodGet, "/shows/{id}/episodes")

			_, err = p.NextPage(ctx)
			requireNoObject(t, err, http.MethodGet, "/shows/{id}/episodes")
		})
	}
}

// nullStage rewrites answers to hold a null where a page belongs: the
// second page of new releases as {"albums": null}, and an album's first
// page of tracks. It counts the answers it rewrote.
func nullStage(nulled *atomic.Int32) spotify.Option {
	return spotify.WithMiddleware(rewriteStage(func(req *http.Request, status int, body []byte) (int, string, bool) {
		switch {
		case strings.HasSuffix(req.URL.Path, "/browse/new-releases") && req.URL.Query().Get("offset") == "2":
			nulled.Add(1)
			return status, `{"albums": null}`, true
		case strings.HasPrefix(req.URL.Path, "/v1/albums/") && strings.Count(req.URL.Path, "/") == 3:
			var m map[string]any
			if json.Unmarshal(body, &m) != nil {
				return 0, "", false
			}
			m["tracks"] = nil
			b, err := json.Marshal(m)
			if err != nil {
				return 0, "", false
			}
			nulled.Add(1)
			return status, string(b), true
		}
		return 0, "", false
	}), spotify.After("download"))
}

// TestEmptyAnswerNullPageMember walks new releases (answers that wrap the
// page: {"albums": {page}}) whose second page is {"albums": null}: the
// walk yields the first page and a *DecodeError, not a quiet end.
func TestEmptyAnswerNullPageMember(t *testing.T) {
	f := newReadFixture(t)
	ctx := context.Background()
	var nulled atomic.Int32
	c, err := spotify.NewClient(append(readClientOptions(f.srv), nullStage(&nulled))...)
	require.NoError(t, err)
	defer func() { _ = c.Close() }()

	p, err := c.Albums.GetNewReleases(ctx, &spotify.NewReleasesOptions{Limit: 2})
	require.NoError(t, err)
	require.NotEmpty(t, p.Next)
	n := 0
	var errs []error
	for _, err := range p.All(ctx) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	assert.Equal(t, int32(1), nulled.Load())
	assert.Equal(t, 2, n)
	require.Len(t, errs, 1, "the walk ends on an error, not quietly")
	de := requireNoObject(t, errs[0], http.MethodGet, "/browse/new-releases")
	assert.Contains(t, de.Error(), `its "albums" member is null`)
}

// TestEmptyAnswerNullNestedPage answers an album whose first page of
// tracks is null: the album does not come back with no tracks and no next
// link, as if it had none.
func TestEmptyAnswerNullNestedPage(t *testing.T) {
	f := newReadFixture(t)
	ctx := context.Background()
	var nulled atomic.Int32
	c, err := spotify.NewClient(append(readClientOptions(f.srv), nullStage(&nulled))...)
	require.NoError(t, err)
	defer func() { _ = c.Close() }()

	a, err := c.Albums.Get(ctx, f.album, nil)
	assert.Equal(t, int32(1), nulled.Load())
	assert.True(t, a == nil, "no album comes back")
	var de *spotify.DecodeError
	require.True(t, errors.As(err, &de), "an album whose tracks page is null: want a *DecodeError, got %v", err)
	assert.Equal(t, "/albums/{id}", de.Route)
	assert.Contains(t, err.Error(), "the page is null")
}

// TestEmptyAnswerKeepsNullEntries checks that a batch get still keeps
// Spotify's null entry for an unknown id (the emulator sends one) as a nil
// result: only a null where the whole result belongs is refused.
func TestEmptyAnswerKeepsNullEntries(t *testing.T) {
	f := newReadFixture(t)
	ctx := context.Background()
	c := newReadClient(t, f.srv)
	defer func() { _ = c.Close() }()
	got, err := c.Tracks.GetSeveral(ctx, []string{"0000000000000000000000", f.track}, nil)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Nil(t, got[0], "an unknown id is a nil entry")
	require.NotNil(t, got[1])
	assert.Equal(t, f.track, got[1].ID)
}

// TestEmptyAnswerPlayerCommandsAndState checks the methods whose contract
// allows "nothing": a player command answered 204 (as Spotify does), or
// with any other empty form, returns nil; the playback state lookups
// return nil and no error for every empty form.
func TestEmptyAnswerPlayerCommandsAndState(t *testing.T) {
	f := newReadFixture(t)
	ctx := context.Background()
	require.NoError(t, f.srv.SetPlaying(f.user, f.track))

	plain := newReadClient(t, f.srv)
	defer func() { _ = plain.Close() }()
	f.srv.ResetCounters()
	require.NoError(t, plain.Player.PausePlayback(ctx, nil), "a player command answered 204 returns nil")
	assert.Equal(t, 1, f.srv.Statuses("PUT /v1/me/player/pause")[http.StatusNoContent], "the emulator answered 204")

	for _, form := range emptyForms {
		t.Run(form.name, func(t *testing.T) {
			c, err := spotify.NewClient(append(readClientOptions(f.srv), emptyStage(form, nil))...)
			require.NoError(t, err)
			defer func() { _ = c.Close() }()
			assert.NoError(t, c.Player.StartPlayback(ctx, nil))
			assert.NoError(t, c.Player.PausePlayback(ctx, nil))
			assert.NoError(t, c.Player.SetVolume(ctx, 40, nil))
			st, err := c.Player.GetPlaybackState(ctx, nil)
			assert.NoError(t, err)
			assert.Nil(t, st)
			cp, err := c.Async().Player.GetCurrentlyPlaying(ctx, nil).Await(ctx)
			assert.NoError(t, err)
			assert.Nil(t, cp)
		})
	}
}
