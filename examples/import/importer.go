package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/spotifysdk/spotify-go/spotify"
)

// importer runs the pipeline:
//
//	artist ids ──submit Artists.Get + Artists.GetAlbums──▶ artistJobs
//	  ──await, write artist, walk albums (All), write album,
//	    submit Albums.GetTracks──▶ albumJobs
//	  ──await, walk tracks (All)──▶ trackIDs
//	  ──batch 50, submit Tracks.GetSeveral (or Tracks.Get each)──▶ trackJobs
//	  ──await, write tracks.
//
// Every channel is bounded, and each submission blocks while the client
// has WithConcurrency calls running, so neither memory nor the requests in
// flight grow with the size of the import. The first error (other than an
// unknown track) cancels everything.
type importer struct {
	ac    *spotify.AsyncClient
	batch bool // Tracks.GetSeveral (Extended Quota) rather than Tracks.Get
	conc  int
	sinks *sinks
	st    *stats

	missing atomic.Int64 // track ids the API did not know
}

type artistJob struct {
	id     string
	artist *spotify.Future[*spotify.Artist]
	albums *spotify.Future[*spotify.Page[spotify.SimplifiedAlbum]]
}

type albumJob struct {
	id     string
	tracks *spotify.Future[*spotify.Page[spotify.SimplifiedTrack]]
}

type trackJob struct {
	ids     []string
	several *spotify.Future[[]*spotify.Track] // batch mode
	one     *spotify.Future[*spotify.Track]   // one by one
}

// batchSize is the most ids Spotify takes per GET /tracks.
const batchSize = 50

// albumGroups leaves out appears_on: those albums belong to other
// artists' discographies, and importing them here would import their
// tracks twice.
var albumGroups = []string{"album", "single", "compilation"}

// run imports the artists and returns the first error, or nil. When ctx
// ends, it stops submitting, cancels what is in flight and returns.
func (im *importer) run(parent context.Context, artistIDs []string) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	fail := func(err error) {
		if ctx.Err() == nil {
			cancel(err)
		}
	}

	artistJobs := make(chan artistJob, im.conc)
	albumJobs := make(chan albumJob, 2*im.conc)
	trackIDs := make(chan string, 2*batchSize)
	trackJobs := make(chan trackJob, 2*im.conc)

	// Submit the artists.
	go func() {
		defer close(artistJobs)
		for _, id := range artistIDs {
			if ctx.Err() != nil {
				return
			}
			j := artistJob{
				id:     id,
				artist: im.ac.Artists.Get(ctx, id, nil),
				albums: im.ac.Artists.GetAlbums(ctx, id, &spotify.ArtistAlbumsOptions{IncludeGroups: albumGroups}),
			}
			select {
			case artistJobs <- j:
			case <-ctx.Done():
				return
			}
		}
	}()

	// Artists: write them, walk their albums, submit the albums' tracks.
	workers(im.conc, func() {
		for j := range artistJobs {
			if ctx.Err() != nil {
				continue // drain
			}
			if err := im.artist(ctx, j, albumJobs); err != nil {
				fail(err)
			}
		}
	}, func() { close(albumJobs) })

	// Albums: walk their tracks.
	workers(im.conc, func() {
		for j := range albumJobs {
			if ctx.Err() != nil {
				continue
			}
			if err := im.album(ctx, j, trackIDs); err != nil {
				fail(err)
			}
		}
	}, func() { close(trackIDs) })

	// Tracks: batch the ids and submit the details.
	go func() {
		defer close(trackJobs)
		batch := make([]string, 0, batchSize)
		flush := func() bool {
			if len(batch) == 0 {
				return true
			}
			j := trackJob{ids: batch}
			j.several = im.ac.Tracks.GetSeveral(ctx, batch, nil)
			batch = make([]string, 0, batchSize)
			select {
			case trackJobs <- j:
				return true
			case <-ctx.Done():
				return false
			}
		}
		for id := range trackIDs {
			if ctx.Err() != nil {
				continue
			}
			if !im.batch {
				j := trackJob{ids: []string{id}, one: im.ac.Tracks.Get(ctx, id, nil)}
				select {
				case trackJobs <- j:
				case <-ctx.Done():
				}
				continue
			}
			if batch = append(batch, id); len(batch) == batchSize {
				flush()
			}
		}
		if ctx.Err() == nil {
			flush()
		}
	}()

	// Await the details and write them: several collectors, so that a
	// call held up by its retries does not stall the calls behind it.
	var collectors sync.WaitGroup
	for range im.conc {
		collectors.Go(func() {
			for j := range trackJobs {
				if ctx.Err() != nil {
					continue
				}
				if err := im.tracks(ctx, j); err != nil {
					fail(err)
				}
			}
		})
	}
	collectors.Wait()

	if err := context.Cause(ctx); err != nil && parent.Err() == nil {
		return err
	}
	return parent.Err()
}

// workers starts n goroutines running fn and calls after once all of them
// returned.
func workers(n int, fn func(), after func()) {
	var wg sync.WaitGroup
	for range n {
		wg.Go(fn)
	}
	go func() {
		wg.Wait()
		after()
	}()
}

func (im *importer) artist(ctx context.Context, j artistJob, out chan<- albumJob) error {
	a, err := j.artist.Await(ctx)
	if err != nil {
		return fmt.Errorf("artist %s: %w", j.id, err)
	}
	if !im.sinks.artists.put(ctx, a) {
		return nil
	}
	page, err := j.albums.Await(ctx)
	if err != nil {
		return fmt.Errorf("albums of artist %s: %w", j.id, err)
	}
	// All follows the next links, one page ahead, through the same chain.
	for album, err := range page.All(ctx) {
		if err != nil {
			return fmt.Errorf("albums of artist %s: %w", j.id, err)
		}
		if !im.sinks.albums.put(ctx, album) {
			return nil
		}
		f := im.ac.Albums.GetTracks(ctx, album.ID, &spotify.AlbumTracksOptions{Limit: 50})
		select {
		case out <- albumJob{id: album.ID, tracks: f}:
		case <-ctx.Done():
			return nil
		}
	}
	return nil
}

func (im *importer) album(ctx context.Context, j albumJob, out chan<- string) error {
	page, err := j.tracks.Await(ctx)
	if err != nil {
		return fmt.Errorf("tracks of album %s: %w", j.id, err)
	}
	for t, err := range page.All(ctx) {
		if err != nil {
			return fmt.Errorf("tracks of album %s: %w", j.id, err)
		}
		select {
		case out <- t.ID:
		case <-ctx.Done():
			return nil
		}
	}
	return nil
}

func (im *importer) tracks(ctx context.Context, j trackJob) error {
	var ts []*spotify.Track
	if j.several != nil {
		var err error
		if ts, err = j.several.Await(ctx); err != nil {
			return fmt.Errorf("tracks %s..: %w", j.ids[0], err)
		}
	} else {
		t, err := j.one.Await(ctx)
		switch {
		case errors.Is(err, spotify.ErrNotFound):
		case err != nil:
			return fmt.Errorf("track %s: %w", j.ids[0], err)
		}
		ts = []*spotify.Track{t}
	}
	for _, t := range ts {
		if t == nil {
			im.missing.Add(1)
			continue
		}
		if !im.sinks.tracks.put(ctx, t) {
			return nil
		}
	}
	return nil
}
