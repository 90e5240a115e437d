package spotify

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// corePage writes a page of tracks with the given ids and next link ("" for
// none).
func corePage(ids []string, offset, total int, next string) string {
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = fmt.Sprintf(`{"id":%q,"name":"Track %s","type":"track","uri":"spotify:track:%s"}`, id, id, id)
	}
	nx := "null"
	if next != "" {
		nx = strconv.Quote(next)
	}
	return fmt.Sprintf(`{"href":"h","items":[%s],"limit":2,"next":%s,"offset":%d,"previous":null,"total":%d}`,
		strings.Join(items, ","), nx, offset, total)
}

// corePages serves /albums/x/tracks from pages keyed by offset; each page's
// next points at the test server's next offset.
func corePages(ts *testServer, pages map[int][]string, last int) {
	ts.Mux.HandleFunc("/albums/x/tracks", func(w http.ResponseWriter, r *http.Request) {
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		ids, ok := pages[off]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		next := ""
		if off < last {
			next = fmt.Sprintf("%s/v1/albums/x/tracks?offset=%d&limit=2", ts.URL, off+2)
		}
		_, _ = io.WriteString(w, corePage(ids, off, last+2, next))
	})
}

// coreCollect walks seq and returns the ids and the errors it yielded.
func coreCollect(t *testing.T, p *Page[SimplifiedTrack]) (ids []string, errs []error) {
	t.Helper()
	for tr, err := range p.All(context.Background()) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, tr.ID)
	}
	return ids, errs
}

func TestCorePagingAllWalksEveryPage(t *testing.T) {
	ts := newTestServer(t)
	corePages(ts, map[int][]string{0: {"t1", "t2"}, 2: {"t3", "t4"}, 4: {"t5"}}, 4)
	c := coreClient(t, ts, WithAccessToken("tok"))
	p, err := c.Albums.GetTracks(context.Background(), "x", &AlbumTracksOptions{Limit: 2})
	require.NoError(t, err)
	ids, errs := coreCollect(t, p)
	assert.Empty(t, errs)
	assert.Equal(t, []string{"t1", "t2", "t3", "t4", "t5"}, ids)
	reqs := ts.requests()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		assert.Equal(t, "/albums/x/tracks", r.Path)
		assert.Equal(t, strconv.Itoa(2*i), r.Query.Get("offset"))
		assert.Equal(t, "Bearer tok", r.Header.Get("Authorization"))
	}
}

func TestCorePagingNextPage(t *testing.T) {
	ts := newTestServer(t)
	corePages(ts, map[int][]string{0: {"t1", "t2"}, 2: {"t3"}}, 2)
	c := coreClient(t, ts, WithAccessToken("tok"))
	p, err := c.Albums.GetTracks(context.Background(), "x", &AlbumTracksOptions{Limit: 2})
	require.NoError(t, err)
	p2, err := p.NextPage(context.Background())
	require.NoError(t, err)
	require.Len(t, p2.Items, 1)
	assert.Equal(t, "t3", p2.Items[0].ID)
	assert.Equal(t, 2, p2.Offset)
	_, err = p2.NextPage(context.Background())
	assert.ErrorIs(t, err, ErrNoMorePages)
	assert.Len(t, ts.requests(), 2)

	// A page nobody bound (decoded by hand) has no next page to fetch.
	var loose Page[SimplifiedTrack]
	require.NoError(t, decodeJSON([]byte(corePage([]string{"a"}, 0, 9, ts.URL+"/v1/albums/x/tracks?offset=2")), &loose))
	_, err = loose.NextPage(context.Background())
	assert.ErrorIs(t, err, ErrNoMorePages)
	assert.Len(t, ts.requests(), 2)
}

func TestCorePagingSurvivesAnEmptyPage(t *testing.T) {
	ts := newTestServer(t)
	corePages(ts, map[int][]string{0: {"t1", "t2"}, 2: {}, 4: {"t5"}}, 4)
	c := coreClient(t, ts, WithAccessToken("tok"))
	p, err := c.Albums.GetTracks(context.Background(), "x", &AlbumTracksOptions{Limit: 2})
	require.NoError(t, err)
	ids, errs := coreCollect(t, p)
	assert.Empty(t, errs)
	assert.Equal(t, []string{"t1", "t2", "t5"}, ids)
}

func TestCorePagingStopsOnEndlessEmptyPages(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/x/tracks", func(w http.ResponseWriter, r *http.Request) {
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		_, _ = io.WriteString(w, corePage(nil, off, 1000, fmt.Sprintf("%s/v1/albums/x/tracks?offset=%d", ts.URL, off+2)))
	})
	c := coreClient(t, ts, WithAccessToken("tok"))
	p, err := c.Albums.GetTracks(context.Background(), "x", nil)
	require.NoError(t, err)
	ids, errs := coreCollect(t, p)
	assert.Empty(t, ids)
	require.Len(t, errs, 1, "a cut walk says so")
	assert.ErrorIs(t, errs[0], ErrEmptyPages)
	assert.Less(t, len(ts.requests()), 20, "a server of endless empty pages does not loop All forever")
}

func TestCorePagingBreakStopsThePrefetch(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	ts := newTestServer(t)
	var mu sync.Mutex
	cancelled := false
	arrived := make(chan struct{}, 1)
	ts.Mux.HandleFunc("/albums/x/tracks", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") == "0" {
			_, _ = io.WriteString(w, corePage([]string{"t1", "t2"}, 0, 4, ts.URL+"/v1/albums/x/tracks?offset=2"))
			return
		}
		arrived <- struct{}{}
		select { // the prefetch hangs until the client gives up on it
		case <-r.Context().Done():
			mu.Lock()
			cancelled = true
			mu.Unlock()
		case <-time.After(10 * time.Second):
		}
	})
	c, err := NewClient(WithAccessToken("tok"), WithBaseURL(ts.URL+"/v1"), WithCache(nil))
	require.NoError(t, err)
	p, err := c.Albums.GetTracks(context.Background(), "x", nil)
	require.NoError(t, err)

	var got []string
	for tr, err := range p.All(context.Background()) {
		require.NoError(t, err)
		got = append(got, tr.ID)
		<-arrived // the prefetch of the second page is in flight
		break
	}
	assert.Equal(t, []string{"t1"}, got)
	require.NoError(t, c.Close())
	ts.Close() // waits for the handler, which returns once the prefetch is cancelled
	mu.Lock()
	assert.True(t, cancelled, "breaking the loop cancels the prefetch")
	mu.Unlock()
	goleak.VerifyNone(t, ignore)
}

func TestCorePagingRefusesNextLinksOffTheBase(t *testing.T) {
	for _, link := range []string{
		"https://evil.example.com/v1/albums/x/tracks?offset=2",
		"https://api.spotify.com/v1/albums/x/tracks?offset=2", // the base is the test server
		"http://127.0.0.1:1/v1/albums/x/tracks?offset=2",      // another port
		"//evil.example.com/v1/albums/x/tracks?offset=2",      // another host, scheme-relative
		"{ts}/v1/../admin?offset=2",                           // out of the base path
		"{ts}/v2/albums/x/tracks?offset=2",
		"http://user:pw@{host}/v1/albums/x/tracks?offset=2",
	} {
		t.Run(link, func(t *testing.T) {
			ts := newTestServer(t)
			next := strings.NewReplacer("{ts}", ts.URL, "{host}", ts.Listener.Addr().String()).Replace(link)
			ts.Mux.HandleFunc("/albums/x/tracks", func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, corePage([]string{"t1", "t2"}, 0, 4, next))
			})
			var mu sync.Mutex
			var sent []string
			base := http.DefaultTransport.(*http.Transport).Clone()
			t.Cleanup(base.CloseIdleConnections)
			rec := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				mu.Lock()
				sent = append(sent, r.URL.String())
				mu.Unlock()
				return base.RoundTrip(r)
			})}
			c := coreClient(t, ts, WithAccessToken("tok"), WithHTTPClient(rec))
			p, err := c.Albums.GetTracks(context.Background(), "x", nil)
			require.NoError(t, err)

			_, err = p.NextPage(context.Background())
			require.Error(t, err)
			assert.NotErrorIs(t, err, ErrNoMorePages)
			assert.Contains(t, err.Error(), "base URL")
			assert.NotContains(t, err.Error(), "pw@")

			ids, errs := coreCollect(t, p)
			assert.Equal(t, []string{"t1", "t2"}, ids)
			assert.Len(t, errs, 1, "the refusal is yielded once")

			mu.Lock()
			defer mu.Unlock()
			require.Len(t, sent, 1, "only the first page was requested: %v", sent)
			assert.True(t, strings.HasPrefix(sent[0], ts.URL+"/v1/"))
		})
	}
}

func TestCorePagingFollowsRelativeNextLinks(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/x/tracks", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("offset") {
		case "0":
			_, _ = io.WriteString(w, corePage([]string{"t1"}, 0, 3, "/v1/albums/x/tracks?offset=1"))
		case "1":
			_, _ = io.WriteString(w, corePage([]string{"t2"}, 1, 3, "albums/x/tracks?offset=2"))
		default:
			_, _ = io.WriteString(w, corePage([]string{"t3"}, 2, 3, ""))
		}
	})
	c := coreClient(t, ts, WithAccessToken("tok"))
	p, err := c.Albums.GetTracks(context.Background(), "x", nil)
	require.NoError(t, err)
	ids, errs := coreCollect(t, p)
	assert.Empty(t, errs)
	assert.Equal(t, []string{"t1", "t2", "t3"}, ids, "host-relative and base-relative links resolve against the base URL")
	for _, r := range ts.requests() {
		assert.Equal(t, "/albums/x/tracks", r.Path)
	}
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestCorePagingErrorMidWalk(t *testing.T) {
	ts := newTestServer(t)
	corePages(ts, map[int][]string{0: {"t1", "t2"}, 4: {"t5"}}, 4) // offset 2 answers 404
	c := coreClient(t, ts, WithAccessToken("tok"))
	p, err := c.Albums.GetTracks(context.Background(), "x", &AlbumTracksOptions{Limit: 2})
	require.NoError(t, err)
	ids, errs := coreCollect(t, p)
	assert.Equal(t, []string{"t1", "t2"}, ids)
	require.Len(t, errs, 1, "the error is yielded once and ends the loop")
	assert.ErrorIs(t, errs[0], ErrNotFound)
	var e *Error
	require.ErrorAs(t, errs[0], &e)
	assert.Equal(t, "/albums/{id}/tracks", e.Route)
	assert.Len(t, ts.requests(), 2)
}

func TestCorePagingContextCancelled(t *testing.T) {
	ts := newTestServer(t)
	corePages(ts, map[int][]string{0: {"t1", "t2"}, 2: {"t3"}}, 2)
	c := coreClient(t, ts, WithAccessToken("tok"))
	p, err := c.Albums.GetTracks(context.Background(), "x", &AlbumTracksOptions{Limit: 2})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var errs []error
	for _, err := range p.All(ctx) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
}

func TestCorePagingOffsetCap(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/search", func(w http.ResponseWriter, r *http.Request) {
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		next := fmt.Sprintf("%s/v1/search?q=x&type=track&offset=%d&limit=50", ts.URL, off+50)
		fmt.Fprintf(w, `{"tracks":%s}`, corePage([]string{fmt.Sprintf("s%d", off)}, off, 5000, next))
	})
	c := coreClient(t, ts, WithAccessToken("tok"))

	// A page at offset 900 whose next goes to 950, then 1000: the walk
	// fetches 950 (unwrapping "tracks") and stops at the cap.
	var p Page[SimplifiedTrack]
	require.NoError(t, decodeJSON([]byte(corePage([]string{"s900"}, 900, 5000, ts.URL+"/v1/search?q=x&type=track&offset=950&limit=50")), &p))
	p.bind(c, opSearch, "tracks")
	ids, errs := coreCollect(t, &p)
	assert.Empty(t, errs)
	assert.Equal(t, []string{"s900", "s950"}, ids)
	reqs := ts.requests()
	require.Len(t, reqs, 1, "offset=1000 is not requested")
	assert.Equal(t, "950", reqs[0].Query.Get("offset"))

	var last Page[SimplifiedTrack]
	require.NoError(t, decodeJSON([]byte(corePage([]string{"s950"}, 950, 5000, ts.URL+"/v1/search?q=x&type=track&offset=1000&limit=50")), &last))
	last.bind(c, opSearch, "tracks")
	_, err := last.NextPage(context.Background())
	assert.ErrorIs(t, err, ErrNoMorePages)
	assert.Len(t, ts.requests(), 1)
}

func TestCoreCursorPageAll(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/me/following", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("after") {
		case "":
			fmt.Fprintf(w, `{"artists":{"href":"h","items":[{"id":"r1","name":"A"},{"id":"r2","name":"B"}],"limit":2,"next":%q,"cursors":{"after":"r2"},"total":3}}`,
				ts.URL+"/v1/me/following?type=artist&after=r2&limit=2")
		case "r2":
			_, _ = io.WriteString(w, `{"artists":{"href":"h","items":[{"id":"r3","name":"C"}],"limit":2,"next":null,"cursors":{"after":null},"total":3}}`)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
	c := coreClient(t, ts, WithAccessToken("tok"))
	var wrapper struct {
		Artists CursorPage[Artist] `json:"artists"`
	}
	_, err := c.call(context.Background(), &call{op: opGetFollowedArtists, query: map[string][]string{"type": {"artist"}}}, &wrapper)
	require.NoError(t, err)
	p := wrapper.Artists.bind(c, opGetFollowedArtists, "artists")
	var ids []string
	for a, err := range p.All(context.Background()) {
		require.NoError(t, err)
		ids = append(ids, a.ID)
	}
	assert.Equal(t, []string{"r1", "r2", "r3"}, ids)
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "r2", reqs[1].Query.Get("after"))
}

// TestCorePagingNoObjectOnANextPageIsAnError answers the second page of an
// offset walk and of a cursor walk with each form of an answer without an
// object: each walk yields the first page and then a *DecodeError, never a
// quiet end; NextPage returns the same error.
func TestCorePagingNoObjectOnANextPageIsAnError(t *testing.T) {
	for _, form := range []struct {
		name   string
		status int
		body   string
		// wrapped: only for the cursor walk, whose answers wrap the page
		// ({"artists": {page}}).
		wrapped bool
	}{
		{"empty", http.StatusOK, "", false},
		{"whitespace", http.StatusOK, "   \n", false},
		{"null", http.StatusOK, "null", false},
		{"wrapped null", http.StatusOK, `{"artists":null}`, true},
		{"204", http.StatusNoContent, "", false},
	} {
		t.Run(form.name, func(t *testing.T) {
			ts := newTestServer(t)
			answer := func(w http.ResponseWriter) {
				w.WriteHeader(form.status)
				_, _ = io.WriteString(w, form.body)
			}
			ts.Mux.HandleFunc("/albums/x/tracks", func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Query().Get("offset") == "2" {
					answer(w)
					return
				}
				_, _ = io.WriteString(w, corePage([]string{"t1", "t2"}, 0, 4, ts.URL+"/v1/albums/x/tracks?offset=2&limit=2"))
			})
			ts.Mux.HandleFunc("/me/following", func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Query().Get("after") == "r2" {
					answer(w)
					return
				}
				fmt.Fprintf(w, `{"artists":{"href":"h","items":[{"id":"r1","name":"A"},{"id":"r2","name":"B"}],"limit":2,"next":%q,"cursors":{"after":"r2"},"total":3}}`,
					ts.URL+"/v1/me/following?type=artist&after=r2&limit=2")
			})
			c := coreClient(t, ts, WithAccessToken("tok"))
			ctx := context.Background()

			var de *DecodeError
			if !form.wrapped {
				p, err := c.Albums.GetTracks(ctx, "x", &AlbumTracksOptions{Limit: 2})
				require.NoError(t, err)
				ids, errs := coreCollect(t, p)
				assert.Equal(t, []string{"t1", "t2"}, ids)
				require.Len(t, errs, 1, "the walk ends on an error, not quietly")
				require.ErrorAs(t, errs[0], &de)
				assert.True(t, de.NoObject)
				assert.Equal(t, "/albums/{id}/tracks", de.Route)
				_, err = p.NextPage(ctx)
				assert.ErrorAs(t, err, &de)
			}

			cp, err := c.Users.GetFollowedArtists(ctx, nil)
			require.NoError(t, err)
			var names []string
			var errs []error
			for a, err := range cp.All(ctx) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				names = append(names, a.ID)
			}
			assert.Equal(t, []string{"r1", "r2"}, names)
			require.Len(t, errs, 1, "the cursor walk ends on an error, not quietly")
			require.ErrorAs(t, errs[0], &de)
			assert.True(t, de.NoObject)
			assert.Equal(t, "/me/following", de.Route)
			assert.Contains(t, errs[0].Error(), "spotify: GET /me/following: ")
		})
	}
}
