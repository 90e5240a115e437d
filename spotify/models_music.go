package spotify

import "time"

// Fields that Spotify removed from Development Mode responses in 2026 are
// pointers (or nil-able lists): nil means "not sent", which a Development
// Mode app sees for every object.

// SimplifiedArtist is an artist as it appears inside albums and tracks.
type SimplifiedArtist struct {
	ExternalURLs ExternalURLs `json:"external_urls"`
	Href         string       `json:"href"`
	ID           string       `json:"id"`
	Name         string       `json:"name"`
	Type         string       `json:"type"`
	URI          string       `json:"uri"`
}

// Artist is a full artist object.
type Artist struct {
	SimplifiedArtist
	// Followers and Popularity are absent for Development Mode apps.
	Followers  *Followers `json:"followers,omitzero"`
	Genres     []string   `json:"genres,omitzero"`
	Images     []Image    `json:"images"`
	Popularity *int       `json:"popularity,omitzero"`
}

// SimplifiedAlbum is an album as it appears inside tracks, listings and
// search results.
type SimplifiedAlbum struct {
	AlbumType   string `json:"album_type"`
	TotalTracks int    `json:"total_tracks"`
	// AvailableMarkets is absent for Development Mode apps.
	AvailableMarkets     Markets            `json:"available_markets,omitzero"`
	ExternalURLs         ExternalURLs       `json:"external_urls"`
	Href                 string             `json:"href"`
	ID                   string             `json:"id"`
	Images               []Image            `json:"images"`
	Name                 string             `json:"name"`
	ReleaseDate          string             `json:"release_date"`
	ReleaseDatePrecision string             `json:"release_date_precision"`
	Restrictions         *Restrictions      `json:"restrictions,omitzero"`
	Type                 string             `json:"type"`
	URI                  string             `json:"uri"`
	Artists              []SimplifiedArtist `json:"artists"`
	// AlbumGroup (in an artist's albums) is absent for Development Mode apps.
	AlbumGroup *string `json:"album_group,omitzero"`
}

// Album is a full album object, with the first page of its tracks.
type Album struct {
	SimplifiedAlbum
	Tracks     Page[SimplifiedTrack] `json:"tracks"`
	Copyrights []Copyright           `json:"copyrights"`
	// ExternalIDs, Label and Popularity are absent for Development Mode
	// apps (external_ids came back in March 2026).
	ExternalIDs *ExternalIDs `json:"external_ids,omitzero"`
	Label       *string      `json:"label,omitzero"`
	Popularity  *int         `json:"popularity,omitzero"`
	Genres      []string     `json:"genres,omitzero"`
}

// SavedAlbum is an album in the user's library.
type SavedAlbum struct {
	AddedAt time.Time `json:"added_at"`
	Album   Album     `json:"album"`
}

// SimplifiedTrack is a track as it appears inside an album.
type SimplifiedTrack struct {
	Artists []SimplifiedArtist `json:"artists"`
	// AvailableMarkets and LinkedFrom are absent for Development Mode apps.
	AvailableMarkets Markets       `json:"available_markets,omitzero"`
	DiscNumber       int           `json:"disc_number"`
	DurationMS       int           `json:"duration_ms"`
	Explicit         bool          `json:"explicit"`
	ExternalURLs     ExternalURLs  `json:"external_urls"`
	Href             string        `json:"href"`
	ID               string        `json:"id"`
	IsPlayable       *bool         `json:"is_playable,omitzero"`
	LinkedFrom       *LinkedFrom   `json:"linked_from,omitzero"`
	Restrictions     *Restrictions `json:"restrictions,omitzero"`
	Name             string        `json:"name"`
	PreviewURL       *string       `json:"preview_url,omitzero"`
	TrackNumber      int           `json:"track_number"`
	Type             string        `json:"type"`
	URI              string        `json:"uri"`
	IsLocal          bool          `json:"is_local"`
}

// Track is a full track object.
type Track struct {
	SimplifiedTrack
	Album SimplifiedAlbum `json:"album"`
	// ExternalIDs and Popularity are absent for Development Mode apps.
	ExternalIDs *ExternalIDs `json:"external_ids,omitzero"`
	Popularity  *int         `json:"popularity,omitzero"`
}

// SavedTrack is a track in the user's library.
type SavedTrack struct {
	AddedAt time.Time `json:"added_at"`
	Track   Track     `json:"track"`
}
