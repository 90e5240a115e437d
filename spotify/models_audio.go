package spotify

import "time"

// SimplifiedShow is a podcast show as it appears inside episodes, listings
// and search results.
type SimplifiedShow struct {
	// AvailableMarkets and Publisher are absent for Development Mode apps.
	AvailableMarkets   Markets      `json:"available_markets,omitzero"`
	Copyrights         []Copyright  `json:"copyrights"`
	Description        string       `json:"description"`
	HTMLDescription    string       `json:"html_description,omitempty"`
	Explicit           bool         `json:"explicit"`
	ExternalURLs       ExternalURLs `json:"external_urls"`
	Href               string       `json:"href"`
	ID                 string       `json:"id"`
	Images             []Image      `json:"images"`
	IsExternallyHosted *bool        `json:"is_externally_hosted,omitzero"`
	Languages          []string     `json:"languages"`
	MediaType          string       `json:"media_type"`
	Name               string       `json:"name"`
	Publisher          *string      `json:"publisher,omitzero"`
	Type               string       `json:"type"`
	URI                string       `json:"uri"`
	TotalEpisodes      int          `json:"total_episodes,omitempty"`
}

// Show is a full show, with the first page of its episodes.
type Show struct {
	SimplifiedShow
	Episodes Page[SimplifiedEpisode] `json:"episodes"`
}

// SavedShow is a show in the user's library.
type SavedShow struct {
	AddedAt time.Time      `json:"added_at"`
	Show    SimplifiedShow `json:"show"`
}

// SimplifiedEpisode is an episode as it appears inside a show.
type SimplifiedEpisode struct {
	AudioPreviewURL      *string       `json:"audio_preview_url,omitzero"`
	Description          string        `json:"description"`
	HTMLDescription      string        `json:"html_description,omitempty"`
	DurationMS           int           `json:"duration_ms"`
	Explicit             bool          `json:"explicit"`
	ExternalURLs         ExternalURLs  `json:"external_urls"`
	Href                 string        `json:"href"`
	ID                   string        `json:"id"`
	Images               []Image       `json:"images"`
	IsExternallyHosted   *bool         `json:"is_externally_hosted,omitzero"`
	IsPlayable           *bool         `json:"is_playable,omitzero"`
	Language             string        `json:"language,omitempty"`
	Languages            []string      `json:"languages"`
	Name                 string        `json:"name"`
	ReleaseDate          string        `json:"release_date"`
	ReleaseDatePrecision string        `json:"release_date_precision"`
	Restrictions         *Restrictions `json:"restrictions,omitzero"`
	ResumePoint          *ResumePoint  `json:"resume_point,omitzero"`
	Type                 string        `json:"type"`
	URI                  string        `json:"uri"`
}

// Episode is a full episode, with its show.
type Episode struct {
	SimplifiedEpisode
	Show SimplifiedShow `json:"show"`
}

// SavedEpisode is an episode in the user's library.
type SavedEpisode struct {
	AddedAt time.Time `json:"added_at"`
	Episode Episode   `json:"episode"`
}

// Author and Narrator name the people behind an audiobook.
type Author struct {
	Name string `json:"name"`
}

// Narrator is an audiobook's narrator.
type Narrator struct {
	Name string `json:"name"`
}

// SimplifiedAudiobook is an audiobook as it appears inside chapters,
// listings and search results.
type SimplifiedAudiobook struct {
	Authors []Author `json:"authors"`
	// AvailableMarkets and Publisher are absent for Development Mode apps.
	AvailableMarkets Markets      `json:"available_markets,omitzero"`
	Copyrights       []Copyright  `json:"copyrights"`
	Description      string       `json:"description"`
	HTMLDescription  string       `json:"html_description,omitempty"`
	Edition          string       `json:"edition,omitempty"`
	Explicit         bool         `json:"explicit"`
	ExternalURLs     ExternalURLs `json:"external_urls"`
	Href             string       `json:"href"`
	ID               string       `json:"id"`
	Images           []Image      `json:"images"`
	Languages        []string     `json:"languages"`
	MediaType        string       `json:"media_type"`
	Name             string       `json:"name"`
	Narrators        []Narrator   `json:"narrators"`
	Publisher        *string      `json:"publisher,omitzero"`
	Type             string       `json:"type"`
	URI              string       `json:"uri"`
	TotalChapters    int          `json:"total_chapters"`
}

// Audiobook is a full audiobook, with the first page of its chapters.
type Audiobook struct {
	SimplifiedAudiobook
	Chapters Page[SimplifiedChapter] `json:"chapters"`
}

// SavedAudiobook is an audiobook in the user's library.
type SavedAudiobook struct {
	AddedAt   time.Time           `json:"added_at"`
	Audiobook SimplifiedAudiobook `json:"audiobook"`
}

// SimplifiedChapter is a chapter as it appears inside an audiobook.
type SimplifiedChapter struct {
	AudioPreviewURL *string `json:"audio_preview_url,omitzero"`
	// AvailableMarkets is absent for Development Mode apps.
	AvailableMarkets     Markets       `json:"available_markets,omitzero"`
	ChapterNumber        int           `json:"chapter_number"`
	Description          string        `json:"description"`
	HTMLDescription      string        `json:"html_description,omitempty"`
	DurationMS           int           `json:"duration_ms"`
	Explicit             bool          `json:"explicit"`
	ExternalURLs         ExternalURLs  `json:"external_urls"`
	Href                 string        `json:"href"`
	ID                   string        `json:"id"`
	Images               []Image       `json:"images"`
	IsPlayable           *bool         `json:"is_playable,omitzero"`
	Languages            []string      `json:"languages"`
	Name                 string        `json:"name"`
	ReleaseDate          string        `json:"release_date"`
	ReleaseDatePrecision string        `json:"release_date_precision"`
	Restrictions         *Restrictions `json:"restrictions,omitzero"`
	ResumePoint          *ResumePoint  `json:"resume_point,omitzero"`
	Type                 string        `json:"type"`
	URI                  string        `json:"uri"`
}

// Chapter is a full chapter, with its audiobook.
type Chapter struct {
	SimplifiedChapter
	Audiobook SimplifiedAudiobook `json:"audiobook"`
}
