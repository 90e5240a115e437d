package spotifytest

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestJSONWriter(t *testing.T) {
	w := newJW()
	defer w.free()
	w.obj()
	w.ks("s", "quote \" backslash \\ newline \n tab \t ctl \x01 é ℗ bad \xff")
	w.ki("i", -42)
	w.kb("b", true)
	w.kn("n")
	w.k("f")
	w.float(0.25)
	w.k("a")
	w.arr()
	w.obj()
	w.objEnd()
	w.arr()
	w.arrEnd()
	w.strs("x", "y")
	w.arrEnd()
	w.ksn("empty", "")
	w.objEnd()
	var v map[string]any
	if err := json.Unmarshal(w.b, &v); err != nil {
		t.Fatalf("%s: %v", w.b, err)
	}
	if v["s"] != "quote \" backslash \\ newline \n tab \t ctl \x01 é ℗ bad \ufffd" || v["i"] != -42.0 || v["b"] != true || v["n"] != nil || v["f"] != 0.25 || v["empty"] != nil {
		t.Fatalf("decoded %v", v)
	}
	if a := v["a"].([]any); len(a) != 3 {
		t.Fatalf("array %v", a)
	}
}

func TestStrcatIsQuotedConcatenation(t *testing.T) {
	for _, parts := range [][]string{
		nil, {""}, {"a"}, {"https://open.spotify.com/", "album", "/", "4aawyAB9vmqN3uQ7FjRGTy"},
		{"quote \"", "\\ back", "ctl \x01\n", "é℗", "bad \xff"},
	} {
		w := newJW()
		w.strcat(parts...)
		if want := string(appendQuoted(nil, strings.Join(parts, ""))); string(w.b) != want {
			t.Errorf("strcat(%q) = %s, want %s", parts, w.b, want)
		}
		w.free()
	}
}

// ref and hex40 run for every object of every answer: ref allocates
// nothing, hex40 only its result.
func TestRefAndHex40Allocations(t *testing.T) {
	v := &view{jw: newJW(), cat: newCatalog(1, 10), base: "http://127.0.0.1:1234", market: -1}
	defer v.free()
	id := v.id(kAlbum, 0)
	if n := testing.AllocsPerRun(100, func() {
		v.b, v.comma = v.b[:0], false
		v.ref(kAlbum, id)
		v.ref(kCategory, "toplists")
	}); n != 0 {
		t.Errorf("ref: %v allocations, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = hex40(12345) }); n != 1 {
		t.Errorf("hex40: %v allocations, want 1", n)
	}
}

func TestCursorPage(t *testing.T) {
	v := &view{jw: newJW(), cat: newCatalog(1, 10), base: "http://h", market: -1}
	defer v.free()
	v.cursorPage("/v1/me/following", []kv{{"type", "artist"}}, 2, 10, "abc", "", func() {
		v.simplifiedArtist(0)
		v.simplifiedArtist(1)
	})
	var p struct {
		Href    string
		Items   []map[string]any
		Limit   int
		Next    *string
		Cursors struct{ After, Before *string }
		Total   int
	}
	if err := json.Unmarshal(v.b, &p); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(v.b), `"before"`) {
		t.Fatalf("a missing before cursor is left out: %s", v.b)
	}
	if p.Href != "http://h/v1/me/following?type=artist&limit=2" || p.Next == nil || *p.Next != "http://h/v1/me/following?type=artist&after=abc&limit=2" ||
		len(p.Items) != 2 || p.Cursors.After == nil || *p.Cursors.After != "abc" || p.Cursors.Before != nil || p.Total != 10 {
		t.Fatalf("cursor page %s", v.b)
	}
}
