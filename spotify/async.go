package spotify

import "context"

//go:generate go run ./internal/genasync/cmd

// AsyncClient is the asynchronous Spotify Web API client. It has the
// services and methods of [Client] (ac.Albums, ac.Player, ...), with the
// same arguments; each method submits the call and returns its [Future] at
// once:
//
//	f := ac.Albums.Get(ctx, id, nil) // submitted, running
//	album, err := f.Await(ctx)      // its result
//
// Submitting blocks while the client family has WithConcurrency calls
// running (default 16), honouring the submission context, so a producer
// can never queue unbounded work: when ctx ends first, or after Close, the
// method returns a Future already resolved with ctx's error or [ErrClosed],
// without sending anything. The submission context bounds the call (its
// deadline, its cancellation, its values such as per-call overrides);
// Await's context bounds only the wait.
//
// A call's own fan-out (the chunks of a long list, the prefetch of
// [Page.All] on a page it returned) runs through the synchronous client
// and the family's bulkhead, never through submission slots: it cannot
// wait on the slot its caller holds, and the requests of the whole family
// stay within WithConcurrency at a time.
//
// Its service fields are those of Client, by the same names, of types
// [AsyncAlbumsService] and its siblings, whose methods `go generate`
// derives from the sync services (async_services_gen.go). An AsyncClient
// is safe for concurrent use.
type AsyncClient struct {
	// Albums is the asynchronous form of Client.Albums.
	Albums *AsyncAlbumsService
	// Artists is the asynchronous form of Client.Artists.
	Artists *AsyncArtistsService
	// Audiobooks is the asynchronous form of Client.Audiobooks.
	Audiobooks *AsyncAudiobooksService
	// Categories is the asynchronous form of Client.Categories.
	Categories *AsyncCategoriesService
	// Chapters is the asynchronous form of Client.Chapters.
	Chapters *AsyncChaptersService
	// Episodes is the asynchronous form of Client.Episodes.
	Episodes *AsyncEpisodesService
	// Library is the asynchronous form of Client.Library.
	Library *AsyncLibraryService
	// Markets is the asynchronous form of Client.Markets.
	Markets *AsyncMarketsService
	// Player is the asynchronous form of Client.Player.
	Player *AsyncPlayerService
	// Playlists is the asynchronous form of Client.Playlists.
	Playlists *AsyncPlaylistsService
	// Search is the asynchronous form of Client.Search.
	Search *AsyncSearchService
	// Shows is the asynchronous form of Client.Shows.
	Shows *AsyncShowsService
	// Tracks is the asynchronous form of Client.Tracks.
	Tracks *AsyncTracksService
	// Users is the asynchronous form of Client.Users.
	Users *AsyncUsersService

	c     *Client
	owner bool // made by NewAsyncClient: its Close ends the family
}

// NewAsyncClient returns an asynchronous client with its own chain,
// budget, cache and token, configured by the options of [NewClient].
// Close it when done: Close cancels its running calls and waits for them.
func NewAsyncClient(opts ...Option) (*AsyncClient, error) {
	c, err := NewClient(opts...)
	if err != nil {
		return nil, err
	}
	view := *c
	view.owner = false
	view.initServices()
	ac := newAsyncClient(&view)
	ac.owner = true
	return ac, nil
}

// NewAsyncClientFromClientCredentials returns an asynchronous client that
// authenticates as the app. An empty id or secret is read from
// SPOTIFY_SDK_CLIENT_ID or SPOTIFY_SDK_CLIENT_SECRET.
func NewAsyncClientFromClientCredentials(clientID, clientSecret string, opts ...Option) (*AsyncClient, error) {
	return NewAsyncClient(append([]Option{WithClientCredentials(clientID, clientSecret)}, opts...)...)
}

// Async returns an asynchronous view of c: it shares c's chain, budget,
// cache, token and concurrency limit (every async view of the family draws
// on the same WithConcurrency submission slots). The view needs no Close:
// the Close of the client that created the family cancels its calls and
// waits for them. Making a view is cheap; keep it rather than calling Async
// per call.
func (c *Client) Async() *AsyncClient { return newAsyncClient(c) }

func newAsyncClient(c *Client) *AsyncClient {
	ac := &AsyncClient{c: c}
	ac.initServices()
	return ac
}

// Sync returns the synchronous client of ac's family and auth: for a view
// made by [Client.Async], that Client; for a client made by
// [NewAsyncClient], a client whose Close does nothing (ac's Close ends
// both).
func (ac *AsyncClient) Sync() *Client { return ac.c }

// Close ends the client family if ac created it (with [NewAsyncClient]):
// it cancels every running call, sync and async, waits for the async ones
// to finish, then closes what the family created, as [Client.Close] does.
// Submissions after Close return a Future resolved with [ErrClosed]. The
// Close of a view made by [Client.Async] does nothing.
func (ac *AsyncClient) Close() error {
	if !ac.owner {
		return nil
	}
	return ac.c.fam.close()
}

// submit runs fn as one async call of ac's family and returns its Future.
//
// It takes one of the family's submission slots first, blocking while all
// WithConcurrency of them are held; if ctx ends first it returns a Future
// resolved with ctx's error, and after Close one resolved with ErrClosed,
// in both cases without running fn. fn then runs on its own goroutine, on
// ctx; every request it sends is bound to the family's lifetime by
// Client.send, so that Close cancels the one in flight and fails those
// after it with ErrClosed (binding ctx here as well would bind each
// request twice, and take from a call on a context that never ends the
// cheaper binding transport.StartCall gives it). The slot is released when
// fn returns, and Close waits for fn.
//
// fn must not submit: the fan-out of a call (chunks, page prefetch) goes
// through the sync client, whose requests are bounded by the family's
// bulkhead, so a call never waits for a slot that its own caller holds.
func submit[T any](ac *AsyncClient, ctx context.Context, fn func(context.Context) (T, error)) *Future[T] {
	fam := ac.c.fam
	if err := ctx.Err(); err != nil {
		return failedFuture[T](err)
	}
	select {
	case fam.slots <- struct{}{}:
	case <-ctx.Done():
		return failedFuture[T](ctx.Err())
	case <-fam.ctx.Done():
		return failedFuture[T](ErrClosed)
	}
	// Register the call under the family's lock, so that close, which sets
	// closed under the same lock before it waits, never misses it.
	fam.mu.Lock()
	closed := fam.closed
	if !closed {
		fam.async.Add(1)
	}
	fam.mu.Unlock()
	if closed {
		<-fam.slots
		return failedFuture[T](ErrClosed)
	}
	fut := newFuture[T]()
	go func() {
		defer fam.async.Done()
		v, err := fn(ctx)
		<-fam.slots // free the slot before waking the waiters: a producer that awaits then submits finds it
		fut.complete(v, err)
	}()
	return fut
}
