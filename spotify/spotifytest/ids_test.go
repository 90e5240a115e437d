package spotifytest

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestIDsRoundTrip(t *testing.T) {
	c := newCatalog(42, 300)
	for k := kArtist; k < kindCount; k++ {
		n := 0
		for i := range c.indexes(k) {
			if n++; n > 500 {
				break
			}
			id := c.encodeID(k, i)
			if k != kCategory {
				if len(id) != 22 || id[0] > '7' {
					t.Fatalf("%s %d: id %q: want 22 base62 digits below 2^128", k.Kind(), i, id)
				}
				for _, r := range id {
					if !strings.ContainsRune(base62, r) {
						t.Fatalf("id %q: %q is not base62", id, r)
					}
				}
			}
			K, idx, ok := c.Decode(id)
			if !ok || K != k.Kind() || idx != i {
				t.Fatalf("Decode(%q) = %v %d %v, want %v %d", id, K, idx, ok, k.Kind(), i)
			}
			if uri := c.URI(k.Kind(), i); !strings.HasSuffix(uri, ":"+id) || !strings.HasPrefix(uri, "spotify:"+string(uriKind(k))+":") {
				t.Fatalf("URI(%v, %d) = %q", k.Kind(), i, uri)
			}
			if got, ok := c.ID(k.Kind(), i); !ok || got != id {
				t.Fatalf("ID(%v, %d) = %q %v, want %q", k.Kind(), i, got, ok, id)
			}
		}
	}
}

func TestIDsRejectForeignAndRandom(t *testing.T) {
	a, b := newCatalog(1, 100), newCatalog(2, 100)
	for i := range 100 {
		id := a.encodeID(kTrack, i*tracksPerAlbum)
		if _, _, ok := b.decodeID(id); ok {
			t.Fatalf("catalogue of seed 2 decodes %q of seed 1", id)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		var s [22]byte
		for j := range s {
			s[j] = base62[r.IntN(62)]
		}
		if _, _, ok := a.decodeID(string(s[:])); ok {
			t.Fatalf("random id %q decodes", s)
		}
	}
	for _, bad := range []string{"", "short", "zzzzzzzzzzzzzzzzzzzzzz", "2KrxsD86ARO5beq7Q0Drfqa", "!!!!!!!!!!!!!!!!!!!!!!"} {
		if _, _, ok := a.Decode(bad); ok {
			t.Fatalf("Decode(%q) ok", bad)
		}
	}
}

func TestIDsOfMissingItems(t *testing.T) {
	c := newCatalog(1, 10)
	// Artist 10 does not exist; its id decodes but Decode reports no item.
	id := c.encodeID(kArtist, 10)
	if _, _, ok := c.decodeID(id); !ok {
		t.Fatal("decodeID failed on an encoded id")
	}
	if _, _, ok := c.Decode(id); ok {
		t.Fatal("Decode accepted an artist beyond the catalogue")
	}
	// An artist with fewer than albumsPerArtist albums: its last album
	// exists, the index after it (inside the artist's block) does not.
	a := 0
	for a < 10 && c.albumCount(a) >= albumsPerArtist {
		a++
	}
	if a == 10 {
		t.Fatal("every artist has the most albums: pick another seed")
	}
	last := a*albumsPerArtist + c.albumCount(a) - 1
	if _, ok := c.ID(KindAlbum, last); !ok {
		t.Fatalf("ID(album %d), the last of artist %d, not ok", last, a)
	}
	if id, ok := c.ID(KindAlbum, last+1); ok {
		t.Fatalf("ID(album %d) = %q beyond the %d albums of artist %d", last+1, id, c.albumCount(a), a)
	}
	if _, _, ok := c.Decode(c.encodeID(kAlbum, last+1)); ok {
		t.Fatal("Decode accepted an album beyond the artist's albums")
	}
	if c.URI(KindTrack, -1) != "" || c.URI("nonsense", 0) != "" {
		t.Fatal("URI of a missing item is not empty")
	}
}

func TestWellFormed(t *testing.T) {
	for s, want := range map[string]bool{
		"0TnOYISbd1XYRBk9myaseg":  true,
		"toplists":                true,
		"2KrxsD86ARO5beq7Q0Drfqa": false,
		"0TnOYISbd1XYRBk9myase-":  false,
		"":                        false,
	} {
		if got := wellFormed(s); got != want {
			t.Errorf("wellFormed(%q) = %v, want %v", s, got, want)
		}
	}
}
