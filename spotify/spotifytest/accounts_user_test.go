package spotifytest

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const redirectURI = "http://127.0.0.1:8888/callback"

// authorize sends GET /authorize with q (client_id, response_type and
// redirect_uri filled in when absent) and returns the redirect's query;
// it fails unless the answer is a 302 to redirectURI.
func authorize(t *testing.T, srv *Server, q url.Values) url.Values {
	t.Helper()
	for k, v := range map[string]string{"client_id": ClientID, "response_type": "code", "redirect_uri": redirectURI} {
		if _, ok := q[k]; !ok {
			q.Set(k, v)
		}
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(srv.URL + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, redirectURI+"?") {
		t.Fatalf("authorize: %d Location %q", resp.StatusCode, loc)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// challengeOf computes the S256 challenge independently of the server.
func challengeOf(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-verifier"

// pkceCode runs /authorize with a PKCE challenge for scopes and returns
// the code.
func pkceCode(t *testing.T, srv *Server, scopes string) string {
	t.Helper()
	back := authorize(t, srv, url.Values{
		"scope": {scopes}, "state": {"xyz"}, "code_challenge_method": {"S256"},
		"code_challenge": {challengeOf(verifier)}, "show_dialog": {"true"},
	})
	if back.Get("state") != "xyz" || back.Get("code") == "" {
		t.Fatalf("redirect query %v", back)
	}
	return back.Get("code")
}

// exchangePKCE posts the PKCE code exchange (client_id in the form, no
// secret).
func exchangePKCE(t *testing.T, srv *Server, code, ver string) (int, map[string]any) {
	t.Helper()
	return postToken(t, srv, "", "", url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI},
		"client_id": {ClientID}, "code_verifier": {ver},
	})
}

func wantOAuthError(t *testing.T, what string, status int, m map[string]any, code, desc string) {
	t.Helper()
	if status != 400 || m["error"] != code || m["error_description"] != desc {
		t.Fatalf("%s: %d %v, want 400 %s %q", what, status, m, code, desc)
	}
}

func TestAuthorizationCodePKCE(t *testing.T) {
	srv := start(t)
	code := pkceCode(t, srv, "user-read-email user-library-read")
	status, m := exchangePKCE(t, srv, code, verifier)
	if status != 200 || m["token_type"] != "Bearer" || m["expires_in"] != 3600.0 ||
		m["scope"] != "user-read-email user-library-read" || m["refresh_token"] == nil {
		t.Fatalf("exchange: %d %v", status, m)
	}
	tok := m["access_token"].(string)
	code2, me := fetch(t, srv, tok, "/v1/me")
	if code2 != 200 || !strings.Contains(string(me), `"id":"`+srv.LoginUser()+`"`) || !strings.Contains(string(me), `"email":`) {
		t.Fatalf("/me with the user token: %d %s", code2, me)
	}
	// A code is single use.
	status, m = exchangePKCE(t, srv, code, verifier)
	wantOAuthError(t, "code reuse", status, m, "invalid_grant", "Invalid authorization code")

	// A wrong verifier.
	status, m = exchangePKCE(t, srv, pkceCode(t, srv, ""), verifier+"x")
	wantOAuthError(t, "wrong verifier", status, m, "invalid_grant", "code_verifier was incorrect")
	status, m = exchangePKCE(t, srv, pkceCode(t, srv, ""), "")
	wantOAuthError(t, "no verifier", status, m, "invalid_request", "code_verifier required")
	status, m = exchangePKCE(t, srv, "AQnotacode", verifier)
	wantOAuthError(t, "bad code", status, m, "invalid_grant", "Invalid authorization code")

	// The redirect URI must be the one authorized.
	status, m = postToken(t, srv, "", "", url.Values{
		"grant_type": {"authorization_code"}, "code": {pkceCode(t, srv, "")}, "redirect_uri": {redirectURI + "/other"},
		"client_id": {ClientID}, "code_verifier": {verifier},
	})
	wantOAuthError(t, "redirect mismatch", status, m, "invalid_grant", "Invalid redirect URI")
}

func TestAuthorizationCodeSecret(t *testing.T) {
	srv := start(t)
	code := authorize(t, srv, url.Values{"scope": {"user-top-read"}}).Get("code")
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}}
	status, m := postToken(t, srv, ClientID, ClientSecret, form)
	if status != 200 || m["scope"] != "user-top-read" || m["refresh_token"] == nil {
		t.Fatalf("exchange with the secret: %d %v", status, m)
	}
	// Without PKCE a public client (no secret) cannot exchange.
	code = authorize(t, srv, url.Values{}).Get("code")
	status, m = postToken(t, srv, "", "", url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}, "client_id": {ClientID},
	})
	wantOAuthError(t, "public client without PKCE", status, m, "invalid_client", "Invalid client secret")
	// A wrong secret fails before the code is looked at.
	form.Set("code", authorize(t, srv, url.Values{}).Get("code"))
	status, m = postToken(t, srv, ClientID, "wrong", form)
	wantOAuthError(t, "wrong secret", status, m, "invalid_client", "Invalid client secret")
}

func TestAuthorizationCodeExpires(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	srv := start(t, WithClock(clk.now))
	code := pkceCode(t, srv, "")
	clk.add(codeLifetime)
	status, m := exchangePKCE(t, srv, code, verifier)
	wantOAuthError(t, "expired code", status, m, "invalid_grant", "Authorization code expired")
}

func refresh(t *testing.T, srv *Server, rt string) (int, map[string]any) {
	t.Helper()
	return postToken(t, srv, "", "", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {ClientID}})
}

func TestRefreshRotation(t *testing.T) {
	srv := start(t)
	_, m := exchangePKCE(t, srv, pkceCode(t, srv, "user-library-read"), verifier)
	rt1 := m["refresh_token"].(string)
	status, m := refresh(t, srv, rt1)
	rt2, _ := m["refresh_token"].(string)
	if status != 200 || rt2 == "" || rt2 == rt1 || m["scope"] != "user-library-read" || m["access_token"] == "" {
		t.Fatalf("refresh: %d %v", status, m)
	}
	if s, _ := fetch(t, srv, m["access_token"].(string), "/v1/me/tracks"); s != 200 {
		t.Fatalf("refreshed token on /me/tracks: %d", s)
	}
	status, m = refresh(t, srv, rt1)
	wantOAuthError(t, "spent refresh token", status, m, "invalid_grant", "Refresh token revoked")
	if status, m = refresh(t, srv, rt2); status != 200 || m["refresh_token"] == rt2 {
		t.Fatalf("second refresh: %d %v", status, m)
	}
	status, m = refresh(t, srv, "AQnotarefreshtoken")
	wantOAuthError(t, "unknown refresh token", status, m, "invalid_grant", "Invalid refresh token")

	// A refresh token of a secret client needs the secret.
	code := authorize(t, srv, url.Values{}).Get("code")
	_, m = postToken(t, srv, ClientID, ClientSecret, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirectURI}})
	rt := m["refresh_token"].(string)
	status, m = refresh(t, srv, rt)
	wantOAuthError(t, "public refresh of a secret grant", status, m, "invalid_client", "Invalid client secret")
	status, m = postToken(t, srv, ClientID, ClientSecret, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
	if status != 200 || m["refresh_token"] == nil {
		t.Fatalf("refresh with the secret: %d %v", status, m)
	}
}

func TestRefreshWithoutRotation(t *testing.T) {
	srv := start(t, WithRefreshRotation(false))
	_, m := exchangePKCE(t, srv, pkceCode(t, srv, ""), verifier)
	rt := m["refresh_token"].(string)
	for i := 1; i <= 4; i++ {
		status, m := refresh(t, srv, rt)
		got, has := m["refresh_token"]
		if status != 200 || (i%2 == 1) == has || (has && got != rt) {
			t.Fatalf("refresh %d: %d %v (odd refreshes omit the token, even ones repeat it)", i, status, m)
		}
	}
}

func TestAuthorizeErrors(t *testing.T) {
	srv := start(t)
	for _, tc := range []struct {
		q     url.Values
		error string
	}{
		{url.Values{"response_type": {"token"}, "state": {"s1"}}, "unsupported_response_type"},
		{url.Values{"scope": {"user-read-email not-a-scope"}, "state": {"s1"}}, "invalid_scope"},
		{url.Values{"code_challenge": {challengeOf(verifier)}, "code_challenge_method": {"plain"}, "state": {"s1"}}, "invalid_request"},
		{url.Values{"code_challenge": {"short"}, "code_challenge_method": {"S256"}, "state": {"s1"}}, "invalid_request"},
	} {
		back := authorize(t, srv, tc.q)
		if back.Get("error") != tc.error || back.Get("state") != "s1" || back.Get("code") != "" {
			t.Errorf("%v: redirect %v, want error %s", tc.q, back, tc.error)
		}
	}
	for _, q := range []string{"client_id=nobody&response_type=code&redirect_uri=" + url.QueryEscape(redirectURI), "client_id=" + ClientID + "&response_type=code"} {
		resp, err := http.Get(srv.URL + "/authorize?" + q)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("%s: %d, want 400", q, resp.StatusCode)
		}
	}
	if err := srv.SetLoginUser(""); err != nil {
		t.Fatal(err)
	}
	if back := authorize(t, srv, url.Values{"state": {"s2"}}); back.Get("error") != "access_denied" || back.Get("state") != "s2" {
		t.Fatalf("refusing user: %v", back)
	}
}

func TestLoginUser(t *testing.T) {
	probe := start(t)
	u0, u3 := id(t, probe, KindUser, 0), id(t, probe, KindUser, 3)
	srv := start(t, WithUser(u3))
	if srv.LoginUser() != u3 {
		t.Fatalf("LoginUser %s, want %s", srv.LoginUser(), u3)
	}
	if err := srv.SetLoginUser(u0); err != nil || srv.LoginUser() != u0 {
		t.Fatalf("SetLoginUser: %v, now %s", err, srv.LoginUser())
	}
	if err := srv.SetLoginUser(id(t, probe, KindArtist, 0)); err == nil {
		t.Fatal("SetLoginUser accepted an artist id")
	}
	_, m := exchangePKCE(t, srv, pkceCode(t, srv, ""), verifier)
	if me := getMe(t, srv, m["access_token"].(string), "/v1/me"); me["id"] != u0 {
		t.Fatalf("/me id %v, want %s", me["id"], u0)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("WithUser with an unknown id did not panic")
		}
	}()
	NewServer(WithUser(u3), WithSeed(99)) // u3 is an id of seed 1
}
