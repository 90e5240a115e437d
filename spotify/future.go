package spotify

import "context"

// Future is the pending result of a call submitted through an
// [AsyncClient]. The call runs on its own goroutine under the context it
// was submitted with; Await waits for it, and Done tells when it is over.
//
// A Future is safe for concurrent use: any number of goroutines may await
// it, each as often as it likes, and all see the same result. Only an
// AsyncClient makes Futures; the zero value never completes.
type Future[T any] struct {
	done chan struct{}
	val  T
	err  error
}

// newFuture returns a pending future; complete resolves it.
func newFuture[T any]() *Future[T] {
	return &Future[T]{done: make(chan struct{})}
}

// failedFuture returns a future already resolved with err.
func failedFuture[T any](err error) *Future[T] {
	f := newFuture[T]()
	f.complete(*new(T), err)
	return f
}

// complete records the result and wakes the waiters. It is called once.
func (f *Future[T]) complete(v T, err error) {
	f.val, f.err = v, err
	close(f.done)
}

// Await waits for the call and returns its result. If ctx ends first,
// Await returns ctx's error at once, but the call goes on under the context
// it was submitted with: a later Await still gets its result. Cancel the
// submission context (or close the client) to stop the call itself.
func (f *Future[T]) Await(ctx context.Context) (T, error) {
	select {
	case <-f.done:
		return f.val, f.err
	default:
	}
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Done returns a channel that is closed when the call is over, successful
// or not; Await then returns at once. Use it to select over several
// futures, or over a future and other events.
func (f *Future[T]) Done() <-chan struct{} { return f.done }
