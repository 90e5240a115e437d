// Package testtransport is a scripted fake [http.RoundTripper] for the
// project's tests: it answers from a queue of canned responses, errors and
// functions, records every request it saw (with its body), and provides
// bodies that count their reads and closes so tests can check the
// RoundTripper contract.
package testtransport
