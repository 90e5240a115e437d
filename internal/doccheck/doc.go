// Package doccheck holds only tests that keep the documentation honest:
// every Go snippet of the README is the code of a runnable Example (so the
// README and the compiled code cannot drift apart), and every public
// package keeps a runnable Example for its main entry point.
package doccheck
