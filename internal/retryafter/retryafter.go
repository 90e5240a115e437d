// Package retryafter parses the Retry-After response header (RFC 9110
// §10.2.3): a number of seconds, which Spotify sometimes sends with a
// fraction, or an HTTP-date.
package retryafter

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxSeconds bounds a parsed delay so that it fits a time.Duration; any
// larger value is treated as this one (about 292 years / 2).
const maxSeconds = float64(math.MaxInt64/int64(time.Second)) / 2

// Parse returns the delay that value asks for, measured from now. ok is
// false for an empty, negative, non-finite or unparseable value. An
// HTTP-date in the past gives a delay of 0 with ok true.
func Parse(value string, now time.Time) (d time.Duration, ok bool) {
	v := strings.TrimSpace(value)
	if v == "" {
		return 0, false
	}
	if c := v[0]; (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-' {
		return parseSeconds(v)
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if !t.After(now) {
		return 0, true
	}
	return t.Sub(now), true
}

func parseSeconds(v string) (time.Duration, bool) {
	if v[0] == '+' || v[0] == '-' {
		return 0, false
	}
	for _, c := range v {
		if (c < '0' || c > '9') && c != '.' {
			return 0, false
		}
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if float64(n) > maxSeconds {
			return time.Duration(maxSeconds) * time.Second, true
		}
		return time.Duration(n) * time.Second, true
	}
	f, err := strconv.ParseFloat(v, 64)
	if errors.Is(err, strconv.ErrRange) && math.IsInf(f, 1) {
		// Only digits and dots got here, so this is a well-formed number
		// beyond float64's range: as large as any, so capped like them.
		return time.Duration(maxSeconds) * time.Second, true
	}
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0, false
	}
	if f > maxSeconds {
		f = maxSeconds
	}
	return time.Duration(f * float64(time.Second)), true
}

// FromResponse parses the Retry-After header of resp (nil-safe).
func FromResponse(resp *http.Response, now time.Time) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	return Parse(resp.Header.Get("Retry-After"), now)
}
