package main

import (
	"strings"
	"testing"
)

// TestRun checks that the call span, one span per attempt and the retry
// events are printed.
func TestRun(t *testing.T) {
	var out strings.Builder
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"GET /albums/{id}  [internal]",
		"spotify.attempts = 3",
		`event "retry"`,
		"reason=503",
		"reason=429",
		"http.request.resend_count = 2",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "GET /albums/{id}  [client]"); n != 3 {
		t.Errorf("%d attempt spans for the album, want 3:\n%s", n, got)
	}
}
