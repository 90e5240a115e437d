package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
)

// AuthRequest is the start of one login: the URL to open in the user's
// browser, the state it carries, and (with PKCE) the code verifier that
// [AuthorizationCode.Exchange] needs. Keep it until the callback arrives.
// The verifier is a [Secret]: it prints, logs and encodes redacted, so a
// program that keeps the request outside memory (a session store) saves
// string(r.Verifier) itself.
type AuthRequest struct {
	// URL is the authorization URL to open.
	URL string
	// State is the state sent in URL; pass it to [ParseCallback].
	State string
	// Verifier is the PKCE code verifier; "" for a confidential client.
	Verifier Secret
}

// AuthURLOption changes one authorization URL.
type AuthURLOption func(*authURLOptions)

type authURLOptions struct {
	showDialog bool
	scopes     []string
	setScopes  bool
}

// ShowDialog makes Spotify show the consent dialog even when the user has
// already approved the app (show_dialog=true), for example to switch
// accounts.
func ShowDialog() AuthURLOption { return func(o *authURLOptions) { o.showDialog = true } }

// WithScopes asks for these scopes instead of the configured ones.
func WithScopes(scopes ...string) AuthURLOption {
	return func(o *authURLOptions) { o.scopes, o.setScopes = scopes, true }
}

// AuthURL starts a login: it returns the authorization URL (client_id,
// response_type=code, redirect_uri, scope, state, and with PKCE an S256
// code_challenge) with its state and verifier. An empty state is replaced
// by a random one (24 bytes).
func (a *AuthorizationCode) AuthURL(state string, opts ...AuthURLOption) AuthRequest {
	var o authURLOptions
	for _, opt := range opts {
		opt(&o)
	}
	if state == "" {
		state = randomString(24)
	}
	req := AuthRequest{State: state}
	u, _ := url.Parse(a.authURL) // checked by NewAuthorizationCode
	q := u.Query()
	q.Set("client_id", a.clientID)
	q.Set("response_type", "code")
	q.Set("redirect_uri", a.redirectURI)
	scope := a.scope
	if o.setScopes {
		scope = normalizeScopes(o.scopes)
	}
	if scope != "" {
		q.Set("scope", scope)
	}
	q.Set("state", state)
	if o.showDialog {
		q.Set("show_dialog", "true")
	}
	if a.PKCE() {
		req.Verifier = newVerifier()
		q.Set("code_challenge_method", "S256")
		q.Set("code_challenge", challengeS256(req.Verifier))
	}
	u.RawQuery = q.Encode()
	req.URL = u.String()
	return req
}

// newVerifier returns a PKCE code verifier (RFC 7636 §4.1): 32 random bytes
// in unpadded base64url, 43 characters.
func newVerifier() Secret { return Secret(randomString(32)) }

// challengeS256 returns the S256 code challenge of verifier (RFC 7636 §4.2):
// BASE64URL(SHA256(verifier)), unpadded.
func challengeS256(verifier Secret) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// randomString returns n random bytes in unpadded base64url. crypto/rand
// never fails on supported platforms (it panics otherwise).
func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// newFamilyID returns the id of a new token family: a random value created
// at code exchange and kept with the token through every refresh, so that
// the provider's identity stays the same while its tokens rotate.
func newFamilyID() string { return randomString(16) }
