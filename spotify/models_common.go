package spotify

// ExternalURLs are the links to an object on the web.
type ExternalURLs struct {
	Spotify string `json:"spotify"`
}

// ExternalIDs are an object's ids in other systems.
type ExternalIDs struct {
	ISRC string `json:"isrc,omitempty"`
	EAN  string `json:"ean,omitempty"`
	UPC  string `json:"upc,omitempty"`
}

// Image is a picture of an object. Height and Width are nil when Spotify
// does not know them.
type Image struct {
	URL    string `json:"url"`
	Height *int   `json:"height"`
	Width  *int   `json:"width"`
}

// Followers is a follower count.
type Followers struct {
	Href  *string `json:"href"`
	Total int     `json:"total"`
}

// Restrictions say why an object is not playable ("market", "product",
// "explicit").
type Restrictions struct {
	Reason string `json:"reason"`
}

// Copyright is a copyright statement; Type is "C" (copyright) or "P"
// (performance copyright).
type Copyright struct {
	Text string `json:"text"`
	Type string `json:"type"`
}

// ResumePoint is where the user stopped listening to an episode or chapter.
type ResumePoint struct {
	FullyPlayed      bool `json:"fully_played"`
	ResumePositionMS int  `json:"resume_position_ms"`
}

// LinkedFrom names the track that was asked for when Spotify relinked it to
// another one playable in the market.
type LinkedFrom struct {
	ExternalURLs ExternalURLs `json:"external_urls"`
	Href         string       `json:"href"`
	ID           string       `json:"id"`
	Type         string       `json:"type"`
	URI          string       `json:"uri"`
}

// Ptr returns a pointer to v, for option fields whose zero value means
// something (public, collaborative, play, position).
func Ptr[T any](v T) *T { return &v }
