package spotify

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/spotifysdk/spotify-go/auth"
)

// switchingProvider is a user provider whose identity changes, as one does
// at login.
type switchingProvider struct{ id atomic.Value }

func (p *switchingProvider) Token(context.Context) (*auth.Token, error) {
	return &auth.Token{AccessToken: "tok"}, nil
}

func (p *switchingProvider) Identity() string { return p.id.Load().(string) }

func TestPrincipalFollowsTheProvidersIdentity(t *testing.T) {
	p := &switchingProvider{}
	p.id.Store("user:")
	c := &Client{provider: p}
	assert.Equal(t, "", c.principal(), "an identity without an id is no principal")
	p.id.Store("user:family-1")
	assert.Equal(t, "user:family-1", c.principal(), "the identity is read on every call")
	p.id.Store("user:family-2")
	assert.Equal(t, "user:family-2", c.principal())
	assert.Equal(t, "", (&Client{provider: auth.Provider(nil)}).principal())
	assert.Equal(t, "tok:abc", (&Client{provider: fixedIdentity("tok:abc")}).principal())
}

type fixedIdentity string

func (f fixedIdentity) Token(context.Context) (*auth.Token, error) {
	return &auth.Token{AccessToken: "x"}, nil
}
func (f fixedIdentity) Identity() string { return string(f) }
