package auth

import (
	"fmt"
	"log/slog"
	"time"
)

// Token is an OAuth 2.0 token. It prints itself redacted ([Token.String],
// [Token.GoString], [Token.Format], [Token.LogValue]), as a value or through
// a pointer: the access and refresh tokens never reach a log line or an
// error through fmt or slog.
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

// String prints the token with its secrets redacted.
func (t Token) String() string {
	exp := "never"
	if !t.Expiry.IsZero() {
		exp = t.Expiry.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("auth.Token{AccessToken:%s, TokenType:%q, RefreshToken:%s, Scope:%q, Expiry:%s}",
		Redact(t.AccessToken), t.TokenType, Redact(t.RefreshToken), t.Scope, exp)
}

// GoString is like String, for %#v.
func (t Token) GoString() string { return t.String() }

// Format makes every fmt verb print the redacted form, %+v and %v included.
func (t Token) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(t.String())) }

// LogValue makes slog print the token redacted.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_token", Redact(t.AccessToken)),
		slog.String("refresh_token", Redact(t.RefreshToken)),
		slog.String("scope", t.Scope),
		slog.Time("expiry", t.Expiry),
	)
}

// Redact returns `""` for an empty secret (so a missing value shows) and
// "[REDACTED]" for any other.
func Redact(secret string) string {
	if secret == "" {
		return `""`
	}
	return "[REDACTED]"
}
