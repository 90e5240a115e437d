package main

import (
	"regexp"
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

// TestRunAttemptsShareTheAuditID checks that retry replays the request the
// call stage stamped: both attempt lines of call 1 carry the call's
// X-Audit-ID, and call 2 gets another one.
func TestRunAttemptsShareTheAuditID(t *testing.T) {
	var out strings.Builder
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	call1, call2, ok := strings.Cut(got, "\n2. ")
	if !ok {
		t.Fatalf("no second call in the output:\n%s", got)
	}
	line := regexp.MustCompile(`(?m)^\s+(audit-\w+)\s.*\sid=(\S*) attempt=(\d+)`)
	ids := func(section, stage string) (ids, attempts []string) {
		for _, m := range line.FindAllStringSubmatch(section, -1) {
			if m[1] == stage {
				ids, attempts = append(ids, m[2]), append(attempts, m[3])
			}
		}
		return ids, attempts
	}
	attemptIDs, attempts := ids(call1, "audit-attempt")
	callIDs, _ := ids(call1, "audit-call")
	if len(attemptIDs) != 2 || strings.Join(attempts, ",") != "0,1" || len(callIDs) != 1 {
		t.Fatalf("call 1: attempt ids %q (attempts %q), call ids %q:\n%s", attemptIDs, attempts, callIDs, got)
	}
	if attemptIDs[0] == "" || attemptIDs[0] != attemptIDs[1] || attemptIDs[0] != callIDs[0] {
		t.Errorf("call 1: attempts carry %q, the call %q: want one id on both attempts\n%s", attemptIDs, callIDs[0], got)
	}
	next, _ := ids(call2, "audit-attempt")
	if len(next) != 1 || next[0] == "" || next[0] == callIDs[0] {
		t.Errorf("call 2: attempt ids %q, want one new id\n%s", next, got)
	}
}
