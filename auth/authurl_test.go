package auth

import (
	"errors"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPKCEVerifierAndChallenge(t *testing.T) {
	// RFC 7636, appendix B.
	assert.Equal(t, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", challengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
	v := newVerifier()
	assert.Len(t, v, 43)
	assert.Regexp(t, `^[A-Za-z0-9_-]{43}$`, string(v))
	assert.NotEqual(t, v, newVerifier())
	assert.Len(t, challengeS256(v), 43)
}

func TestAuthURL(t *testing.T) {
	srv := newUserServer(t, "")
	a := newAC(t, srv, AuthorizationCodeConfig{Scopes: []string{"user-read-private, playlist-read-private", " user-read-private"}})
	req := a.AuthURL("st4te")
	u, err := url.Parse(req.URL)
	require.NoError(t, err)
	q := u.Query()
	assert.Equal(t, srv.authURL(), u.Scheme+"://"+u.Host+u.Path)
	assert.Equal(t, testID, q.Get("client_id"))
	assert.Equal(t, "code", q.Get("response_type"))
	assert.Equal(t, testRedirect, q.Get("redirect_uri"))
	assert.Equal(t, "user-read-private playlist-read-private", q.Get("scope"))
	assert.Equal(t, "st4te", q.Get("state"))
	assert.Equal(t, "st4te", req.State)
	assert.Equal(t, "S256", q.Get("code_challenge_method"))
	assert.Equal(t, challengeS256(req.Verifier), q.Get("code_challenge"))
	assert.Empty(t, q.Get("show_dialog"))
	assert.NotContains(t, req.URL, req.Verifier)

	req2 := a.AuthURL("", ShowDialog(), WithScopes("user-library-read"))
	q2 := must(url.Parse(req2.URL)).Query()
	assert.Len(t, req2.State, 32, "a random state of 24 bytes")
	assert.NotEqual(t, req.Verifier, req2.Verifier)
	assert.Equal(t, "true", q2.Get("show_dialog"))
	assert.Equal(t, "user-library-read", q2.Get("scope"))

	conf := newAC(t, newUserServer(t, testSecret), AuthorizationCodeConfig{})
	assert.False(t, conf.PKCE())
	req3 := conf.AuthURL("x")
	assert.Empty(t, req3.Verifier)
	assert.NotContains(t, req3.URL, "code_challenge")
	assert.NotContains(t, req3.URL, "scope=")
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestRedirectURIValidation(t *testing.T) {
	t.Setenv(EnvClientSecret, "")
	for _, ok := range []string{"https://example.com/cb", "http://127.0.0.1:8080/callback", "http://[::1]:9000/cb", "http://127.0.0.1/cb"} {
		assert.NoError(t, checkRedirectURI(ok), ok)
	}
	err := checkRedirectURI("http://localhost:8080/callback")
	require.ErrorIs(t, err, ErrInvalidRedirectURI)
	assert.Contains(t, err.Error(), "November 2025")
	assert.Contains(t, err.Error(), "127.0.0.1")
	for _, bad := range []string{"http://example.com/cb", "ftp://127.0.0.1/cb", "/callback", "http://127.0.0.1:80/cb#frag", "myapp://callback"} {
		assert.ErrorIs(t, checkRedirectURI(bad), ErrInvalidRedirectURI, bad)
	}

	t.Setenv(EnvClientID, testID)
	t.Setenv(EnvRedirectURI, "http://localhost:8888/cb")
	_, err = NewAuthorizationCode(AuthorizationCodeConfig{})
	assert.ErrorIs(t, err, ErrInvalidRedirectURI)

	t.Setenv(EnvRedirectURI, "")
	_, err = NewAuthorizationCode(AuthorizationCodeConfig{})
	assert.ErrorIs(t, err, ErrMissingCredentials)
	assert.Contains(t, err.Error(), EnvRedirectURI)

	t.Setenv(EnvClientID, "")
	_, err = NewAuthorizationCode(AuthorizationCodeConfig{RedirectURI: testRedirect})
	assert.ErrorIs(t, err, ErrMissingCredentials)
	assert.Contains(t, err.Error(), EnvClientID)

	t.Setenv(EnvClientID, testID)
	t.Setenv(EnvClientSecret, testSecret)
	t.Setenv(EnvRedirectURI, "https://app.example/cb")
	a, err := NewAuthorizationCode(AuthorizationCodeConfig{})
	require.NoError(t, err)
	defer a.Close()
	assert.False(t, a.PKCE())
	assert.Equal(t, "https://app.example/cb", a.RedirectURI())
	assert.Equal(t, "user:", a.Identity())
}

func TestParseCallback(t *testing.T) {
	code, err := ParseCallback("http://127.0.0.1:8765/callback?code=abc&state=s1", "s1")
	require.NoError(t, err)
	assert.Equal(t, "abc", code)
	code, err = ParseCallback("?code=abc&state=s1", "s1")
	require.NoError(t, err)
	assert.Equal(t, "abc", code)
	code, err = ParseCallback("code=abc&state=s1", "s1")
	require.NoError(t, err)
	assert.Equal(t, "abc", code)

	_, err = ParseCallback("http://127.0.0.1:8765/callback?code=abc&state=evil", "s1")
	assert.ErrorIs(t, err, ErrStateMismatch)
	assert.Contains(t, err.Error(), "state mismatch")
	_, err = ParseCallback("code=abc", "s1")
	assert.ErrorIs(t, err, ErrStateMismatch, "a missing state is a mismatch")
	_, err = ParseCallback("error=access_denied&state=evil", "s1")
	assert.ErrorIs(t, err, ErrStateMismatch, "the state is checked first")

	_, err = ParseCallback("http://127.0.0.1:8765/callback?error=access_denied&state=s1", "s1")
	require.ErrorIs(t, err, ErrAccessDenied)
	var ce *CallbackError
	require.True(t, errors.As(err, &ce))
	assert.Equal(t, "access_denied", ce.Code)
	assert.Contains(t, err.Error(), "declined")

	_, err = ParseCallback("error=server_error&error_description=oops&state=s1", "s1")
	assert.NotErrorIs(t, err, ErrAccessDenied)
	assert.Contains(t, err.Error(), "server_error (oops)")

	_, err = ParseCallback("state=s1", "s1")
	assert.ErrorIs(t, err, ErrMissingCode)
	_, err = ParseCallback("code=abc&state=", "")
	assert.Error(t, err, "an empty expected state is refused")
}
