package auth

import (
	"fmt"
	"io"
	"log/slog"
)

// redactedText stands in for a secret that is not empty.
const redactedText = "[REDACTED]"

// Secret is a configuration value that must never be printed: a client
// secret, a PKCE code verifier. It is a string underneath (an untyped
// string constant assigns to it as it is; a string variable v needs
// auth.Secret(v), and string(s) gives the value back), but every way of
// printing or encoding it shows "[REDACTED]" instead: fmt with any verb
// (%v, %+v, %#v, %s, %q, %x...), log/slog, and encoding/json, XML and YAML
// through [Secret.MarshalText]. An empty secret prints as `""` (so that a
// missing value shows) and encodes as an empty string.
//
// The encoding is redacted too because the configurations that hold
// secrets are not a storage format: a program that must keep a secret
// (for example a login's [AuthRequest] in a session store between the
// redirect and the callback) stores string(s) itself. Decoding is not
// affected: JSON, XML and YAML strings decode into a Secret as they are.
type Secret string

// String returns "[REDACTED]", or `""` for an empty secret.
func (s Secret) String() string {
	if s == "" {
		return `""`
	}
	return redactedText
}

// Format makes every fmt verb print [Secret.String].
func (s Secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.String()) }

// LogValue makes slog print "[REDACTED]", or "" for an empty secret.
func (s Secret) LogValue() slog.Value {
	if s == "" {
		return slog.StringValue("")
	}
	return slog.StringValue(redactedText)
}

// MarshalText encodes "[REDACTED]", or nothing for an empty secret, so
// that JSON, XML and YAML never carry the value.
func (s Secret) MarshalText() ([]byte, error) {
	if s == "" {
		return []byte{}, nil
	}
	return []byte(redactedText), nil
}
