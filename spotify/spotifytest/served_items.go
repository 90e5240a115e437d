package spotifytest

import "sync"

// Per-item serving counts: how often each catalogue item went out as the
// object a read asked for. A test that fetches many items under faults
// uses them to prove every item was served at least once (and to see
// which ones were served more than once, by retries or resubmissions).

// servedKey names a catalogue item by its kind code and index.
type servedKey struct {
	k kind
	i int
}

// servedItems counts, per item, the answers a handler wrote it into. Its
// zero value is ready.
type servedItems struct {
	mu sync.Mutex
	n  map[servedKey]int
}

// reset forgets the counts.
func (si *servedItems) reset() {
	si.mu.Lock()
	si.n = nil
	si.mu.Unlock()
}

// counted wraps the writer of a read's top-level object so that each item
// it writes is counted for [Server.TimesServed]. It is meant for the
// handlers of single and batch gets (c.one, c.batch), not for items
// nested in another object or listed in a page.
func (c *call) counted(k kind, write func(v *view, i int)) func(v *view, i int) {
	items := &c.s.served
	return func(v *view, i int) {
		items.mu.Lock()
		if items.n == nil {
			items.n = map[servedKey]int{}
		}
		items.n[servedKey{k, i}]++
		items.mu.Unlock()
		write(v, i)
	}
}

// TimesServed returns how many answers carried the item named by uri
// ("spotify:track:<id>"; albums, artists, shows, episodes, audiobooks and
// chapters alike, the last two with their spotify:show: and
// spotify:episode: URIs) as the object a single
// get (GET /v1/tracks/{id}) or one of the objects a batch get (GET
// /v1/tracks?ids=...) asked for. An answer counts when the handler wrote
// it, whatever became of it: a 304 Not Modified counts, and so does a
// FaultResetAfter, FaultTruncate or FaultSlowBody answer (the handler
// ran). An answer a fault replaced without running the handler (Fault429,
// Fault500/502/503, FaultResetBefore) does not count, and neither does an
// item nested in another object (an album's tracks, an artist's top
// tracks) or listed in a page. A batch that names an item twice counts it
// twice. It returns 0 for a URI the catalogue never issued.
// [Server.ResetCounters] resets it.
func (s *Server) TimesServed(uri string) int {
	word, id, ok := splitURI(uri)
	if !ok {
		return 0
	}
	k, i, ok := s.cat.decodeID(id)
	if !ok || string(uriKind(k)) != word {
		return 0
	}
	items := &s.served
	items.mu.Lock()
	defer items.mu.Unlock()
	return items.n[servedKey{k, i}]
}
