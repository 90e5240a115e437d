package auth

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"
)

// DefaultLoginTimeout is how long [Login] waits for the callback by default.
const DefaultLoginTimeout = 2 * time.Minute

// ErrLoginTimeout is wrapped by the error of [Login] when no callback
// arrived in time.
var ErrLoginTimeout = errors.New("auth: timed out waiting for the authorization callback")

// LoginOptions tunes [Login]. The zero value prints the URL to standard
// error and waits two minutes.
type LoginOptions struct {
	// Open, if set, is called with the authorization URL, typically to open
	// it in a browser; nil only prints the URL. It should return once the
	// browser has been started (the timeout counts from then). An error is
	// printed and the wait goes on (the user can open the printed URL by
	// hand).
	Open func(url string) error
	// Out receives the instructions and the URL; nil means os.Stderr.
	Out io.Writer
	// Timeout bounds the wait for the callback; 0 means 2 minutes.
	Timeout time.Duration
	// AuthURLOptions are passed to [AuthorizationCode.AuthURL], for example
	// [ShowDialog]().
	AuthURLOptions []AuthURLOption
}

// callbackResult is what the callback server received.
type callbackResult struct {
	code string
	err  error
}

// Login logs a user in from a command-line program: it serves the redirect
// URI (an http loopback URI with a port, such as
// http://127.0.0.1:8080/callback, registered in the app's settings) with a
// one-shot callback server, prints the authorization URL to Out (and calls
// Open with it when set), waits for the browser's callback (state checked),
// shuts the server down, and exchanges the code with p, which saves the
// token to its store. A state mismatch or a refusal (access_denied) fails
// with the errors of [ParseCallback]; no callback within the timeout fails
// with an error wrapping [ErrLoginTimeout].
func Login(ctx context.Context, p *AuthorizationCode, o LoginOptions) (*Token, error) {
	u, err := url.Parse(p.redirectURI)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidRedirectURI, err)
	}
	if u.Scheme != "http" || u.Port() == "" {
		return nil, fmt.Errorf("%w: Login serves the callback itself, so the redirect URI must be http on a loopback IP with a port (such as http://127.0.0.1:8080/callback), not %q",
			ErrInvalidRedirectURI, u.Redacted())
	}
	if port, err := strconv.Atoi(u.Port()); err != nil || port <= 0 {
		return nil, fmt.Errorf("%w: %q needs a fixed port", ErrInvalidRedirectURI, u.Redacted())
	}
	out := o.Out
	if out == nil {
		out = os.Stderr
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultLoginTimeout
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", u.Host)
	if err != nil {
		return nil, fmt.Errorf("auth: cannot listen for the authorization callback on %s: %w", u.Host, err)
	}
	req := p.AuthURL("", o.AuthURLOptions...)
	results := make(chan callbackResult, 1)
	var once sync.Once
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.EscapedPath() != path {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		code, err := ParseCallback(r.URL.RawQuery, req.State)
		handled := false
		once.Do(func() {
			handled = true
			results <- callbackResult{code: code, err: err}
		})
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		switch {
		case !handled:
			fmt.Fprint(w, page("Already handled", "This login has already received its answer. You can close this window."))
		case err != nil:
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, page("Login failed", err.Error()))
		default:
			fmt.Fprint(w, page("Login complete", "You can close this window and return to the program."))
		}
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(ln)
	}()
	shutdown := func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			_ = srv.Close()
		}
		<-served
	}

	fmt.Fprintf(out, "Open this URL in your browser to log in to Spotify:\n\n  %s\n\nWaiting for the callback on %s ...\n", req.URL, redactURL(p.redirectURI))
	if o.Open != nil {
		if err := o.Open(req.URL); err != nil {
			fmt.Fprintf(out, "Could not open the browser (%v); open the URL above by hand.\n", err)
		}
	}

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var res callbackResult
	select {
	case res = <-results:
	case <-ctx.Done():
		shutdown()
		return nil, fmt.Errorf("auth: login cancelled while waiting for the authorization callback: %w", ctx.Err())
	case <-timer.C:
		shutdown()
		return nil, fmt.Errorf("%w on %s after %s: was the URL opened and the login completed? (the redirect URI must be registered in the app's settings exactly as %q)",
			ErrLoginTimeout, u.Host, timeout, redactURL(p.redirectURI))
	}
	shutdown()
	if res.err != nil {
		return nil, res.err
	}
	return p.Exchange(ctx, res.code, req.Verifier)
}

// page is the small HTML answer shown in the browser.
func page(title, msg string) string {
	return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + html.EscapeString(title) +
		"</title></head><body><h1>" + html.EscapeString(title) + "</h1><p>" + html.EscapeString(msg) + "</p></body></html>\n"
}
