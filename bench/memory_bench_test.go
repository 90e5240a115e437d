package bench

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/spotifysdk/spotify-go/spotify"
)

// sampleInMemory answers every request in memory with body and the headers
// sampleServer gives a plain id (Cache-Control: private, max-age=0, no
// ETag), so nothing is served from a cache.
type sampleInMemory struct{ body []byte }

func (m sampleInMemory) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return &http.Response{
		StatusCode: http.StatusOK,
		Header: http.Header{
			"Content-Type":   {"application/json; charset=utf-8"},
			"Cache-Control":  {"private, max-age=0"},
			"Content-Length": {strconv.Itoa(len(m.body))},
		},
		Body:          io.NopCloser(bytes.NewReader(m.body)),
		ContentLength: int64(len(m.body)),
		Request:       req,
	}, nil
}

// BenchmarkTrackGetMemory is BenchmarkTrackGet with the network taken out:
// raw net/http with the SDK's codec and the SDK's client send through the
// same in-memory transport, so the difference is the client's own CPU and
// allocations per call (its call layer and every stage), measured without
// the loopback's noise. It is the benchmark to profile the per-call cost
// with (-cpuprofile, -memprofile).
func BenchmarkTrackGetMemory(b *testing.B) {
	rt := sampleInMemory{trackSample(b)}
	const base = "https://api.spotify.com/v1" // never dialled: the transport answers
	b.Run("raw-codec", func(b *testing.B) {
		hc := &http.Client{Transport: rt}
		url := base + "/tracks/" + trackID
		loop(b, func() error {
			return rawGet(hc, url, func(resp *http.Response) error {
				data, err := readBody(resp)
				if err != nil {
					return err
				}
				var v spotify.Track
				return spotify.Unmarshal(data, &v)
			})
		})
	})
	b.Run("spotify-go", func(b *testing.B) {
		c := newSDKClient(b, base, spotify.WithHTTPClient(&http.Client{Transport: rt}))
		ctx := context.Background()
		loop(b, func() error {
			_, err := c.Tracks.Get(ctx, trackID, nil)
			return err
		})
	})
	// The same call on a context that can end, as a server handler's or an
	// errgroup's usually is: the client then binds the call to its
	// lifetime with a cancel of its own, and the attempt gets a deadline
	// of its own.
	b.Run("spotify-go-cancellable", func(b *testing.B) {
		c := newSDKClient(b, base, spotify.WithHTTPClient(&http.Client{Transport: rt}))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		loop(b, func() error {
			_, err := c.Tracks.Get(ctx, trackID, nil)
			return err
		})
	})
}
