package main

import (
	"strings"
	"testing"
)

// TestRun checks the point of the example: the stage before retry logs once
// per call, the stage after it once per attempt.
func TestRun(t *testing.T) {
	var out strings.Builder
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, `audit-call (Before "retry") logged 2 lines, audit-attempt (After "retry") 3`) {
		t.Errorf("output:\n%s", got)
	}
}
