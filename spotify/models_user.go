package spotify

// PublicUser is a Spotify user as others see it: the owner of a playlist,
// the user who added a playlist item.
type PublicUser struct {
	// DisplayName is nil when the user has none.
	DisplayName  *string      `json:"display_name,omitempty"`
	ExternalURLs ExternalURLs `json:"external_urls"`
	Href         string       `json:"href"`
	ID           string       `json:"id"`
	Type         string       `json:"type"`
	URI          string       `json:"uri"`
	// Followers and Images are sent for full profiles only.
	Followers *Followers `json:"followers,omitempty"`
	Images    []Image    `json:"images,omitempty"`
}

// ExplicitContent is the user's explicit-content setting.
type ExplicitContent struct {
	FilterEnabled *bool `json:"filter_enabled,omitempty"`
	FilterLocked  *bool `json:"filter_locked,omitempty"`
}

// CurrentUser is the profile of the user who authorized the app (GET /me).
type CurrentUser struct {
	PublicUser
	// AccountID is Spotify's stable pseudonymous id of the account (added
	// in May 2026); empty when not sent.
	AccountID string `json:"account_id,omitempty"`
	// Country, Email, ExplicitContent, Followers and Product are absent for
	// Development Mode apps (and need the user-read-private or
	// user-read-email scope).
	Country         *string          `json:"country,omitempty"`
	Email           *string          `json:"email,omitempty"`
	ExplicitContent *ExplicitContent `json:"explicit_content,omitempty"`
	Product         *string          `json:"product,omitempty"`
}
