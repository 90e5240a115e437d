package spotify

import (
	"bytes"
	"encoding/json"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/spotifysdk/spotify-go/internal/codec"
)

// PlaybackItem is a track or an episode: what a player plays, what a queue
// or a playlist holds. Exactly one of Track and Episode is set, after the
// object's "type"; an episode that a playlist dresses as a track (with
// "track": true and album fields) decodes as the episode it is.
type PlaybackItem struct {
	// Type is "track" or "episode" (or what Spotify sent).
	Type    string
	Track   *Track
	Episode *Episode
}

// ID returns the id of the track or episode.
func (it *PlaybackItem) ID() string {
	switch {
	case it == nil:
		return ""
	case it.Track != nil:
		return it.Track.ID
	case it.Episode != nil:
		return it.Episode.ID
	}
	return ""
}

// URI returns the Spotify URI of the track or episode.
func (it *PlaybackItem) URI() string {
	switch {
	case it == nil:
		return ""
	case it.Track != nil:
		return it.Track.URI
	case it.Episode != nil:
		return it.Episode.URI
	}
	return ""
}

// UnmarshalJSONFrom decodes the object into Track or Episode after its
// type.
func (it *PlaybackItem) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return it.decode(raw, decodeJSON)
}

// UnmarshalJSON does the same for encoding/json.
func (it *PlaybackItem) UnmarshalJSON(b []byte) error {
	return it.decode(b, json.Unmarshal)
}

func (it *PlaybackItem) decode(raw []byte, unmarshal func([]byte, any) error) error {
	if string(bytes.TrimSpace(raw)) == "null" {
		*it = PlaybackItem{}
		return nil
	}
	// Nearly every item is a track: decode it as one in a single pass,
	// and only when it turns out to be an episode (or fails) read its
	// type and decode it after that.
	if t := new(Track); unmarshal(raw, t) == nil && t.Type != "episode" {
		*it = PlaybackItem{Type: t.Type, Track: t}
		return nil
	}
	var head struct {
		Type string `json:"type"`
	}
	if err := unmarshal(raw, &head); err != nil {
		return err
	}
	*it = PlaybackItem{Type: head.Type}
	if head.Type == "episode" {
		it.Episode = new(Episode)
		return unmarshal(raw, it.Episode)
	}
	it.Track = new(Track)
	return unmarshal(raw, it.Track)
}

// MarshalJSON writes the track or episode as Spotify sends it, with the
// package's codec (as Marshal does).
func (it PlaybackItem) MarshalJSON() ([]byte, error) {
	switch {
	case it.Episode != nil:
		return codec.Marshal(it.Episode)
	case it.Track != nil:
		return codec.Marshal(it.Track)
	}
	return []byte("null"), nil
}
