package auth

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/spotifysdk/spotify-go/clock"
)

const testRedirect = "http://127.0.0.1:8765/callback"

// userServer is a fake accounts service for the authorization code flow:
// GET /authorize redirects back with a code (or error=access_denied when
// deny is set), POST /api/token exchanges codes (checking PKCE or the
// client secret) and refreshes, rotating the refresh token every time and
// answering invalid_grant for a spent or revoked one.
type userServer struct {
	*httptest.Server
	secret string // "" = public client: client_id in the form, PKCE required

	mu          sync.Mutex
	codes       map[string]codeGrant
	valid       map[string]bool
	n           int
	life        int  // expires_in
	omitRefresh bool // refresh answers without refresh_token
	deny        bool // /authorize answers error=access_denied
	gate        chan struct{}

	arrived       atomic.Int32 // token requests received, counted before the gate
	refreshes     atomic.Int32
	exchanges     atomic.Int32
	invalidGrants atomic.Int32
}

type codeGrant struct{ challenge, redirect string }

func newUserServer(t testing.TB, secret string) *userServer {
	t.Helper()
	s := &userServer{secret: secret, codes: map[string]codeGrant{}, valid: map[string]bool{}, life: 3600}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /authorize", s.authorize)
	mux.HandleFunc("POST /api/token", s.token)
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func (s *userServer) tokenURL() string { return s.URL + "/api/token" }
func (s *userServer) authURL() string  { return s.URL + "/authorize" }

func (s *userServer) set(f func(s *userServer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *userServer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || q.Get("response_type") != "code" || q.Get("client_id") != testID {
		http.Error(w, "bad authorize request", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	deny := s.deny
	s.n++
	code := fmt.Sprintf("code-%d", s.n)
	if !deny {
		s.codes[code] = codeGrant{challenge: q.Get("code_challenge"), redirect: back.String()}
	}
	s.mu.Unlock()
	v := url.Values{"state": {q.Get("state")}}
	if deny {
		v.Set("error", "access_denied")
	} else {
		v.Set("code", code)
	}
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":%q,"error_description":%q}`, code, desc)
}

func (s *userServer) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, 400, "invalid_request", "bad form")
		return
	}
	user, pass, basic := r.BasicAuth()
	switch {
	case s.secret != "" && (!basic || user != testID || pass != s.secret):
		oauthError(w, 400, "invalid_client", "Invalid client secret")
		return
	case s.secret == "" && (basic || r.PostForm.Get("client_id") != testID):
		oauthError(w, 400, "invalid_client", "Invalid client")
		return
	}
	s.arrived.Add(1)
	s.mu.Lock()
	gate := s.gate
	s.mu.Unlock()
	if gate != nil {
		<-gate
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var refresh string
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		code := r.PostForm.Get("code")
		g, ok := s.codes[code]
		delete(s.codes, code)
		switch {
		case !ok:
			oauthError(w, 400, "invalid_grant", "Invalid authorization code")
			return
		case g.redirect != r.PostForm.Get("redirect_uri"):
			oauthError(w, 400, "invalid_grant", "Invalid redirect URI")
			return
		case s.secret == "" && (g.challenge == "" || challengeS256(Secret(r.PostForm.Get("code_verifier"))) != g.challenge):
			oauthError(w, 400, "invalid_grant", "code_verifier was incorrect")
			return
		}
		s.exchanges.Add(1)
	case "refresh_token":
		s.refreshes.Add(1)
		old := r.PostForm.Get("refresh_token")
		if !s.valid[old] {
			s.invalidGrants.Add(1)
			oauthError(w, 400, "invalid_grant", "Refresh token revoked")
			return
		}
		if s.omitRefresh {
			refresh = "" // the old one stays valid
		} else {
			delete(s.valid, old)
		}
	default:
		oauthError(w, 400, "unsupported_grant_type", "")
		return
	}
	s.n++
	at := fmt.Sprintf("at-%d", s.n)
	body := fmt.Sprintf(`{"access_token":%q,"token_type":"Bearer","expires_in":%d,"scope":"user-read-private"`, at, s.life)
	if !(s.omitRefresh && r.PostForm.Get("grant_type") == "refresh_token") {
		refresh = fmt.Sprintf("rt-%d", s.n)
		s.valid[refresh] = true
		body += fmt.Sprintf(`,"refresh_token":%q`, refresh)
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, body+"}")
}

// seed makes a valid refresh token without a login and returns a stored
// token holding it, with the given access-token expiry.
func (s *userServer) seed(fc clock.Clock, life int) *StoredToken {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	rt := fmt.Sprintf("rt-%d", s.n)
	s.valid[rt] = true
	return &StoredToken{
		Token:    Token{AccessToken: fmt.Sprintf("at-%d", s.n), TokenType: "Bearer", RefreshToken: rt, Expiry: clock.Or(fc).Now().Add(secondsOf(life))},
		FamilyID: "fam-seed",
	}
}

func (s *userServer) isValid(rt string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.valid[rt]
}
