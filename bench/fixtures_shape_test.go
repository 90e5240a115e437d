package bench

import (
	"testing"

	"github.com/spotifysdk/spotify-go/spotify"
)

// TestGeneratedAlbumHasTheSampleShape keeps the stand-in album honest: it
// decodes, and it is about as large as the recorded one (25.9 KB).
func TestGeneratedAlbumHasTheSampleShape(t *testing.T) {
	data := generatedAlbum(18)
	var a spotify.Album
	if err := spotify.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	if len(a.Tracks.Items) != 18 || len(a.AvailableMarkets) != 170 || len(a.Tracks.Items[0].AvailableMarkets) != 170 {
		t.Fatalf("shape: %d tracks, %d markets", len(a.Tracks.Items), len(a.AvailableMarkets))
	}
	if n := len(data); n < 20_000 || n > 32_000 {
		t.Fatalf("the generated album is %d bytes; the sample is 25.9 KB", n)
	}
}

// TestGeneratedTrackHasTheSampleShape does the same for the stand-in track
// (the sample is 2.7 KB).
func TestGeneratedTrackHasTheSampleShape(t *testing.T) {
	data := generatedTrack()
	var tr spotify.Track
	if err := spotify.Unmarshal(data, &tr); err != nil {
		t.Fatal(err)
	}
	if tr.ID != "1zHlj4dQ8ZAtrayhuDDmkY" || len(tr.Artists) != 2 || len(tr.AvailableMarkets) != 170 || len(tr.Album.AvailableMarkets) != 170 || tr.Popularity == nil {
		t.Fatalf("shape: %+v", tr)
	}
	if n := len(data); n < 2_000 || n > 3_500 {
		t.Fatalf("the generated track is %d bytes; the sample is 2.7 KB", n)
	}
}
