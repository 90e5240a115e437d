package auth

import (
	"fmt"
	"log/slog"
	"time"
)

// Token is an OAuth 2.0 token. It prints itself redacted ([Token.String],
// [Token.Format], [Token.LogValue]), as a value or through a pointer: the
// access and refresh tokens never reach a log line or an error through fmt
// or slog. Its fields stay plain strings, and it has no JSON methods: a
// program that persists a token (as the [FileStore] does) keeps the real
// values.
type Token struct {
	// AccessToken authorizes API requests.
	AccessToken string
	// TokenType is the type of AccessToken; "" means "Bearer".
	TokenType string
	// RefreshToken, for user tokens, obtains the next access token.
	RefreshToken string
	// Scope lists the granted scopes, separated by spaces.
	Scope string
	// Expiry is when AccessToken stops working; the zero time means never.
	Expiry time.Time
}

// Type returns TokenType, or "Bearer" when it is empty.
func (t *Token) Type() string {
	if t == nil || t.TokenType == "" || t.TokenType == "bearer" {
		return "Bearer"
	}
	return t.TokenType
}

// ExpiredAt reports whether the token has no access token or expires at or
// before now+skew.
func (t *Token) ExpiredAt(now time.Time, skew time.Duration) bool {
	if t == nil || t.AccessToken == "" {
		return true
	}
	if t.Expiry.IsZero() {
		return false
	}
	return !now.Add(skew).Before(t.Expiry)
}

// view shows the token with its access and refresh tokens redacted.
func (t Token) view() view {
	return view{name: "auth.Token", fields: []field{
		{"AccessToken", Secret(t.AccessToken)}, {"TokenType", t.TokenType},
		{"RefreshToken", Secret(t.RefreshToken)}, {"Scope", t.Scope}, {"Expiry", t.Expiry},
	}}
}

// String prints the token with its secrets redacted.
func (t Token) String() string { return t.view().String() }

// Format makes every fmt verb (%v, %+v, %#v, %s...) print [Token.String].
func (t Token) Format(f fmt.State, _ rune) { t.view().format(f) }

// LogValue makes slog print the token redacted.
func (t Token) LogValue() slog.Value { return t.view().LogValue() }
