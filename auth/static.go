package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
)

// errEmptyStatic is returned by the Token method of a Static made from "".
var errEmptyStatic = fmt.Errorf("%w: the static access token is empty", ErrMissingCredentials)

// Static is a [Provider] of one fixed access token, for example one obtained
// elsewhere. It cannot renew the token, so it does not implement
// [Invalidator]: a 401 reaches the caller. Its identity (the cache
// principal) is "tok:" and the first 16 hex digits of the token's SHA-256.
// It prints itself redacted and is safe for concurrent use.
type Static struct {
	tok      *Token
	identity string
}

var (
	_ Provider   = (*Static)(nil)
	_ Identifier = (*Static)(nil)
)

// NewStatic returns a provider of accessToken, sent as a Bearer token. An
// empty accessToken makes every call to Token fail with an error wrapping
// [ErrMissingCredentials].
func NewStatic(accessToken string) *Static {
	sum := sha256.Sum256([]byte(accessToken))
	return &Static{
		tok:      &Token{AccessToken: accessToken, TokenType: "Bearer"},
		identity: "tok:" + hex.EncodeToString(sum[:8]),
	}
}

// Token returns the static token. The returned token must not be modified.
func (s *Static) Token(context.Context) (*Token, error) {
	if s == nil || s.tok.AccessToken == "" {
		return nil, errEmptyStatic
	}
	return s.tok, nil
}

// Identity returns "tok:" followed by 16 hex digits of the token's SHA-256.
func (s *Static) Identity() string {
	if s == nil {
		return ""
	}
	return s.identity
}

// view shows the provider with its token redacted.
func (s *Static) view() view {
	if s == nil {
		return view{}
	}
	return view{name: "auth.Static", fields: []field{{"AccessToken", Secret(s.tok.AccessToken)}, {"Identity", s.identity}}}
}

// String prints the provider with its token redacted.
func (s *Static) String() string { return s.view().String() }

// Format makes every fmt verb print [Static.String].
func (s *Static) Format(f fmt.State, _ rune) { s.view().format(f) }

// LogValue makes slog print the provider redacted.
func (s *Static) LogValue() slog.Value { return s.view().LogValue() }
