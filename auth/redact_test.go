package auth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/internal/scrub"
)

const (
	secretAccess  = "BQAccessTokenValue-0123456789"
	secretRefresh = "AQRefreshTokenValue-0123456789"
)

func TestStatic(t *testing.T) {
	s := NewStatic(secretAccess)
	tok, err := s.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, secretAccess, tok.AccessToken)
	assert.Equal(t, "Bearer", tok.Type())
	assert.False(t, tok.ExpiredAt(time.Now(), time.Hour), "a static token never expires on its own")

	sum := sha256.Sum256([]byte(secretAccess))
	assert.Equal(t, "tok:"+hex.EncodeToString(sum[:])[:16], s.Identity())
	assert.NotEqual(t, s.Identity(), NewStatic(secretAccess+"x").Identity())

	var p Provider = s
	_, isInvalidator := p.(Invalidator)
	assert.False(t, isInvalidator, "a static token cannot be renewed")

	_, err = NewStatic("").Token(context.Background())
	assert.ErrorIs(t, err, ErrMissingCredentials)
}

// printings renders v through every fmt verb a log line might use, and
// through slog's JSON and text handlers.
func printings(v any) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%v %+v %#v %s %q %x %d\n", v, v, v, v, v, v, v)
	slog.New(slog.NewJSONHandler(&b, nil)).Info("m", "v", v)
	slog.New(slog.NewTextHandler(&b, nil)).Info("m", "v", v)
	return b.String()
}

func TestRedaction(t *testing.T) {
	t.Setenv(EnvClientID, "")
	t.Setenv(EnvClientSecret, "")
	cfg := ClientCredentialsConfig{ClientID: testID, ClientSecret: testSecret, TokenURL: "https://user:pw-" + testSecret + "@accounts.example/api/token"}
	cc, err := NewClientCredentials(cfg)
	require.NoError(t, err)
	defer cc.Close()
	tok := &Token{AccessToken: secretAccess, RefreshToken: secretRefresh, TokenType: "Bearer", Scope: "user-read-private", Expiry: time.Now()}
	te := newTokenError(400, []byte(`{"error":"invalid_client","error_description":"secret `+testSecret+` refused"}`), scrub.New(testSecret))

	for name, v := range map[string]any{
		"token": tok, "provider": cc, "config": cfg, "config pointer": &cfg,
		"static": NewStatic(secretAccess), "token error": te,
	} {
		out := printings(v)
		for _, secret := range []string{secretAccess, secretRefresh, testSecret} {
			assert.NotContains(t, out, secret, "%s: %s", name, out)
		}
	}
	assert.Contains(t, printings(cc), testID, "the client id may show")
	assert.Contains(t, printings(cfg), "[REDACTED]")
}

func TestTokenValueAndNilPrintRedacted(t *testing.T) {
	tok := Token{AccessToken: "VALUE-SECRET-1", RefreshToken: "VALUE-SECRET-2"}
	for _, s := range []string{fmt.Sprintf("%v %+v %#v %s", tok, tok, tok, tok), fmt.Sprint([]Token{tok}), fmt.Sprintf("%v", struct{ T Token }{tok})} {
		assert.NotContains(t, s, "VALUE-SECRET")
		assert.Contains(t, s, "[REDACTED]")
	}
	var nilTok *Token
	assert.Equal(t, "<nil>", fmt.Sprintf("%v", nilTok))
}
