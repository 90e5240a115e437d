package auth

import (
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// view is the printable form of a value that holds secrets: its type's
// name and its fields in order, every secret among them a [Secret] (or a
// value that prints itself redacted, such as a [Token]). It is the one
// place that turns such a value into text for fmt and into a group for
// slog; the types that print themselves redacted (Token, the configs and
// the providers) only say which fields they show. The zero view is a nil
// pointer's and prints "<nil>".
type view struct {
	name   string
	fields []field
}

// field is one shown field: its Go name (the slog key is its snake_case
// form) and its value, a string, []string, bool, time.Duration, time.Time,
// or a value that redacts itself.
type field struct {
	name  string
	value any
}

// String returns the view as Go would print the struct with %+v, with the
// type's name in front, strings quoted, and a zero time as "never" (no
// expiry): auth.Token{AccessToken:[REDACTED], TokenType:"Bearer", ...}.
func (v view) String() string {
	if v.name == "" {
		return "<nil>"
	}
	var b strings.Builder
	b.WriteString(v.name)
	b.WriteByte('{')
	for i, f := range v.fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.name)
		b.WriteByte(':')
		switch x := f.value.(type) {
		case string:
			b.WriteString(strconv.Quote(x))
		case []string:
			fmt.Fprintf(&b, "%q", x)
		case time.Time:
			if x.IsZero() {
				b.WriteString("never")
			} else {
				b.WriteString(x.UTC().Format(time.RFC3339))
			}
		default:
			fmt.Fprint(&b, x)
		}
	}
	b.WriteByte('}')
	return b.String()
}

// format writes [view.String] for every fmt verb.
func (v view) format(f fmt.State) { _, _ = io.WriteString(f, v.String()) }

// LogValue returns the fields as a slog group, keyed by their snake_case
// names (a Secret logs itself redacted).
func (v view) LogValue() slog.Value {
	if v.name == "" {
		return slog.StringValue("<nil>")
	}
	attrs := make([]slog.Attr, len(v.fields))
	for i, f := range v.fields {
		attrs[i] = slog.Any(snakeCase(f.name), f.value)
	}
	return slog.GroupValue(attrs...)
}

// structView shows a configuration struct v: its exported fields of plain
// kinds (strings, string slices, bools, numbers and durations) in order,
// leaving out the others (clients, stores, clocks, callbacks). A [Secret]
// field prints redacted by itself, and a string that is a URL with a
// password shows it redacted, so that a configuration needs no field list
// of its own.
func structView(v any) view {
	rv := reflect.ValueOf(v)
	rt := rv.Type()
	fields := make([]field, 0, rt.NumField())
	for i := range rt.NumField() {
		sf, fv := rt.Field(i), rv.Field(i)
		if !sf.IsExported() {
			continue
		}
		var value any
		switch {
		case sf.Type == reflect.TypeFor[Secret]():
			value = fv.Interface()
		case fv.Kind() == reflect.String:
			value = hideURLPassword(fv.String())
		case sf.Type == reflect.TypeFor[[]string](), fv.Kind() == reflect.Bool, fv.CanInt(), fv.CanUint(), fv.CanFloat():
			value = fv.Interface()
		default:
			continue
		}
		fields = append(fields, field{sf.Name, value})
	}
	return view{name: rt.String(), fields: fields}
}

// String prints the config's plain fields, the client secret redacted, as
// does every fmt verb ([ClientCredentialsConfig.Format]) and slog
// ([ClientCredentialsConfig.LogValue]). A password in a URL is redacted too.
func (c ClientCredentialsConfig) String() string { return structView(c).String() }

// Format makes every fmt verb print [ClientCredentialsConfig.String].
func (c ClientCredentialsConfig) Format(f fmt.State, _ rune) { structView(c).format(f) }

// LogValue makes slog print the config redacted.
func (c ClientCredentialsConfig) LogValue() slog.Value { return structView(c).LogValue() }

// String prints the config's plain fields, the client secret redacted, as
// does every fmt verb ([AuthorizationCodeConfig.Format]) and slog
// ([AuthorizationCodeConfig.LogValue]). A password in a URL is redacted too.
func (c AuthorizationCodeConfig) String() string { return structView(c).String() }

// Format makes every fmt verb print [AuthorizationCodeConfig.String].
func (c AuthorizationCodeConfig) Format(f fmt.State, _ rune) { structView(c).format(f) }

// LogValue makes slog print the config redacted.
func (c AuthorizationCodeConfig) LogValue() slog.Value { return structView(c).LogValue() }

// hideURLPassword returns s with the password of a URL redacted (see
// redactURL); a string that is not a URL with user info is returned as it
// is.
func hideURLPassword(s string) string {
	if !strings.Contains(s, "@") || !strings.Contains(s, "://") {
		return s
	}
	return redactURL(s)
}

// snakeCase turns a Go name into a log key: AccessToken → access_token,
// ClientID → client_id, TokenURL → token_url, PKCE → pkce.
func snakeCase(name string) string {
	r := []rune(name)
	var b strings.Builder
	for i, c := range r {
		if i > 0 && unicode.IsUpper(c) {
			prevLower := unicode.IsLower(r[i-1])
			nextLower := i+1 < len(r) && unicode.IsLower(r[i+1])
			if prevLower || (unicode.IsUpper(r[i-1]) && nextLower) {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}
