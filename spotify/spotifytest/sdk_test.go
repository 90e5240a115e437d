package spotifytest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// These tests read the emulator through the SDK: the emulator's own JSON,
// decoded by the SDK's models, found by the SDK's routes.

func newClient(t *testing.T, opts ...spotifytest.Option) (*spotifytest.Server, *spotify.Client) {
	t.Helper()
	srv := spotifytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := srv.Client(spotify.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return srv, c
}

func TestSDKReadsCatalogue(t *testing.T) {
	srv, c := newClient(t)
	ctx := context.Background()
	cat := srv.Catalog()
	alID := cat.IDs(spotifytest.KindAlbum, 1)[0]

	al, err := c.Albums.Get(ctx, alID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if al.ID != alID || al.Tracks.Total == 0 || len(al.Tracks.Items) != al.Tracks.Total {
		t.Fatalf("album %s: %d of %d tracks", al.ID, len(al.Tracks.Items), al.Tracks.Total)
	}
	page, err := c.Albums.GetTracks(ctx, alID, &spotify.AlbumTracksOptions{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for tr, err := range page.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if tr.ID != al.Tracks.Items[n].ID {
			t.Fatalf("track %d: %s, want %s", n, tr.ID, al.Tracks.Items[n].ID)
		}
		n++
	}
	if n != al.Tracks.Total {
		t.Fatalf("All walked %d tracks of %d", n, al.Tracks.Total)
	}

	tr, err := c.Tracks.Get(ctx, al.Tracks.Items[0].ID, nil)
	if err != nil || tr.Name != al.Tracks.Items[0].Name {
		t.Fatalf("track: %v %v", tr, err)
	}
	if _, err := c.Artists.Get(ctx, cat.IDs(spotifytest.KindArtist, 1)[0], nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Shows.Get(ctx, cat.IDs(spotifytest.KindShow, 1)[0], nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Episodes.Get(ctx, cat.IDs(spotifytest.KindEpisode, 1)[0], nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Audiobooks.Get(ctx, cat.IDs(spotifytest.KindAudiobook, 1)[0], nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Chapters.Get(ctx, cat.IDs(spotifytest.KindChapter, 1)[0], nil); err != nil {
		t.Fatal(err)
	}
	if srv.Requests("POST /api/token") == 0 {
		t.Fatal("the client never asked the emulator for a token")
	}
}

func TestSDKNotFoundAndBatchNull(t *testing.T) {
	srv, c := newClient(t)
	ctx := context.Background()
	foreign := spotifytest.NewServer(spotifytest.WithSeed(5))
	defer foreign.Close()
	unknown := foreign.Catalog().IDs(spotifytest.KindTrack, 1)[0]
	if _, err := c.Tracks.Get(ctx, unknown, nil); !errors.Is(err, spotify.ErrNotFound) {
		t.Fatalf("unknown track: %v, want ErrNotFound", err)
	}
	known := srv.Catalog().IDs(spotifytest.KindTrack, 1)[0]
	got, err := c.Tracks.GetSeveral(ctx, []string{known, unknown}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] == nil || got[0].ID != known || got[1] != nil {
		t.Fatalf("GetSeveral: %v", got)
	}
}

func TestSDKSearchAndPlaylists(t *testing.T) {
	srv, c := newClient(t)
	ctx := context.Background()
	res, err := c.Search.Search(ctx, "golden", []string{spotify.SearchTypeTrack, spotify.SearchTypePlaylist}, &spotify.SearchOptions{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if res.Tracks == nil || len(res.Tracks.Items) != 5 || res.Playlists == nil {
		t.Fatalf("search: %+v", res)
	}
	next, err := res.Tracks.NextPage(ctx)
	if err != nil || next == nil || next.Offset != 5 {
		t.Fatalf("next search page: %v %v", next, err)
	}

	plID := srv.Catalog().IDs(spotifytest.KindPlaylist, 4)[3] // has episodes
	pl, err := c.Playlists.Get(ctx, plID, nil)
	if err != nil {
		t.Fatal(err)
	}
	items, err := c.Playlists.GetItems(ctx, plID, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, episodes := 0, 0
	for it, err := range items.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if it.Item.ID() == "" {
			t.Fatalf("entry %d has no item", n)
		}
		if it.Item.Episode != nil {
			episodes++
		}
		n++
	}
	if n != pl.Items.Total || (n >= 5 && episodes == 0) {
		t.Fatalf("walked %d entries (%d episodes) of %d", n, episodes, pl.Items.Total)
	}
	old, err := c.Playlists.GetTracks(ctx, plID, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, it := range old.Items {
		if it.Item.ID() != items.Items[i].Item.ID() {
			t.Fatalf("the /tracks entry %d is %q, /items has %q", i, it.Item.ID(), items.Items[i].Item.ID())
		}
	}
}
