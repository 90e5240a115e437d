// Package genasync writes the AsyncClient's services and their test table
// from the sync sources of package spotify. It parses the package's files
// with go/parser (it never imports package spotify, so a stale or broken
// generated file cannot keep it from running) and returns two files:
//
//   - async_services_gen.go: for every service field of Client (Albums
//     *AlbumsService, ...), a type AsyncXxxService with one method per
//     exported method of XxxService, of the same arguments, returning a
//     *Future of the sync method's result (Future[struct{}] for a method
//     that returns only an error), and AsyncClient.initServices.
//   - async_cases_gen_test.go: every runMethodCases(t, []methodCase{...})
//     table of the package's tests, run a second time on the AsyncClient
//     by TestAsyncMethods, each case's call rewritten from
//     c.Svc.Method(args) to ac.Svc.Method(args).Await(ctx).
//
// AsyncClient itself is written by hand, as Client is, with one documented
// field per service (Albums *AsyncAlbumsService, ...), so that go doc lists
// them; the generator checks that its fields match Client's services and
// fails, naming the field to add, when they do not.
//
// Shapes it cannot handle make it fail with an error naming the file and
// line, never drop a method or a case: an exported service method that
// does not take a context first and return (R, error) or error; a table
// that is not a literal, or not at the top level of a func(t *testing.T);
// a case whose call uses the client other than to call a service method.
//
// Run it with `go generate ./spotify` (the directive is in async.go).
package genasync
