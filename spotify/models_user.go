package spotify

// PublicUser is a Spotify user as others see it: the owner of a playlist,
// the user who added a playlist item.
type PublicUser struct {
	// DisplayName is nil when the user has none.
	DisplayName  *string      `json:"display_name,omitzero"`
	ExternalURLs ExternalURLs `json:"external_urls"`
	Href         string       `json:"href"`
	ID           string       `json:"id"`
	Type         string       `json:"type"`
	URI          string       `json:"uri"`
	// Followers and Images are sent for full profiles only.
	Followers *Followers `json:"followers,omitzero"`
	Images    []Image    `json:"images,omitzero"`
}

// ExplicitContent is the user's explicit-content setting.
type ExplicitContent struct {
	FilterEnabled *bool `json:"filter_enabled,omitzero"`
	FilterLocked  *bool `json:"filter_locked,omitzero"`
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
	Country         *string          `json:"country,omitzero"`
	Email           *string          `json:"email,omitzero"`
	ExplicitContent *ExplicitContent `json:"explicit_content,omitzero"`
	Product         *string          `json:"product,omitzero"`
}
