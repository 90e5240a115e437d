package spotify

import (
	"fmt"
	"net/http"
	"strings"
)

// AppMode is the quota mode of the Spotify app the client's credentials
// belong to. Spotify removed 48 operations (the spec marks them
// deprecated) for apps in Development Mode, in November 2024 and February
// 2026; apps in Extended Quota Mode still have every one. The zero value
// means the mode is unknown: see [WithAppMode].
type AppMode int

const (
	// DevelopmentMode is an app in Spotify's Development Mode: the
	// Extended Quota operations fail locally with
	// ErrUnavailableInDevelopmentMode, without a request, and a search or
	// an artist's albums ask for at most 10 results per page.
	DevelopmentMode AppMode = iota + 1
	// ExtendedQuotaMode is an app Spotify granted Extended Quota Mode:
	// every operation is sent, and a 403 is an ordinary 403.
	ExtendedQuotaMode
)

// String returns "DevelopmentMode", "ExtendedQuotaMode" or "unset".
func (m AppMode) String() string {
	switch m {
	case 0:
		return "unset"
	case DevelopmentMode:
		return "DevelopmentMode"
	case ExtendedQuotaMode:
		return "ExtendedQuotaMode"
	}
	return fmt.Sprintf("AppMode(%d)", int(m))
}

// WithAppMode tells the client the mode of the Spotify app. Unset (the
// default), every call is sent, and a 403 on an operation that Development
// Mode apps lost is an error matching both ErrForbidden and
// ErrUnavailableInDevelopmentMode. With DevelopmentMode, such a call fails
// at once with ErrUnavailableInDevelopmentMode and sends nothing, and a
// limit over 10 for a search or an artist's albums is rejected with
// ErrInvalidArgument. With ExtendedQuotaMode, every call is sent and a 403
// is a plain 403. The mode belongs to the client family: clones and async
// views share it.
func WithAppMode(m AppMode) Option {
	return func(c *config) error {
		if m != DevelopmentMode && m != ExtendedQuotaMode {
			return fmt.Errorf("spotify: WithAppMode(%v): want DevelopmentMode or ExtendedQuotaMode", m)
		}
		c.appMode = m
		return nil
	}
}

// appModeNote explains an operation Development Mode apps lost.
const appModeNote = "Spotify removed this operation for Development Mode apps (November 2024 to February 2026); it needs an app in Extended Quota Mode"

// appMode returns the mode of c's family.
func (c *Client) appMode() AppMode { return c.fam.cfg.appMode }

// appModeCheck fails a call of an Extended Quota operation locally when
// the client is in Development Mode.
func (c *Client) appModeCheck(op *operation) error {
	if op == nil || !op.extended || c.appMode() != DevelopmentMode {
		return nil
	}
	return &Error{Method: op.method, Route: op.path, devMode: true}
}

// appModeAnswer marks a 403 on an Extended Quota operation, when the mode
// is unset, as ErrUnavailableInDevelopmentMode: the likeliest cause is an
// app in Development Mode. It still matches ErrForbidden. A 403 that says
// why otherwise is left alone: one with a reason (PREMIUM_REQUIRED, ...)
// or Spotify's "Insufficient client scope".
func (c *Client) appModeAnswer(op *operation, err error) error {
	if op == nil || !op.extended || c.appMode() != 0 {
		return err
	}
	if e, ok := err.(*Error); ok && e.StatusCode == http.StatusForbidden && e.Reason == "" &&
		!strings.Contains(strings.ToLower(e.Message), "scope") {
		e.devMode = true
	}
	return err
}
