package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/internal/scrub"
)

func secondsOf(n int) time.Duration { return time.Duration(n) * time.Second }

// newAC returns a provider against srv; cfg's empty fields get test values.
func newAC(t *testing.T, srv *userServer, cfg AuthorizationCodeConfig) *AuthorizationCode {
	t.Helper()
	t.Setenv(EnvClientID, "")
	t.Setenv(EnvClientSecret, "")
	t.Setenv(EnvRedirectURI, "")
	if cfg.ClientID == "" {
		cfg.ClientID = testID
	}
	if cfg.ClientSecret == "" {
		cfg.ClientSecret = Secret(srv.secret)
	}
	if cfg.RedirectURI == "" {
		cfg.RedirectURI = testRedirect
	}
	cfg.TokenURL, cfg.AuthURL = srv.tokenURL(), srv.authURL()
	a, err := NewAuthorizationCode(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// browse plays the browser: it opens the authorization URL and returns the
// callback URL the server redirected to, without following it.
func browse(t *testing.T, authURL string) string {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(authURL)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	return resp.Header.Get("Location")
}

// login runs the whole flow by hand: AuthURL, browser, ParseCallback, Exchange.
func login(t *testing.T, a *AuthorizationCode) *Token {
	t.Helper()
	req := a.AuthURL("")
	code, err := ParseCallback(browse(t, req.URL), req.State)
	require.NoError(t, err)
	tok, err := a.Exchange(context.Background(), code, req.Verifier)
	require.NoError(t, err)
	return tok
}

func TestExchangeRefreshRotationAndRestart(t *testing.T) {
	verifyNoLeaks(t)
	srv := newUserServer(t, "")
	fc := clock.NewFake()
	fs, err := NewFileStore(filepath.Join(t.TempDir(), "token.json"))
	require.NoError(t, err)
	var mu sync.Mutex
	var hooked []string
	onToken := func(tok *Token) {
		mu.Lock()
		hooked = append(hooked, tok.AccessToken)
		mu.Unlock()
	}
	a := newAC(t, srv, AuthorizationCodeConfig{Store: fs, Clock: fc, OnToken: onToken})

	_, err = a.Token(context.Background())
	require.ErrorIs(t, err, ErrLoginRequired, "no token before the login")

	tok := login(t, a)
	assert.Equal(t, "at-2", tok.AccessToken)
	assert.Equal(t, "rt-2", tok.RefreshToken)
	assert.Equal(t, "user-read-private", tok.Scope)
	st, err := fs.Load(context.Background())
	require.NoError(t, err)
	require.NotNil(t, st)
	assert.Equal(t, "rt-2", st.Token.RefreshToken)
	require.NotEmpty(t, st.FamilyID)
	assert.Equal(t, "user:"+st.FamilyID, a.Identity())
	family := st.FamilyID

	got, err := a.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "at-2", got.AccessToken, "the exchanged token is used")

	fc.Advance(time.Hour)
	got, err = a.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "at-3", got.AccessToken)
	assert.Equal(t, "rt-3", got.RefreshToken)
	assert.False(t, srv.isValid("rt-2"), "the old refresh token was spent")
	st, err = fs.Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "rt-3", st.Token.RefreshToken, "the rotated refresh token is saved")
	assert.Equal(t, "at-3", st.Token.AccessToken)
	assert.Equal(t, family, st.FamilyID, "the family id survives a refresh")
	assert.Equal(t, "user:"+family, a.Identity())
	require.NoError(t, a.Close())

	// A restart from the file store uses the saved token, then refreshes
	// with the rotated refresh token.
	b := newAC(t, srv, AuthorizationCodeConfig{Store: fs, Clock: fc, OnToken: onToken})
	assert.Equal(t, "user:"+family, b.Identity())
	got, err = b.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "at-3", got.AccessToken)
	fc.Advance(time.Hour)
	got, err = b.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "at-4", got.AccessToken)
	assert.Equal(t, int32(0), srv.invalidGrants.Load())
	mu.Lock()
	assert.Equal(t, []string{"at-2", "at-3", "at-4"}, hooked, "OnToken sees every new token")
	mu.Unlock()
}

func TestConfidentialClientExchange(t *testing.T) {
	verifyNoLeaks(t)
	srv := newUserServer(t, testSecret)
	a := newAC(t, srv, AuthorizationCodeConfig{})
	req := a.AuthURL("")
	code, err := ParseCallback(browse(t, req.URL), req.State)
	require.NoError(t, err)
	tok, err := a.Exchange(context.Background(), code, "")
	require.NoError(t, err)
	assert.NotEmpty(t, tok.RefreshToken)

	_, err = a.Exchange(context.Background(), code, "")
	require.ErrorIs(t, err, ErrInvalidGrant, "a code is single-use")
	assert.ErrorIs(t, err, ErrLoginRequired)
	assert.Contains(t, err.Error(), "start the login again")
}

func TestExchangeNeedsVerifierWithPKCE(t *testing.T) {
	srv := newUserServer(t, "")
	a := newAC(t, srv, AuthorizationCodeConfig{})
	req := a.AuthURL("")
	code, err := ParseCallback(browse(t, req.URL), req.State)
	require.NoError(t, err)
	_, err = a.Exchange(context.Background(), code, "")
	assert.ErrorContains(t, err, "verifier")
	_, err = a.Exchange(context.Background(), code, newVerifier())
	assert.ErrorIs(t, err, ErrInvalidGrant, "a wrong verifier is refused")
	_, err = a.Exchange(context.Background(), "", "v")
	assert.ErrorIs(t, err, ErrMissingCode)
}

func TestRefreshWithoutRefreshTokenKeepsTheOldOne(t *testing.T) {
	verifyNoLeaks(t)
	srv := newUserServer(t, "")
	fc := clock.NewFake()
	store := NewMemoryStore()
	require.NoError(t, store.Save(context.Background(), srv.seed(fc, 60)))
	srv.set(func(s *userServer) { s.omitRefresh = true })
	a := newAC(t, srv, AuthorizationCodeConfig{Store: store, Clock: fc})
	fc.Advance(time.Minute)
	tok, err := a.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "at-2", tok.AccessToken)
	assert.Equal(t, "rt-1", tok.RefreshToken, "the old refresh token is kept")
	st, _ := store.Load(context.Background())
	assert.Equal(t, "rt-1", st.Token.RefreshToken)
	assert.Equal(t, "at-2", st.Token.AccessToken)
	assert.Equal(t, "fam-seed", st.FamilyID)
	assert.Equal(t, "user:fam-seed", a.Identity())
}

func TestFiftyCallersOnAnExpiredTokenMakeOneRefresh(t *testing.T) {
	verifyNoLeaks(t)
	srv := newUserServer(t, "")
	fc := clock.NewFake()
	store := NewMemoryStore()
	require.NoError(t, store.Save(context.Background(), srv.seed(fc, 60)))
	a := newAC(t, srv, AuthorizationCodeConfig{Store: store, Clock: fc})
	gate := make(chan struct{})
	srv.set(func(s *userServer) { s.gate = gate })
	fc.Advance(time.Hour)

	var wg sync.WaitGroup
	toks := make(chan *Token, 50)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := a.Token(context.Background())
			assert.NoError(t, err)
			toks <- tok
		}()
	}
	require.Eventually(t, func() bool { return srv.arrived.Load() == 1 }, 5*time.Second, time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	assert.Equal(t, int32(1), srv.arrived.Load(), "one request while 50 callers wait")
	close(gate)
	wg.Wait()
	close(toks)
	for tok := range toks {
		assert.Equal(t, "at-2", tok.AccessToken)
	}
	assert.Equal(t, int32(1), srv.refreshes.Load())
	assert.Equal(t, int32(0), srv.invalidGrants.Load())
}

func TestEarlyRefreshAndInvalidate(t *testing.T) {
	verifyNoLeaks(t)
	srv := newUserServer(t, "")
	fc := clock.NewFake()
	store := NewMemoryStore()
	require.NoError(t, store.Save(context.Background(), srv.seed(fc, 3600)))
	var hooks sync.WaitGroup
	hooks.Add(2)
	a := newAC(t, srv, AuthorizationCodeConfig{Store: store, Clock: fc, OnToken: func(*Token) { hooks.Done() }})

	fc.Advance(56 * time.Minute) // inside the 5-minute early window
	tok, err := a.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "at-1", tok.AccessToken, "the current token is handed out during the early refresh")
	require.Eventually(t, func() bool {
		st, _ := store.Load(context.Background())
		return st.Token.AccessToken == "at-2"
	}, 5*time.Second, time.Millisecond)
	require.Eventually(t, func() bool {
		tok, err := a.Token(context.Background())
		return err == nil && tok.AccessToken == "at-2"
	}, 5*time.Second, time.Millisecond)

	// A 401 on the current token refreshes once; a stale one is ignored.
	a.Invalidate(&Token{AccessToken: "at-1"})
	tok, err = a.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "at-2", tok.AccessToken)
	a.Invalidate(tok)
	tok, err = a.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "at-3", tok.AccessToken)
	assert.Equal(t, int32(2), srv.refreshes.Load())
	hooks.Wait()
}

func TestProviderAdoptsANewerTokenFromTheStore(t *testing.T) {
	verifyNoLeaks(t)
	srv := newUserServer(t, "")
	fc := clock.NewFake()
	store := NewMemoryStore()
	require.NoError(t, store.Save(context.Background(), srv.seed(fc, 60)))
	a := newAC(t, srv, AuthorizationCodeConfig{Store: store, Clock: fc})
	b := newAC(t, srv, AuthorizationCodeConfig{Store: store, Clock: fc})
	fc.Advance(time.Minute)
	ta, err := a.Token(context.Background())
	require.NoError(t, err)
	tb, err := b.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, ta.AccessToken, tb.AccessToken, "b adopts a's refresh instead of spending the old refresh token")
	assert.Equal(t, int32(1), srv.refreshes.Load())
	assert.Equal(t, a.Identity(), b.Identity())
}

func TestAuthorizationCodeRedaction(t *testing.T) {
	t.Setenv(EnvClientSecret, "")
	cfg := AuthorizationCodeConfig{ClientID: testID, ClientSecret: testSecret, RedirectURI: testRedirect}
	a, err := NewAuthorizationCode(cfg)
	require.NoError(t, err)
	defer a.Close()
	req := AuthRequest{URL: "https://x", State: "s", Verifier: "VERIFIER-SECRET-123"}
	st := StoredToken{Token: Token{AccessToken: secretAccess, RefreshToken: secretRefresh}, FamilyID: "f"}
	lre := &LoginRequiredError{Err: newTokenError(400, []byte(`{"error":"invalid_grant","error_description":"`+secretRefresh+`"}`), scrub.New(secretRefresh))}
	for name, v := range map[string]any{"config": cfg, "provider": a, "request": req, "stored": st, "stored pointer": &st, "error": lre} {
		out := printings(v)
		for _, secret := range []string{secretAccess, secretRefresh, testSecret, "VERIFIER-SECRET"} {
			assert.NotContains(t, out, secret, "%s: %s", name, out)
		}
	}
	assert.True(t, strings.Contains(printings(a), testID))
}

// flakyStore fails every Save after the first failAfter ones.
type flakyStore struct {
	*MemoryStore
	mu        sync.Mutex
	saves     int
	failAfter int
}

func (f *flakyStore) Save(ctx context.Context, st *StoredToken) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.MemoryStore.Save(ctx, st)
}

// fail counts a save and fails it after the first failAfter.
func (f *flakyStore) fail() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.saves++
	if f.saves > f.failAfter {
		return errors.New("disk full")
	}
	return nil
}

// Lock wraps the memory store's lease, whose saves fail as the store's do
// (a wrapper of a store that changes Save must wrap Lock too).
func (f *flakyStore) Lock(ctx context.Context) (Lease, error) {
	l, err := f.MemoryStore.Lock(ctx)
	if err != nil {
		return nil, err
	}
	return flakyLease{l, f}, nil
}

type flakyLease struct {
	Lease
	f *flakyStore
}

func (l flakyLease) Save(ctx context.Context, st *StoredToken) error {
	if err := l.f.fail(); err != nil {
		return err
	}
	return l.Lease.Save(ctx, st)
}

func TestFailedSaveKeepsTheRotatedTokenInMemory(t *testing.T) {
	verifyNoLeaks(t)
	srv := newUserServer(t, "")
	fc := clock.NewFake()
	store := &flakyStore{MemoryStore: NewMemoryStore(), failAfter: 1}
	require.NoError(t, store.Save(context.Background(), srv.seed(fc, 60)))
	var storeErrs []error
	var mu sync.Mutex
	a := newAC(t, srv, AuthorizationCodeConfig{Store: store, Clock: fc, OnStoreError: func(err error) {
		mu.Lock()
		storeErrs = append(storeErrs, err)
		mu.Unlock()
	}})
	for i := range 2 {
		fc.Advance(time.Hour)
		tok, err := a.Token(context.Background())
		require.NoError(t, err, "refresh %d", i)
		assert.Equal(t, fmt.Sprintf("rt-%d", i+2), tok.RefreshToken)
	}
	assert.Zero(t, srv.invalidGrants.Load(), "the rotated token kept in memory is used, not the stale stored one")
	mu.Lock()
	assert.Len(t, storeErrs, 2)
	mu.Unlock()
}

func TestTokenErrorScrubsEchoedVerifier(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"error":"invalid_grant","error_description":"bad verifier %s"}`, r.PostForm.Get("code_verifier"))
	}))
	defer srv.Close()
	ep := &tokenEndpoint{url: srv.URL, clientID: "id", client: srv.Client(), clock: clock.NewFake()}
	const verifier = "VERIFIER-SECRET-echoed"
	_, err := ep.request(context.Background(), url.Values{"grant_type": {"authorization_code"}, "code": {"AUTHCODE-1"}, "code_verifier": {verifier}})
	require.ErrorIs(t, err, ErrInvalidGrant)
	assert.NotContains(t, err.Error(), verifier)
	assert.Contains(t, err.Error(), "[REDACTED]")
}

// lagStore is a store without a lock (only Load and Save) that lags behind
// another provider: its first stale loads return old, later ones the token
// that provider rotated.
type lagStore struct {
	mu           sync.Mutex
	old, rotated *StoredToken
	stale        int
	loads        int
}

func (s *lagStore) Load(context.Context) (*StoredToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loads++
	st := s.rotated
	if s.stale > 0 {
		s.stale--
		st = s.old
	}
	c := *st
	return &c, nil
}

func (s *lagStore) Save(context.Context, *StoredToken) error { return nil }

func TestRefusedRefreshRetriesWithTheTokenAnotherProviderRotatedWithoutALock(t *testing.T) {
	verifyNoLeaks(t)
	srv := newUserServer(t, "")
	fc := clock.NewFake()
	old := srv.seed(fc, 60)

	// Another provider rotates the refresh token first.
	other := NewMemoryStore()
	require.NoError(t, other.Save(context.Background(), old))
	b := newAC(t, srv, AuthorizationCodeConfig{Store: other, Clock: fc})
	fc.Advance(time.Minute)
	_, err := b.Token(context.Background())
	require.NoError(t, err)
	rotated, err := other.Load(context.Background())
	require.NoError(t, err)
	require.NotEqual(t, old.Token.RefreshToken, rotated.Token.RefreshToken)

	// This provider's store still hands out the old token at start and at
	// its refresh, and the rotated one after the refusal.
	store := &lagStore{old: old, rotated: rotated, stale: 2}
	_, locks := any(store).(TokenLocker)
	require.False(t, locks, "the store has no lock")
	a := newAC(t, srv, AuthorizationCodeConfig{Store: store, Clock: fc})
	tok, err := a.Token(context.Background())
	require.NoError(t, err, "the refused refresh is retried with the rotated token")
	assert.Equal(t, rotated.Token.AccessToken, tok.AccessToken, "the rotated token is in use")
	assert.Equal(t, int32(1), srv.invalidGrants.Load(), "one invalid_grant")
	assert.Equal(t, "user:"+rotated.FamilyID, a.Identity())
	store.mu.Lock()
	assert.Equal(t, 3, store.loads, "the store is read at start, at the refresh and once after the refusal")
	store.mu.Unlock()
	tok, err = a.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, rotated.Token.AccessToken, tok.AccessToken)
}

// A revoked refresh token needs a new login, and is not sent again.
func TestRefusedRefreshTokenIsNotSentAgain(t *testing.T) {
	verifyNoLeaks(t)
	srv := newUserServer(t, "")
	fc := clock.NewFake()
	store := NewMemoryStore()
	seed := srv.seed(fc, 60)
	require.NoError(t, store.Save(context.Background(), seed))
	srv.set(func(s *userServer) { delete(s.valid, seed.Token.RefreshToken) }) // revoked
	a := newAC(t, srv, AuthorizationCodeConfig{Store: store, Clock: fc})
	fc.Advance(time.Minute)
	for i := range 2 {
		_, err := a.Token(context.Background())
		require.ErrorIs(t, err, ErrLoginRequired, "call %d", i)
		require.ErrorIs(t, err, ErrInvalidGrant, "call %d", i)
		assert.Contains(t, err.Error(), "log in again")
		assert.NotContains(t, err.Error(), seed.Token.RefreshToken)
		var lre *LoginRequiredError
		require.ErrorAs(t, err, &lre)
		var te *TokenError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, "invalid_grant", te.Code)
	}
	assert.Equal(t, int32(1), srv.arrived.Load(), "one token request for two calls after the refusal")

	// A newer token in the store (saved by another provider) is used.
	fresh := srv.seed(fc, 3600)
	require.NoError(t, store.Save(context.Background(), fresh))
	tok, err := a.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, fresh.Token.AccessToken, tok.AccessToken)

	// So is a new login, after the newer token was refused too.
	srv.set(func(s *userServer) { delete(s.valid, fresh.Token.RefreshToken) })
	fc.Advance(2 * time.Hour)
	_, err = a.Token(context.Background())
	require.ErrorIs(t, err, ErrInvalidGrant)
	_, err = a.Token(context.Background())
	require.ErrorIs(t, err, ErrInvalidGrant)
	assert.Equal(t, int32(2), srv.refreshes.Load(), "one request per refused refresh token")
	login(t, a)
	tok, err = a.Token(context.Background())
	require.NoError(t, err)
	assert.NotEqual(t, fresh.Token.AccessToken, tok.AccessToken)
	fc.Advance(2 * time.Hour)
	_, err = a.Token(context.Background())
	require.NoError(t, err, "the login's refresh token is sent")
	assert.Equal(t, int32(3), srv.refreshes.Load())
}
