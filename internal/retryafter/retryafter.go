// Package retryafter parses the Retry-After response header (RFC 9110
// §10.2.3): a number of seconds, which Spotify sometimes sends with a
// fraction, or an HTTP-date.
//
// A header a proxy folded from several lines ("100, 1"), or sent as several
// lines, is read conservatively: the largest valid value wins, since a
// client that waits too little is rate-limited again while one that waits
// too much only loses time.
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

// maxDelay is maxSeconds as a time.Duration: the largest delay returned.
const maxDelay = time.Duration(maxSeconds) * time.Second

// Parse returns the delay that value asks for, measured from now. ok is
// false for an empty, negative, non-finite or unparseable value. An
// HTTP-date in the past gives a delay of 0 with ok true. A delay above
// about 146 years is returned as that.
//
// A comma-separated list of values (a folded header, "100, 1") gives the
// largest valid member; invalid members are skipped, and a list without a
// valid member is not ok. The comma inside an HTTP-date ("Sun, 06 Nov 1994
// 08:49:37 GMT") is part of the date, not a separator.
func Parse(value string, now time.Time) (d time.Duration, ok bool) {
	if d, ok := parseOne(value, now); ok || !strings.Contains(value, ",") {
		return d, ok
	}
	parts := strings.Split(value, ",")
	for i := 0; i < len(parts); i++ {
		m, mok := parseOne(parts[i], now)
		if !mok && i+1 < len(parts) {
			// A day name ("Sun") followed by the rest of its date.
			if m, mok = parseOne(parts[i]+","+parts[i+1], now); mok {
				i++
			}
		}
		if mok && (!ok || m > d) {
			d, ok = m, true
		}
	}
	return d, ok
}

// parseOne parses a single value: seconds or an HTTP-date.
func parseOne(value string, now time.Time) (time.Duration, bool) {
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
	return min(t.Sub(now), maxDelay), true
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
			return maxDelay, true
		}
		return time.Duration(n) * time.Second, true
	}
	f, err := strconv.ParseFloat(v, 64)
	if errors.Is(err, strconv.ErrRange) && math.IsInf(f, 1) {
		// Only digits and dots got here, so this is a well-formed number
		// beyond float64's range: as large as any, so capped like them.
		return maxDelay, true
	}
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0, false
	}
	if f > maxSeconds {
		f = maxSeconds
	}
	return time.Duration(f * float64(time.Second)), true
}

// FromResponse parses the Retry-After header of resp (nil-safe). Several
// Retry-After lines are read as one list, as [Parse] reads a folded one:
// the largest valid value wins.
func FromResponse(resp *http.Response, now time.Time) (d time.Duration, ok bool) {
	if resp == nil {
		return 0, false
	}
	// The key is canonical already: a map lookup, without Header.Values
	// canonicalizing it again on every response.
	for _, v := range resp.Header["Retry-After"] {
		if m, mok := Parse(v, now); mok && (!ok || m > d) {
			d, ok = m, true
		}
	}
	return d, ok
}
