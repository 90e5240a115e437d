package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/spotifysdk/spotify-go/spotify"
)

// importer imports artists unit by unit: a unit is an artist with its
// albums and tracks, fetched whole into memory and then committed (see
// commit.go). Within a unit the pieces of work run at once through the
// AsyncClient:
//
//	Artists.Get ─┐
//	Artists.GetAlbums (all pages) ──▶ Albums.GetTracks (all pages), each album at once
//	                                  ──▶ Tracks.GetSeveral in batches of 50 (or Tracks.Get each)
//	──▶ commit
//
// Each piece (the artist, its album pages, an album's track pages, a
// track batch) that fails after the chain's retries is tried again with
// backoff (retry.go) while the other units go on; a unit whose piece fails
// for good is written to the failures file and left for -resume. Twice as
// many units run as the client has calls in flight, so that a unit waiting
// out a backoff does not leave the client idle; the client's
// WithConcurrency bounds the requests.
type importer struct {
	ac     *spotify.AsyncClient
	batch  bool // Tracks.GetSeveral (Extended Quota) rather than Tracks.Get
	conc   int
	com    *committer
	fails  *failureLog
	policy retryPolicy

	retries atomic.Int64 // pieces the import tried again after the chain gave up
	missing atomic.Int64 // track ids the API did not know
}

// batchSize is the most ids Spotify takes per GET /tracks.
const batchSize = 50

// albumGroups leaves out appears_on: those albums belong to other
// artists' discographies, and importing them here would import their
// tracks twice.
var albumGroups = []string{"album", "single", "compilation"}

// run imports the artists. It returns when every unit is committed or
// failed, or when ctx ends (then what is in flight is dropped: -resume
// does it again), or on the first error writing the outputs.
func (im *importer) run(parent context.Context, artistIDs []string) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)

	queue := make(chan string)
	go func() {
		defer close(queue)
		for _, id := range artistIDs {
			select {
			case queue <- id:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range 2 * im.conc {
		wg.Go(func() {
			for id := range queue {
				if err := im.unit(ctx, id); err != nil {
					cancel(err)
				}
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil && parent.Err() == nil {
		return err
	}
	return parent.Err()
}

// unit imports one artist: it fetches the unit, then commits it or
// records its failure. Only a failure to write is returned.
func (im *importer) unit(ctx context.Context, id string) error {
	groups, err := im.fetch(ctx, id)
	switch {
	case ctx.Err() != nil:
		return nil // interrupted: nothing of the unit was written
	case err != nil:
		im.fails.add(id, err)
		return nil
	}
	u, err := encodeUnit(id, groups)
	if err != nil {
		return err
	}
	return im.com.commit(u)
}

// fetch gets an artist's records: the artist, its albums and their tracks.
func (im *importer) fetch(parent context.Context, id string) ([3][]any, error) {
	var out [3][]any
	g, ctx := errgroup.WithContext(parent)
	var artist *spotify.Artist
	var albums []spotify.SimplifiedAlbum
	g.Go(func() (err error) {
		artist, err = retried(ctx, im.policy, &im.retries, func(ctx context.Context) (*spotify.Artist, error) {
			return im.ac.Artists.Get(ctx, id, nil).Await(ctx)
		})
		return wrap(err, "artist %s", id)
	})
	g.Go(func() (err error) {
		albums, err = retried(ctx, im.policy, &im.retries, func(ctx context.Context) ([]spotify.SimplifiedAlbum, error) {
			f := im.ac.Artists.GetAlbums(ctx, id, &spotify.ArtistAlbumsOptions{IncludeGroups: albumGroups})
			return collect(ctx, f)
		})
		return wrap(err, "albums of artist %s", id)
	})
	if err := g.Wait(); err != nil {
		return out, err
	}

	// Each album's tracks, all albums at once.
	g, ctx = errgroup.WithContext(parent)
	trackLists := make([][]spotify.SimplifiedTrack, len(albums))
	for i, al := range albums {
		g.Go(func() (err error) {
			trackLists[i], err = retried(ctx, im.policy, &im.retries, func(ctx context.Context) ([]spotify.SimplifiedTrack, error) {
				return collect(ctx, im.ac.Albums.GetTracks(ctx, al.ID, &spotify.AlbumTracksOptions{Limit: 50}))
			})
			return wrap(err, "tracks of album %s", al.ID)
		})
	}
	if err := g.Wait(); err != nil {
		return out, err
	}

	// The tracks' details, batch by batch (or one by one), all at once.
	var ids []string
	for _, ts := range trackLists {
		for _, t := range ts {
			ids = append(ids, t.ID)
		}
	}
	size := 1
	if im.batch {
		size = batchSize
	}
	g, ctx = errgroup.WithContext(parent)
	details := make([][]*spotify.Track, (len(ids)+size-1)/size)
	for b := range details {
		batch := ids[b*size : min((b+1)*size, len(ids))]
		g.Go(func() (err error) {
			details[b], err = retried(ctx, im.policy, &im.retries, func(ctx context.Context) ([]*spotify.Track, error) {
				return im.tracks(ctx, batch)
			})
			return wrap(err, "tracks %s..", batch[0])
		})
	}
	if err := g.Wait(); err != nil {
		return out, err
	}

	out[0] = []any{artist}
	for _, al := range albums {
		out[1] = append(out[1], al)
	}
	for _, ts := range details {
		for _, t := range ts {
			if t == nil {
				im.missing.Add(1)
				continue
			}
			out[2] = append(out[2], t)
		}
	}
	return out, nil
}

// tracks gets the details of a batch of tracks: one GET /tracks, or in
// Development Mode one GET /tracks/{id} (a batch of one). An id the API
// does not know comes back nil.
func (im *importer) tracks(ctx context.Context, ids []string) ([]*spotify.Track, error) {
	if im.batch {
		return im.ac.Tracks.GetSeveral(ctx, ids, nil).Await(ctx)
	}
	t, err := im.ac.Tracks.Get(ctx, ids[0], nil).Await(ctx)
	if errors.Is(err, spotify.ErrNotFound) {
		return []*spotify.Track{nil}, nil
	}
	return []*spotify.Track{t}, err
}

// collect awaits a first page and walks the rest (All follows the next
// links, one page ahead, through the same chain).
func collect[T any](ctx context.Context, f *spotify.Future[*spotify.Page[T]]) ([]T, error) {
	page, err := f.Await(ctx)
	if err != nil {
		return nil, err
	}
	var items []T
	for it, err := range page.All(ctx) {
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return items, nil
}

// wrap prefixes err (when not nil) with what failed.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
