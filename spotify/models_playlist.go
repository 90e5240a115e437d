package spotify

import (
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Playlists changed shape in February 2026: a playlist's "tracks" became
// "items" and each entry's "track" became "item". The models read both
// (the 2026 key first, the old one as a fallback) and always write the 2026
// keys, so a playlist stored before the change and one fetched today look
// the same to the caller.

// SimplifiedPlaylist is a playlist as it appears in listings (the user's
// playlists, search results) and as [PlaylistsService.Create] returns it.
type SimplifiedPlaylist struct {
	// Collaborative is true when the owner lets other users modify the
	// playlist.
	Collaborative bool `json:"collaborative"`
	// Description is "" when the playlist has none (Spotify sends null).
	Description  string       `json:"description"`
	ExternalURLs ExternalURLs `json:"external_urls"`
	Href         string       `json:"href"`
	ID           string       `json:"id"`
	// Images holds up to three images, largest first; their URLs expire
	// within a day.
	Images []Image    `json:"images"`
	Name   string     `json:"name"`
	Owner  PublicUser `json:"owner"`
	// Public is true for a public playlist, false for a private one, and
	// nil when the status is not relevant.
	Public *bool `json:"public"`
	// SnapshotID is the playlist's version, for the snapshot_id of writes.
	SnapshotID string `json:"snapshot_id"`
	// Items links to the playlist's items and counts them (the key was
	// "tracks" before 2026).
	Items PlaylistItemsRef `json:"items"`
	Type  string           `json:"type"`
	URI   string           `json:"uri"`
}

// PlaylistItemsRef links to a playlist's items: fetch them with
// [PlaylistsService.GetItems].
type PlaylistItemsRef struct {
	Href  string `json:"href"`
	Total int    `json:"total"`
}

// Playlist is a full playlist with the first page of its items. Spotify
// sends the items only for playlists the user owns or collaborates on;
// for others Items is an empty page.
type Playlist struct {
	Collaborative bool `json:"collaborative"`
	// Description is "" when the playlist has none (Spotify sends null).
	Description  string       `json:"description"`
	ExternalURLs ExternalURLs `json:"external_urls"`
	// Followers is nil when Spotify does not send it.
	Followers *Followers `json:"followers,omitzero"`
	Href      string     `json:"href"`
	ID        string     `json:"id"`
	// Images holds up to three images, largest first; their URLs expire
	// within a day.
	Images []Image    `json:"images"`
	Name   string     `json:"name"`
	Owner  PublicUser `json:"owner"`
	// Public is true for a public playlist, false for a private one, and
	// nil when the status is not relevant.
	Public *bool `json:"public"`
	// SnapshotID is the playlist's version, for the snapshot_id of writes.
	SnapshotID string `json:"snapshot_id"`
	// Items is the first page of the playlist's items (the key was
	// "tracks" before 2026); NextPage and All walk the rest.
	Items Page[PlaylistItem] `json:"items"`
	Type  string             `json:"type"`
	URI   string             `json:"uri"`
}

// PlaylistItem is an entry of a playlist: a track or an episode, who added
// it and when.
type PlaylistItem struct {
	// AddedAt is when the item was added; zero when Spotify does not know
	// (some very old playlists).
	AddedAt time.Time `json:"added_at,omitzero"`
	// AddedBy is the user who added the item; nil when Spotify does not
	// know.
	AddedBy *PublicUser `json:"added_by"`
	// IsLocal is true for a local file, which Spotify cannot play or
	// describe fully.
	IsLocal bool `json:"is_local"`
	// Item is the track or episode (the key was "track" before 2026). It is
	// nil when Spotify sends null: an item that is no longer available, or
	// some local files.
	Item *PlaybackItem `json:"item"`
}

// The types below have the fields of the models without their methods, so
// the decoders can decode into them without calling themselves.
type (
	playlistFields           Playlist
	simplifiedPlaylistFields SimplifiedPlaylist
	playlistItemFields       PlaylistItem
)

// playlistWire is a Playlist as sent, with both the 2026 and the old key.
// The shallower Items field takes the "items" member from the embedded
// fields, so a nil pointer means the member was absent or null.
type playlistWire struct {
	playlistFields
	Items  *Page[PlaylistItem] `json:"items"`
	Tracks *Page[PlaylistItem] `json:"tracks"`
}

type simplifiedPlaylistWire struct {
	simplifiedPlaylistFields
	Items  *PlaylistItemsRef `json:"items"`
	Tracks *PlaylistItemsRef `json:"tracks"`
}

type playlistItemWire struct {
	playlistItemFields
	Item  *PlaybackItem `json:"item"`
	Track *PlaybackItem `json:"track"`
}

// playlistsPick returns the 2026 member when it was sent, else the old one.
func playlistsPick[T any](current, old *T) *T {
	if current != nil {
		return current
	}
	return old
}

// UnmarshalJSONFrom decodes a playlist in the 2026 shape ("items") or the
// older one ("tracks").
func (p *Playlist) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var w playlistWire
	if err := json.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	*p = Playlist(w.playlistFields)
	if items := playlistsPick(w.Items, w.Tracks); items != nil {
		p.Items = *items
	}
	return nil
}

// UnmarshalJSON does the same for encoding/json.
func (p *Playlist) UnmarshalJSON(b []byte) error { return decodeJSON(b, p) }

// UnmarshalJSONFrom decodes a simplified playlist in the 2026 shape
// ("items") or the older one ("tracks").
func (p *SimplifiedPlaylist) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var w simplifiedPlaylistWire
	if err := json.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	*p = SimplifiedPlaylist(w.simplifiedPlaylistFields)
	if items := playlistsPick(w.Items, w.Tracks); items != nil {
		p.Items = *items
	}
	return nil
}

// UnmarshalJSON does the same for encoding/json.
func (p *SimplifiedPlaylist) UnmarshalJSON(b []byte) error { return decodeJSON(b, p) }

// UnmarshalJSONFrom decodes a playlist entry in the 2026 shape ("item") or
// the older one ("track").
func (it *PlaylistItem) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var w playlistItemWire
	if err := json.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	*it = PlaylistItem(w.playlistItemFields)
	it.Item = playlistsPick(w.Item, w.Track)
	return nil
}

// UnmarshalJSON does the same for encoding/json.
func (it *PlaylistItem) UnmarshalJSON(b []byte) error { return decodeJSON(b, it) }
