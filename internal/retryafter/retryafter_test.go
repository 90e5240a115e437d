package retryafter

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// now is the fixed "current time" of these tests.
var now = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// capped is the largest delay Parse returns for a number of seconds.
const capped = time.Duration(maxSeconds) * time.Second

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{"120", 2 * time.Minute, true},
		{"007", 7 * time.Second, true},
		{" 3\t", 3 * time.Second, true},
		{"1.5", 1500 * time.Millisecond, true},
		{".5", 500 * time.Millisecond, true},
		{"2.", 2 * time.Second, true},
		{"0.001", time.Millisecond, true},
		{"4611686018", capped, true},
		{"4611686019", capped, true},
		{"99999999999999999999999", capped, true},
		{strings.Repeat("9", 400), capped, true},        // beyond float64 (found by FuzzParse)
		{strings.Repeat("9", 400) + ".5", capped, true}, // the same, as a decimal
		{"0." + strings.Repeat("0", 400) + "1", 0, true},
		{"1e3", 0, false},
		{"0x10", 0, false},
		{"-1", 0, false},
		{"-0.5", 0, false},
		{"+5", 0, false},
		{"1.2.3", 0, false},
		{".", 0, false},
		{"", 0, false},
		{"   ", 0, false},
		{"soon", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"5 s", 0, false},
		// The three HTTP-date formats of RFC 9110 §5.6.7.
		{"Sat, 28 Nov 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Saturday, 28-Nov-26 12:01:00 GMT", time.Minute, true},
		{"Sat Nov 28 12:00:05 2026", 5 * time.Second, true},
		{"Sun, 06 Nov 1994 08:49:37 GMT", 0, true}, // in the past
		{"Sat, 28 Nov 2026 12:00:00 GMT", 0, true}, // now
		{"Sat, 28 Nov 2026 25:00:00 GMT", 0, false},
		{"Fri, 31 Dec 9999 23:59:59 GMT", capped, true}, // capped like seconds
		// A folded header: the largest valid member, invalid ones skipped.
		{"100, 1", 100 * time.Second, true},
		{"1,100", 100 * time.Second, true},
		{" 1.5 , 2 ", 2 * time.Second, true},
		{"soon, 7", 7 * time.Second, true},
		{"-5, 3", 3 * time.Second, true},
		{"7,", 7 * time.Second, true},
		{", 7", 7 * time.Second, true},
		{"99999999999999999999999, 1", capped, true},
		{"5, Sat, 28 Nov 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Sat, 28 Nov 2026 12:00:30 GMT, 90", 90 * time.Second, true},
		{"Sat, 28 Nov 2026 12:00:30 GMT, Saturday, 28-Nov-26 12:01:00 GMT", time.Minute, true},
		{"Sat, 5", 5 * time.Second, true},
		{"0, Sun, 06 Nov 1994 08:49:37 GMT", 0, true},
		{"soon, later", 0, false},
		{"-1, +2, 1e3", 0, false},
		{",", 0, false},
		{" , ,", 0, false},
	} {
		d, ok := Parse(tc.in, now)
		assert.Equal(t, tc.ok, ok, "%q", tc.in)
		assert.Equal(t, tc.want, d, "%q", tc.in)
	}
}

func TestFromResponse(t *testing.T) {
	d, ok := FromResponse(nil, now)
	assert.False(t, ok)
	assert.Zero(t, d)

	resp := &http.Response{Header: http.Header{}}
	_, ok = FromResponse(resp, now)
	assert.False(t, ok)

	resp.Header.Set("Retry-After", "12")
	d, ok = FromResponse(resp, now)
	assert.True(t, ok)
	assert.Equal(t, 12*time.Second, d)

	resp.Header.Set("Retry-After", "100, 1")
	d, ok = FromResponse(resp, now)
	assert.True(t, ok, "a folded header is not absent")
	assert.Equal(t, 100*time.Second, d, "a folded header gives its largest value")
}

// Several Retry-After lines are one list: the largest valid value wins,
// whichever line it is on; lines without a valid value are skipped.
func TestFromResponseSeveralLines(t *testing.T) {
	for _, tc := range []struct {
		lines []string
		want  time.Duration
		ok    bool
	}{
		{[]string{"1", "100"}, 100 * time.Second, true},
		{[]string{"100", "1"}, 100 * time.Second, true},
		{[]string{"soon", "4"}, 4 * time.Second, true},
		{[]string{"2, 3", "Sat, 28 Nov 2026 12:00:30 GMT"}, 30 * time.Second, true},
		{[]string{"soon", ""}, 0, false},
	} {
		resp := &http.Response{Header: http.Header{"Retry-After": tc.lines}}
		d, ok := FromResponse(resp, now)
		assert.Equal(t, tc.ok, ok, "%q", tc.lines)
		assert.Equal(t, tc.want, d, "%q", tc.lines)
	}
}

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FuzzParse checks Parse's invariants on any input. The hand-written seed
// corpus lives in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"0", "1.5", "Sat, 28 Nov 2026 12:00:30 GMT", "-1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := Parse(s, now)
		if d < 0 {
			t.Fatalf("Parse(%q) = %v, negative", s, d)
		}
		if !ok && d != 0 {
			t.Fatalf("Parse(%q) = %v, false: a failed parse must return 0", s, d)
		}
		if d2, ok2 := Parse(s, now); d2 != d || ok2 != ok {
			t.Fatalf("Parse(%q) is not deterministic", s)
		}
		v := strings.TrimSpace(s)
		if v == "" && ok {
			t.Fatalf("Parse(%q) ok for an empty value", s)
		}
		if allDigits(v) {
			if !ok {
				t.Fatalf("Parse(%q) rejected an integer", s)
			}
			n, err := strconv.ParseInt(v, 10, 64)
			switch {
			case err == nil && n <= int64(maxSeconds):
				if d != time.Duration(n)*time.Second {
					t.Fatalf("Parse(%q) = %v, want %d s", s, d, n)
				}
			default:
				if d != capped {
					t.Fatalf("Parse(%q) = %v, want the cap %v", s, d, capped)
				}
			}
		}
		if ok && len(v) > 0 && (v[0] == '.' || (v[0] >= '0' && v[0] <= '9')) {
			if d > capped {
				t.Fatalf("Parse(%q) = %v, above the cap", s, d)
			}
			// A decimal agrees with ParseFloat to within a nanosecond.
			if x, err := strconv.ParseFloat(v, 64); err == nil && x < maxSeconds {
				if diff := math.Abs(float64(d) - x*float64(time.Second)); diff > 1 && diff > x*1e-6 {
					t.Fatalf("Parse(%q) = %v, want about %v s", s, d, x)
				}
			}
		}
		if when, err := http.ParseTime(v); err == nil {
			want := min(max(when.Sub(now), 0), capped)
			if !ok || d != want {
				t.Fatalf("Parse(%q) = %v, %v; want %v, true", s, d, ok, want)
			}
		}
	})
}

// FuzzParseList checks that a list of two valid single values reads as the
// larger of them, whatever each one is (a number, a date with its comma).
// (Two lists are not checked: "1, Sat" and "28 Nov 2026 12:00:30 GMT, 5"
// joined hold a date that neither holds alone.)
func FuzzParseList(f *testing.F) {
	for _, p := range [][2]string{
		{"100", "1"},
		{"1.5", "Sat, 28 Nov 2026 12:00:30 GMT"},
		{"Saturday, 28-Nov-26 12:01:00 GMT", "Sat Nov 28 12:00:05 2026"},
		{"0", "Sun, 06 Nov 1994 08:49:37 GMT"},
	} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		da, oka := parseOne(a, now)
		db, okb := parseOne(b, now)
		d, ok := Parse(a+", "+b, now)
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("Parse(%q) = %v, %v", a+", "+b, d, ok)
		}
		if oka && okb && (!ok || d != max(da, db)) {
			t.Fatalf("Parse(%q) = %v, %v; want %v, true (the larger of %v and %v)", a+", "+b, d, ok, max(da, db), da, db)
		}
	})
}
