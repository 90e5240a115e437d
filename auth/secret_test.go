package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Secrets of the values printed by the tests below.
const (
	secretVerifier = "VERIFIER-SECRET-0123456789"
	secretURLPass  = "URL-PASSWORD-0123456789"
)

// wrapper is a caller's struct that holds a value of this package.
type wrapper struct{ Inner any }

// Every configuration and token, as a value and through a pointer, prints
// no secret with fmt's verbs and slog's handlers, nor (through fmt) as a
// field of a caller's own struct. (slog's JSON handler encodes a caller's
// struct with encoding/json, where a Token keeps its real values: tokens
// are persisted. TestSecretsStayOutOfJSON covers the configs there.)
func TestConfigsAndTokensPrintNoSecret(t *testing.T) {
	t.Setenv(EnvClientID, "")
	t.Setenv(EnvClientSecret, "")
	t.Setenv(EnvRedirectURI, "")
	tokenURL := "https://user:" + secretURLPass + "@accounts.example/api/token"
	cc := ClientCredentialsConfig{ClientID: testID, ClientSecret: testSecret, TokenURL: tokenURL, EarlyRefresh: time.Minute}
	ac := AuthorizationCodeConfig{ClientID: testID, ClientSecret: testSecret, RedirectURI: testRedirect, TokenURL: tokenURL,
		AuthURL: tokenURL, Scopes: []string{"user-read-private"}, Store: NewMemoryStore()}
	req := AuthRequest{URL: "https://accounts.example/authorize", State: "st", Verifier: secretVerifier}
	tok := Token{AccessToken: secretAccess, TokenType: "Bearer", RefreshToken: secretRefresh, Scope: "s", Expiry: time.Now()}
	st := StoredToken{Token: tok, FamilyID: "fam"}
	ccp, err := NewClientCredentials(cc)
	require.NoError(t, err)
	defer ccp.Close()
	acp, err := NewAuthorizationCode(ac)
	require.NoError(t, err)
	defer acp.Close()

	values := map[string]any{
		"ClientCredentialsConfig": cc, "AuthorizationCodeConfig": ac, "AuthRequest": req,
		"Token": tok, "StoredToken": st, "Secret": Secret(testSecret),
		"*ClientCredentials": ccp, "*AuthorizationCode": acp, "*Static": NewStatic(secretAccess),
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			outs := []string{printings(v), fmt.Sprintf("%v %+v %#v %s", wrapper{v}, wrapper{v}, wrapper{v}, []any{v})}
			if rv := reflect.ValueOf(v); rv.Kind() != reflect.Pointer {
				p := reflect.New(rv.Type())
				p.Elem().Set(rv)
				outs = append(outs, printings(p.Interface()), fmt.Sprintf("%v %+v %#v %s", wrapper{p.Interface()}, wrapper{p.Interface()}, wrapper{p.Interface()}, p.Interface()))
			}
			for _, out := range outs {
				for _, secret := range []string{testSecret, secretAccess, secretRefresh, secretVerifier, secretURLPass} {
					require.NotContains(t, out, secret, out)
				}
			}
		})
	}
	// The redacted forms still say what is there.
	assert.Contains(t, fmt.Sprint(cc), "ClientSecret:[REDACTED]")
	assert.Contains(t, fmt.Sprintf("%#v", req), `Verifier:[REDACTED]`)
	assert.Contains(t, fmt.Sprint(ClientCredentialsConfig{}), `ClientSecret:""`, "a missing secret shows")
	assert.Contains(t, printings(tok), `"refresh_token":"[REDACTED]"`)
	assert.Contains(t, printings(st), `"family_id":"fam"`)
	assert.Contains(t, fmt.Sprint(acp), testID, "the client id may show")
}

// A config or a login request given to encoding/json, or logged by slog's
// JSON handler inside a caller's struct (which encodes it with
// encoding/json), carries no secret.
func TestSecretsStayOutOfJSON(t *testing.T) {
	// A caller's settings, as encoding/json sees them.
	v := map[string]any{
		"App":   ClientCredentialsConfig{ClientID: testID, ClientSecret: testSecret},
		"Login": AuthRequest{URL: "https://x", State: "s", Verifier: secretVerifier},
	}
	b, err := json.Marshal(v)
	require.NoError(t, err)
	assert.NotContains(t, string(b), testSecret)
	assert.NotContains(t, string(b), secretVerifier)
	assert.Contains(t, string(b), `"ClientSecret":"[REDACTED]"`)

	var log bytes.Buffer
	slog.New(slog.NewJSONHandler(&log, nil)).Info("m", "settings", v)
	assert.NotContains(t, log.String(), testSecret)
	assert.NotContains(t, log.String(), secretVerifier)

	// Decoding is not affected: a secret read from a config file is kept.
	var in ClientCredentialsConfig
	require.NoError(t, json.Unmarshal([]byte(`{"ClientSecret":"`+testSecret+`"}`), &in))
	assert.Equal(t, Secret(testSecret), in.ClientSecret)

	empty, err := json.Marshal(Secret(""))
	require.NoError(t, err)
	assert.JSONEq(t, `""`, string(empty))
}

// Tokens are redacted when printed but persisted as they are: both stores
// give back the real access and refresh tokens, and the file on disk holds
// them, whether saved directly or under a lease.
func TestStoresPersistTheRealTokens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "token.json")
	fs, err := NewFileStore(path)
	require.NoError(t, err)
	for name, store := range map[string]interface {
		TokenStore
		TokenLocker
	}{"memory": NewMemoryStore(), "file": fs} {
		t.Run(name, func(t *testing.T) {
			want := &StoredToken{Token: Token{AccessToken: secretAccess, TokenType: "Bearer", RefreshToken: secretRefresh,
				Scope: "s", Expiry: time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)}, FamilyID: "fam"}
			require.NoError(t, store.Save(ctx, want))
			got, err := store.Load(ctx)
			require.NoError(t, err)
			assert.Equal(t, want, got)

			l, err := store.Lock(ctx)
			require.NoError(t, err)
			got, err = l.Load(ctx)
			require.NoError(t, err)
			assert.Equal(t, want, got)
			rotated := *want
			rotated.Token.AccessToken, rotated.Token.RefreshToken = secretAccess+"-2", secretRefresh+"-2"
			require.NoError(t, l.Save(ctx, &rotated))
			require.NoError(t, l.Unlock(ctx))
			got, err = store.Load(ctx)
			require.NoError(t, err)
			assert.Equal(t, &rotated, got)
		})
	}
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"access_token": "`+secretAccess+`-2"`)
	assert.Contains(t, string(b), `"refresh_token": "`+secretRefresh+`-2"`)
}

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{
		"AccessToken": "access_token", "ClientID": "client_id", "TokenURL": "token_url", "PKCE": "pkce",
		"RedirectURI": "redirect_uri", "FamilyID": "family_id", "Scope": "scope", "URLPath": "url_path",
	} {
		assert.Equal(t, want, snakeCase(in), in)
	}
}
