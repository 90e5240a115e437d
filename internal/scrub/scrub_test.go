package scrub

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secret has characters that every encoding spells differently.
const secret = "s3cr/t+k&y=v lue~é"

func TestAddCutsEveryForm(t *testing.T) {
	t.Parallel()
	s := New(secret)
	for name, form := range map[string]string{
		"raw":                  secret,
		"query-escaped":        url.QueryEscape(secret),
		"form-encoded":         url.Values{"client_secret": {secret}}.Encode(),
		"path-escaped":         url.PathEscape(secret),
		"lower-case hex":       strings.ToLower(url.QueryEscape(secret)),
		"lower-case path hex":  strings.ToLower(url.PathEscape(secret)),
		"JSON, HTML-escaped":   `s3cr/t+k\u0026y=v lue~é`,
		"JSON, slash-escaped":  `s3cr\/t+k&y=v lue~é`,
		"JSON, both escapes":   `s3cr\/t+k\u0026y=v lue~é`,
		"query-escaped in URL": "https://x.example/?a=" + url.QueryEscape(secret) + "&b=1",
	} {
		text := "before " + form + " after"
		got := s.Replace(text)
		assert.NotContains(t, got, form, name)
		assert.Contains(t, got, Redacted, name)
		assert.True(t, strings.HasPrefix(got, "before ") && strings.HasSuffix(got, " after"), "%s: the rest is kept: %q", name, got)
		assert.Equal(t, got, string(s.Bytes([]byte(text))), name)
	}
}

func TestAddBasicCutsTheCredentialInEveryEncoding(t *testing.T) {
	t.Parallel()
	const id = "my app"
	var s Secrets
	s.AddBasic(id, secret)
	for _, cred := range []string{id + ":" + secret, url.QueryEscape(id) + ":" + url.QueryEscape(secret)} {
		for name, enc := range map[string]*base64.Encoding{
			"std": base64.StdEncoding, "raw std": base64.RawStdEncoding,
			"url": base64.URLEncoding, "raw url": base64.RawURLEncoding,
		} {
			b64 := enc.EncodeToString([]byte(cred))
			for _, text := range []string{"Authorization: Basic " + b64, "h=" + url.QueryEscape("Basic "+b64), `{"h":"Basic ` + strings.ReplaceAll(b64, "/", `\/`) + `"}`} {
				got := s.Replace(text)
				assert.NotContains(t, got, b64, "%s %q", name, cred)
				assert.Contains(t, got, Redacted)
			}
		}
	}
	assert.Equal(t, "client "+id+" refused", s.Replace("client "+id+" refused"), "the user is no secret")
	var empty Secrets
	empty.AddBasic(id, "")
	assert.Empty(t, empty.forms, "an empty password adds nothing")
}

func TestAddAuthorizationFromTheHeaderAlone(t *testing.T) {
	t.Parallel()
	var bearer Secrets
	bearer.AddAuthorization("Bearer BQC-token_value.123")
	assert.Equal(t, "the access token "+Redacted+" expired", bearer.Replace("the access token BQC-token_value.123 expired"))
	assert.Equal(t, "Bearer is a word", bearer.Replace("Bearer is a word"), "the scheme is no secret")

	// What auth sends: the base64 of the form-urlencoded id and secret.
	req, err := http.NewRequest(http.MethodPost, "https://accounts.example/api/token", nil)
	require.NoError(t, err)
	req.SetBasicAuth(url.QueryEscape("id"), url.QueryEscape(secret))
	var basic Secrets
	basic.AddAuthorization(req.Header.Get("Authorization"))
	for _, form := range []string{secret, url.QueryEscape(secret), base64.StdEncoding.EncodeToString([]byte("id:" + secret))} {
		assert.NotContains(t, basic.Replace("echo "+form), form)
	}

	var bare Secrets
	bare.AddAuthorization("just-a-token")
	assert.Equal(t, Redacted, bare.Replace("just-a-token"))
	var schemeOnly Secrets
	schemeOnly.AddAuthorization("Bearer ")
	schemeOnly.AddAuthorization("basic")
	assert.Empty(t, schemeOnly.forms, "a scheme alone is no secret")
}

func TestAddRequest(t *testing.T) {
	t.Parallel()
	req, err := http.NewRequest(http.MethodGet, "https://user:pass-word@api.example/v1/me", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer access-1234")
	req.Header.Set("Proxy-Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("proxy:proxy-pw")))
	var s Secrets
	s.AddRequest(req)
	got := s.Replace("access-1234 pass-word proxy-pw " + base64.StdEncoding.EncodeToString([]byte("user:pass-word")) + " keep")
	assert.Equal(t, strings.Repeat(Redacted+" ", 4)+"keep", got)
	s.AddRequest(nil) // no panic
	s.AddHeader(nil)

	var h Secrets
	h.AddHeader(http.Header{"Authorization": {"Bearer header-token"}, "Accept": {"secret-looking-accept"}})
	assert.Equal(t, Redacted+" secret-looking-accept", h.Replace("header-token secret-looking-accept"), "only credential headers")
}

func TestShortSecretsLeaveTheTextAlone(t *testing.T) {
	t.Parallel()
	const text = "a cab: 400 invalid ab"
	for _, short := range []string{"", "a", "ab", "400"} {
		assert.Equal(t, text, New(short).Replace(text), "%q is shorter than MinLen", short)
	}
	assert.Equal(t, "a cab: 400 "+Redacted+" ab", New("invalid").Replace(text))
	assert.Equal(t, Redacted+" x", New("abcd").Replace("abcd x"), "MinLen bytes is enough")

	// A short password's Basic credential is long, and still cut.
	var s Secrets
	s.AddBasic("id", "ab")
	b64 := base64.StdEncoding.EncodeToString([]byte("id:ab"))
	assert.Equal(t, "Basic "+Redacted+" ab", s.Replace("Basic "+b64+" ab"))
}

func TestOverlappingFormsBecomeOneMarker(t *testing.T) {
	t.Parallel()
	s := New("xabc", "abcdefgh")
	assert.Equal(t, "<"+Redacted+">", s.Replace("<xabcdefgh>"), "no tail of the longer secret is left")
	assert.Equal(t, "<"+Redacted+">", s.Replace("<abcdefghabcdefgh>"), "adjacent occurrences merge")
	assert.Equal(t, Redacted, New("aaaa").Replace("aaaaaaa"))
	assert.Equal(t, "("+Redacted+") ("+Redacted+")", s.Replace("(xabc) (abcdefgh)"))
}

func TestBytesNeverChangesItsInput(t *testing.T) {
	t.Parallel()
	s := New("secret-1")
	clean := []byte("nothing here")
	assert.Same(t, &clean[0], &s.Bytes(clean)[0], "a clean slice is returned as it is")
	dirty := []byte("has secret-1 in it")
	got := s.Bytes(dirty)
	assert.Equal(t, "has "+Redacted+" in it", string(got))
	assert.Equal(t, "has secret-1 in it", string(dirty))
}

func TestNilAndEmptySetsChangeNothing(t *testing.T) {
	t.Parallel()
	var nilSet *Secrets
	assert.Equal(t, "text secret", nilSet.Replace("text secret"))
	assert.Equal(t, []byte("text"), nilSet.Bytes([]byte("text")))
	assert.Equal(t, "text secret", New().Replace("text secret"))
}

func TestReplaceIsSafeConcurrently(t *testing.T) {
	t.Parallel()
	s := New(secret)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			assert.Equal(t, Redacted, s.Replace(secret))
			assert.Equal(t, Redacted, string(s.Bytes([]byte(url.QueryEscape(secret)))))
		})
	}
	wg.Wait()
}
