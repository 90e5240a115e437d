package spotifytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// TestHeapWalk100kTracks walks 100,000 tracks of the default catalogue
// through GET /v1/albums/{id}/tracks pages and checks that the process's
// heap (server and this client together) stays under 32 MiB: the
// catalogue is generated, never held.
func TestHeapWalk100kTracks(t *testing.T) {
	if testing.Short() {
		t.Skip("walks 100,000 tracks")
	}
	const want, limit = 100_000, 32 << 20
	srv := start(t)
	tok := srv.Token()
	albums := make(chan string)
	var tracks, requests atomic.Int64
	var peak atomic.Uint64
	measure := func() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		for {
			old := peak.Load()
			if ms.HeapInuse <= old || peak.CompareAndSwap(old, ms.HeapInuse) {
				return
			}
		}
	}
	measure()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range albums {
				var page struct {
					Items []struct {
						ID   string `json:"id"`
						Type string `json:"type"`
					} `json:"items"`
					Total int `json:"total"`
				}
				req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/albums/"+id+"/tracks?limit=50", nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				resp, err := http.DefaultClient.Do(req)
				if err == nil {
					err = json.NewDecoder(resp.Body).Decode(&page)
					resp.Body.Close()
					if err == nil && (resp.StatusCode != 200 || len(page.Items) != page.Total) {
						err = fmt.Errorf("album %s: status %d, %d items of %d", id, resp.StatusCode, len(page.Items), page.Total)
					}
				}
				if err != nil {
					select {
					case errs <- err:
					default:
					}
					continue
				}
				tracks.Add(int64(len(page.Items)))
				if requests.Add(1)%1000 == 0 {
					measure()
				}
			}
		}()
	}
	for _, id := range srv.Catalog().All(KindAlbum) {
		if tracks.Load() >= want || len(errs) > 0 {
			break
		}
		albums <- id
	}
	close(albums)
	wg.Wait()
	measure()
	close(errs)
	for err := range errs {
		t.Fatalf("a page failed: %v", err)
	}
	if tracks.Load() < want {
		t.Fatalf("walked %d tracks, want %d", tracks.Load(), want)
	}
	if srv.Requests("GET /v1/albums/{id}/tracks") != int(requests.Load()) {
		t.Fatalf("server counted %d pages, client sent %d", srv.Requests("GET /v1/albums/{id}/tracks"), requests.Load())
	}
	t.Logf("walked %d tracks in %d pages; peak HeapInuse after GC %.1f MiB", tracks.Load(), requests.Load(), float64(peak.Load())/(1<<20))
	if peak.Load() >= limit {
		t.Fatalf("peak HeapInuse %d bytes, want under 32 MiB", peak.Load())
	}
}
