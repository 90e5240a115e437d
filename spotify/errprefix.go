package spotify

import "strings"

// errPrefix starts the text of every error of this package.
const errPrefix = "spotify: "

// causeText returns err's text for use inside another error of this
// package, whose own text already starts with errPrefix: without that
// prefix, so that it is said once ("spotify: GET /albums/{id}: the client
// is closed", not "...: spotify: the client is closed"). A nil err gives
// "<nil>", as %v does.
func causeText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return strings.TrimPrefix(err.Error(), errPrefix)
}

// prefixedError is the error of an operation of this package (what) that
// failed with err: its text is "spotify: what: " and causeText(err), and it
// wraps err for errors.Is and errors.As.
type prefixedError struct {
	what string
	err  error
}

func (e *prefixedError) Error() string { return errPrefix + e.what + ": " + causeText(e.err) }

func (e *prefixedError) Unwrap() error { return e.err }
