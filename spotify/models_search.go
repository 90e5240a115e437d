package spotify

// SearchResult is the answer of [SearchService.Search]: one page per type
// asked, nil for the others. Each page walks its rest with NextPage or All
// (up to Spotify's offset cap of 1,000).
type SearchResult struct {
	Tracks  *Page[Track]           `json:"tracks,omitempty"`
	Artists *Page[Artist]          `json:"artists,omitempty"`
	Albums  *Page[SimplifiedAlbum] `json:"albums,omitempty"`
	// Playlists may hold nil entries: Spotify is known to answer null for
	// some playlists in search results.
	Playlists  *Page[*SimplifiedPlaylist] `json:"playlists,omitempty"`
	Shows      *Page[SimplifiedShow]      `json:"shows,omitempty"`
	Episodes   *Page[SimplifiedEpisode]   `json:"episodes,omitempty"`
	Audiobooks *Page[SimplifiedAudiobook] `json:"audiobooks,omitempty"`
}
