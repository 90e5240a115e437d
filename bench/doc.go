// Package bench holds the benchmarks of spotify-go, in a module of its own so
// that the peers it compares against never become dependencies of the SDK.
//
// Run them all once (the CI smoke run):
//
//	cd bench && go test -run xxx -bench . -benchtime 1x
//
// Measure and compare (benchstat from golang.org/x/perf):
//
//	cd bench && go test -run xxx -bench . -benchmem -count 10 | tee new.txt
//	benchstat new.txt
package bench
