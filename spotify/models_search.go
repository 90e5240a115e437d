package spotify

// SearchResult is the answer of [SearchService.Search]: one page per type
// asked, nil for the others. Each page walks its rest with NextPage or All
// (up to Spotify's offset cap of 1,000).
type SearchResult struct {
	Tracks  *Page[Track]           `json:"tracks,omitzero"`
	Artists *Page[Artist]          `json:"artists,omitzero"`
	Albums  *Page[SimplifiedAlbum] `json:"albums,omitzero"`
	// Playlists may hold nil entries: Spotify is known to answer null for
	// some playlists in search results.
	Playlists  *Page[*SimplifiedPlaylist] `json:"playlists,omitzero"`
	Shows      *Page[SimplifiedShow]      `json:"shows,omitzero"`
	Episodes   *Page[SimplifiedEpisode]   `json:"episodes,omitzero"`
	Audiobooks *Page[SimplifiedAudiobook] `json:"audiobooks,omitzero"`
}
