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
