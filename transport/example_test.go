package transport_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/spotifysdk/spotify-go/transport"
)

// userAgent is a custom stage. It sets a header on a clone of the request,
// never on the caller's request, as the RoundTripper contract asks.
func userAgent(product string) transport.Stage {
	return transport.Stage{Name: "user-agent", Wrap: func(next http.RoundTripper) http.RoundTripper {
		return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			req = req.Clone(req.Context())
			req.Header.Set("User-Agent", product)
			return next.RoundTrip(req)
		})
	}}
}

// logStatus is a custom stage that prints each answer it passes up.
var logStatus = transport.Stage{Name: "log", Wrap: func(next http.RoundTripper) http.RoundTripper {
	return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		fmt.Println("log:", req.Method, req.URL.Path, resp.StatusCode)
		return resp, nil
	})
}}

// A chain of named stages under an http.Client: build it, place a stage
// by name, then turn it into one RoundTripper with Then.
func ExampleNewChain() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello, %s", r.UserAgent())
	}))
	defer srv.Close()

	chain := transport.NewChain(logStatus) // outermost first
	if err := chain.Insert("log", transport.After, userAgent("example/1.0")); err != nil {
		log.Fatal(err)
	}
	fmt.Println(chain.Names())

	base := transport.NewBase(transport.BaseOptions{})
	defer base.CloseIdleConnections()
	client := &http.Client{Transport: chain.Then(base)}
	resp, err := client.Get(srv.URL + "/v1/hello")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(body))
	// Output:
	// [log user-agent]
	// log: GET /v1/hello 200
	// hello, example/1.0
}
