package spotifytest

import (
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/clock"
)

func TestCounters(t *testing.T) {
	clk := clock.NewFake()
	srv := start(t, WithClock(clk.Now))
	tok := srv.Token()
	al := id(t, srv, KindAlbum, 0)
	fetch(t, srv, tok, "/v1/albums/"+al)
	clk.Advance(time.Second)
	fetch(t, srv, tok, "/v1/albums/"+al+"/tracks")
	clk.Advance(time.Second)
	fetch(t, srv, "", "/v1/albums/"+al)
	fetch(t, srv, tok, "/v1/albums/2KrxsD86ARO5beq7Q0Drfq") // 22 chars, unknown
	fetch(t, srv, tok, "/v1/nowhere")

	if n := srv.Requests("GET /v1/albums/{id}"); n != 3 {
		t.Fatalf("Requests(GET /v1/albums/{id}) = %d, want 3", n)
	}
	if n := srv.Requests("/v1/albums/{id}/tracks"); n != 1 {
		t.Fatalf("Requests(/v1/albums/{id}/tracks) = %d, want 1", n)
	}
	if n := srv.Requests(""); n != 1 {
		t.Fatalf("unmatched %d", n)
	}
	if st := srv.Statuses(""); len(st) != 1 || st[404] != 1 {
		t.Fatalf("Statuses(\"\") = %v, want the unmatched request's 404", st)
	}
	if f := srv.Faults(""); len(f) != 0 {
		t.Fatalf("Faults(\"\") = %v without faults", f)
	}
	if n := srv.Requests("GET /v1/none"); n != 0 {
		t.Fatalf("unknown route counted %d", n)
	}
	st := srv.Statuses("GET /v1/albums/{id}")
	if st[200] != 1 || st[401] != 1 || st[404] != 1 {
		t.Fatalf("statuses %v", st)
	}
	served := srv.Served()
	if len(served) != 5 {
		t.Fatalf("%d served", len(served))
	}
	first, second := served[0], served[1]
	if first.Method != "GET" || first.Route != "GET /v1/albums/{id}" || first.Status != 200 || !first.At.Equal(clk.Now().Add(-2*time.Second)) {
		t.Fatalf("first served %+v", first)
	}
	if second.At.Sub(first.At) != time.Second || served[4].Route != "" || served[4].Status != 404 {
		t.Fatalf("served %+v", served)
	}
	srv.ResetCounters()
	if len(srv.Served()) != 0 || srv.Requests("/v1/albums/{id}") != 0 {
		t.Fatal("ResetCounters kept records")
	}
}

func TestTokenRequestsAreCounted(t *testing.T) {
	srv := start(t)
	postToken(t, srv, ClientID, "wrong", clientCredentials)
	if st := srv.Statuses("POST /api/token"); st[400] != 1 {
		t.Fatalf("token statuses %v", st)
	}
}
