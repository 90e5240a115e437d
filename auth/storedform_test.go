package auth

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The stored form keeps the real tokens (a store must persist them) and
// reads back what it wrote; what cannot be read is refused without
// quoting the data, which may hold a token.
func TestStoredFormRoundTripAndRefusals(t *testing.T) {
	tok := &StoredToken{FamilyID: "fam", Token: Token{AccessToken: "access-secret", TokenType: "Bearer",
		RefreshToken: "refresh-secret", Scope: "user-read-private",
		Expiry: time.Date(2026, 12, 6, 18, 0, 0, 0, time.FixedZone("x", 3600))}}
	b, err := MarshalStoredToken(tok)
	require.NoError(t, err)
	assert.Contains(t, string(b), "access-secret")
	assert.Contains(t, string(b), "refresh-secret")
	assert.Contains(t, string(b), `"2026-12-06T17:00:00Z"`, "the expiry in UTC")
	back, err := UnmarshalStoredToken(b)
	require.NoError(t, err)
	assert.Equal(t, tok.Token.AccessToken, back.Token.AccessToken)
	assert.Equal(t, tok.Token.RefreshToken, back.Token.RefreshToken)
	assert.True(t, tok.Token.Expiry.Equal(back.Token.Expiry))
	assert.Equal(t, tok.FamilyID, back.FamilyID)

	_, err = UnmarshalStoredToken([]byte(`{"family_id":"fam"}`))
	assert.ErrorIs(t, err, ErrNoStoredToken)
	for _, bad := range []string{`{"access_token":"leak-me"`, `{"access_token":"leak-me"} {}`, `{"access_token":17}`} {
		_, err := UnmarshalStoredToken([]byte(bad))
		require.Error(t, err, bad)
		assert.NotContains(t, err.Error(), "leak-me", bad)
		assert.NotErrorIs(t, err, ErrNoStoredToken, bad)
	}
	_, err = MarshalStoredToken(nil)
	assert.Error(t, err)
}
