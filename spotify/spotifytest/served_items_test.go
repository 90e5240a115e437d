package spotifytest

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// uriOf returns the URI of the i-th item of k in catalogue order.
func uriOf(t testing.TB, srv *Server, k Kind, i int) string {
	t.Helper()
	index := -1
	n := 0
	for idx := range srv.Catalog().All(k) {
		if n == i {
			index = idx
			break
		}
		n++
	}
	require.GreaterOrEqual(t, index, 0, "catalogue has fewer than %d %ss", i+1, k)
	return srv.Catalog().URI(k, index)
}

// idOfURI returns the id part of a URI.
func idOfURI(uri string) string { return uri[strings.LastIndexByte(uri, ':')+1:] }

func TestTimesServedSingleAndBatch(t *testing.T) {
	srv := start(t)
	tok := srv.Token()
	t0, t1, t2 := uriOf(t, srv, KindTrack, 0), uriOf(t, srv, KindTrack, 1), uriOf(t, srv, KindTrack, 2)
	al, ar := uriOf(t, srv, KindAlbum, 3), uriOf(t, srv, KindArtist, 4)
	for _, u := range []string{t0, t1, t2, al, ar} {
		assert.Zero(t, srv.TimesServed(u), "%s before any request", u)
	}

	status, _ := fetch(t, srv, tok, "/v1/tracks/"+idOfURI(t0))
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, 1, srv.TimesServed(t0))

	status, _ = fetch(t, srv, tok, "/v1/tracks?ids="+idOfURI(t0)+","+idOfURI(t1)+","+idOfURI(t0))
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, 3, srv.TimesServed(t0), "a batch naming a track twice counts it twice")
	assert.Equal(t, 1, srv.TimesServed(t1))
	assert.Zero(t, srv.TimesServed(t2), "a track nobody asked for")

	status, _ = fetch(t, srv, tok, "/v1/albums/"+idOfURI(al))
	require.Equal(t, http.StatusOK, status)
	status, _ = fetch(t, srv, tok, "/v1/artists?ids="+idOfURI(ar))
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, 1, srv.TimesServed(al))
	assert.Equal(t, 1, srv.TimesServed(ar))

	// An album's track listing names tracks without counting them.
	page := getObj(t, srv, "/v1/albums/"+idOfURI(al)+"/tracks")
	listed := idsOf(items(t, page))
	require.NotEmpty(t, listed)
	for _, id := range listed {
		assert.Zero(t, srv.TimesServed("spotify:track:"+id), "listed track %s", id)
	}
	assert.Equal(t, 1, srv.TimesServed(al), "the listing is not a get of the album")

	// A request that failed before the handler counts nothing.
	status, _ = fetch(t, srv, "", "/v1/tracks/"+idOfURI(t2))
	require.Equal(t, http.StatusUnauthorized, status)
	assert.Zero(t, srv.TimesServed(t2))

	srv.ResetCounters()
	assert.Zero(t, srv.TimesServed(t0), "ResetCounters forgets the counts")
	status, _ = fetch(t, srv, tok, "/v1/tracks/"+idOfURI(t0))
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, 1, srv.TimesServed(t0))
}

func TestTimesServedRejectsOtherURIs(t *testing.T) {
	srv := start(t)
	t0 := uriOf(t, srv, KindTrack, 0)
	status, _ := fetch(t, srv, srv.Token(), "/v1/tracks/"+idOfURI(t0))
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, 1, srv.TimesServed(t0))
	for _, u := range []string{
		"spotify:album:" + idOfURI(t0), // the id is a track's
		idOfURI(t0),                    // not a URI
		"track:" + idOfURI(t0),         // no scheme
		"spotify:track:4uLU6hMCjMI75M1A2tKUQC",
		"",
	} {
		assert.Zero(t, srv.TimesServed(u), "%q", u)
	}
}

func TestTimesServedUnderFaults(t *testing.T) {
	const route = "GET /v1/tracks/{id}"
	srv := start(t, WithFaults(
		FaultPlan{Route: route, Kind: Fault503, Count: 1},
		FaultPlan{Route: route, Kind: FaultResetBefore, Count: 1},
		FaultPlan{Route: route, Kind: Fault429, Count: 1, RetryAfter: time.Millisecond},
		FaultPlan{Route: route, Kind: FaultResetAfter, Count: 1},
	))
	tok := srv.Token()
	uri := uriOf(t, srv, KindTrack, 7)
	path := "/v1/tracks/" + idOfURI(uri)
	cl := freshClient(t)

	resp, err := send(t, cl, srv, tok, path)
	require.NoError(t, err)
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	_, err = send(t, cl, srv, tok, path)
	require.Error(t, err, "reset before")
	resp, err = send(t, cl, srv, tok, path)
	require.NoError(t, err)
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Zero(t, srv.TimesServed(uri), "no handler ran yet")

	_, err = send(t, cl, srv, tok, path)
	require.Error(t, err, "reset after")
	assert.Equal(t, 1, srv.TimesServed(uri), "the handler of a reset-after answer ran")

	resp, err = send(t, cl, srv, tok, path)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 2, srv.TimesServed(uri))
	assert.Equal(t, map[FaultKind]int{Fault503: 1, FaultResetBefore: 1, Fault429: 1, FaultResetAfter: 1}, srv.Faults(route))
}

func TestTimesServedConcurrent(t *testing.T) {
	srv := start(t)
	tok := srv.Token()
	a, b := uriOf(t, srv, KindTrack, 0), uriOf(t, srv, KindTrack, 1)
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Go(func() {
			for range each {
				req, err := http.NewRequest(http.MethodGet, srv.URL+"/v1/tracks?ids="+idOfURI(a)+","+idOfURI(b), nil)
				if err != nil {
					errs <- err
					return
				}
				req.Header.Set("Authorization", "Bearer "+tok)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, workers*each, srv.TimesServed(a))
	assert.Equal(t, workers*each, srv.TimesServed(b))
}

func TestTimesServedAudioKinds(t *testing.T) {
	srv := start(t)
	tok := srv.Token()
	for _, tc := range []struct {
		k          Kind
		one, batch string
	}{
		{KindShow, "/v1/shows/", "/v1/shows?ids="},
		{KindEpisode, "/v1/episodes/", "/v1/episodes?ids="},
		{KindAudiobook, "/v1/audiobooks/", "/v1/audiobooks?ids="},
		{KindChapter, "/v1/chapters/", "/v1/chapters?ids="},
	} {
		u := uriOf(t, srv, tc.k, 0)
		status, _ := fetch(t, srv, tok, tc.one+idOfURI(u))
		require.Equal(t, http.StatusOK, status, tc.one)
		status, _ = fetch(t, srv, tok, tc.batch+idOfURI(u))
		require.Equal(t, http.StatusOK, status, tc.batch)
		assert.Equal(t, 2, srv.TimesServed(u), "%s: one single and one batch get", u)
	}
}
