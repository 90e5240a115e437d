package spotifytest

import (
	"slices"
	"testing"
)

func TestCategories(t *testing.T) {
	srv := start(t)
	unwrap := func(o obj) obj { return o["categories"].(obj) }
	fwd, back, total := walk(t, srv, "/v1/browse/categories?limit=15&locale=sv_SE", unwrap)
	if total != len(categories) || len(fwd) != total || !slices.Equal(fwd, back) || fwd[0] != "toplists" {
		t.Fatalf("categories: %v", fwd)
	}
	page := unwrap(getObj(t, srv, "/v1/browse/categories?country=GB&limit=20"))
	if page["href"] != srv.URL+"/v1/browse/categories?country=GB&offset=0&limit=20" {
		t.Fatalf("href %v", page["href"])
	}
	cat := getObj(t, srv, "/v1/browse/categories/pop")
	if cat["id"] != "pop" || cat["name"] != "Pop" || len(cat["icons"].([]any)) != 1 {
		t.Fatalf("category %v", cat)
	}
	if k, i, ok := srv.Catalog().Decode("pop"); !ok || k != KindCategory || i != 1 {
		t.Fatalf("Decode(pop) = %v %d %v", k, i, ok)
	}
	wantError(t, srv, "/v1/browse/categories/nope", 404, "Resource not found")
}

func TestNewReleasesAndMarkets(t *testing.T) {
	srv := start(t)
	nr := getObj(t, srv, "/v1/browse/new-releases?limit=50")["albums"].(obj)
	if num(nr, "total") != 100 || len(items(t, nr)) != 50 || nr["next"] == nil {
		t.Fatalf("new releases %d of %d", len(items(t, nr)), num(nr, "total"))
	}
	if items(t, nr)[0].(obj)["type"] != "album" {
		t.Fatal("a new release is not an album")
	}
	m := getObj(t, srv, "/v1/markets")["markets"].([]any)
	if len(m) < 170 || m[0] != "AD" || !slices.Contains(m, any("US")) {
		t.Fatalf("markets %v", m)
	}
}

func TestUsers(t *testing.T) {
	srv := start(t)
	uID := id(t, srv, KindUser, 3)
	u := getObj(t, srv, "/v1/users/"+uID)
	if u["type"] != "user" || u["uri"] != "spotify:user:"+uID || u["display_name"] == "" {
		t.Fatalf("user %v", u)
	}
	pls := getObj(t, srv, "/v1/users/"+uID+"/playlists?limit=50")
	list := items(t, pls)
	if len(list) == 0 || len(list) != num(pls, "total") {
		t.Fatalf("user playlists %d of %d", len(list), num(pls, "total"))
	}
	for _, x := range list {
		p := x.(obj)
		if p["owner"].(obj)["id"] != uID {
			t.Fatalf("playlist %v owned by %v", p["id"], p["owner"])
		}
		if p["items"].(obj)["href"] != p["href"].(string)+"/items" || p["tracks"].(obj)["href"] != p["href"].(string)+"/tracks" {
			t.Fatalf("simplified playlist refs %v %v", p["items"], p["tracks"])
		}
	}
	wantError(t, srv, "/v1/users/"+id(t, srv, KindPlaylist, 0), 404, "Resource not found")
}
