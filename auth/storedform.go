package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// storedForm is the JSON form in which a store persists a [StoredToken]:
// every field in clear, the access and refresh tokens included.
type storedForm struct {
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type,omitempty"`
	RefreshToken string    `json:"refresh_token"`
	Scope        string    `json:"scope,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	FamilyID     string    `json:"family_id"`
}

// ErrNoStoredToken is returned by [UnmarshalStoredToken] for a form that
// holds neither an access nor a refresh token.
var ErrNoStoredToken = errors.New("auth: the stored form holds no token")

// MarshalStoredToken returns the JSON form in which the stores of this
// module ([FileStore], and the Redis store of auth/redisstore) persist tok:
// every field in clear, the expiry in UTC. A store of one's own (a
// database, a secret manager) can use it and [UnmarshalStoredToken] to
// keep the same format. Unlike fmt and slog, which print a token
// redacted, this form carries the real tokens: keep it private.
func MarshalStoredToken(tok *StoredToken) ([]byte, error) {
	if tok == nil {
		return nil, errors.New("auth: MarshalStoredToken: nil token")
	}
	b, err := json.Marshal(storedForm{
		AccessToken: tok.Token.AccessToken, TokenType: tok.Token.TokenType, RefreshToken: tok.Token.RefreshToken,
		Scope: tok.Token.Scope, Expiry: tok.Token.Expiry.UTC(), FamilyID: tok.FamilyID,
	})
	if err != nil {
		return nil, fmt.Errorf("auth: encoding token: %w", err)
	}
	return b, nil
}

// UnmarshalStoredToken parses the form [MarshalStoredToken] writes: one
// JSON object and nothing after it. Its errors never quote data, which may
// hold a token: they say where the JSON is wrong, or are
// [ErrNoStoredToken] for an object without either token.
func UnmarshalStoredToken(data []byte) (*StoredToken, error) {
	var f storedForm
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil || dec.More() {
		return nil, errors.New(describeJSONError(err))
	}
	if f.RefreshToken == "" && f.AccessToken == "" {
		return nil, ErrNoStoredToken
	}
	return &StoredToken{
		Token:    Token{AccessToken: f.AccessToken, TokenType: f.TokenType, RefreshToken: f.RefreshToken, Scope: f.Scope, Expiry: f.Expiry},
		FamilyID: f.FamilyID,
	}, nil
}

// describeJSONError names what went wrong without quoting the text
// (which may hold a token); nil means data after the object.
func describeJSONError(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return "trailing data after the JSON object"
	case errors.As(err, &syn):
		return fmt.Sprintf("invalid JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q has the wrong type", typ.Field)
	}
	return "invalid JSON"
}
