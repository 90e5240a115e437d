package spotify

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// categoriesJSON is one category.
const categoriesJSON = `{"href":"https://api.spotify.com/v1/browse/categories/toplists",
"icons":[{"height":275.0,"url":"https://t.scdn.co/media/toplists.jpg","width":275}],"id":"toplists","name":"Top Lists"}`

// categoriesPageJSON is the answer of GET /browse/categories: the page
// wrapped in "categories".
const categoriesPageJSON = `{"categories":{"href":"https://api.spotify.com/v1/browse/categories?offset=0&limit=1",
"items":[` + categoriesJSON + `],"limit":1,"next":null,"offset":0,"previous":null,"total":1}}`

func TestCategoriesMethods(t *testing.T) {
	checkPage := func(t *testing.T, got any) {
		p := got.(*Page[Category])
		require.Len(t, p.Items, 1)
		assert.Equal(t, "toplists", p.Items[0].ID)
		assert.Equal(t, "Top Lists", p.Items[0].Name)
		require.Len(t, p.Items[0].Icons, 1)
		assert.Equal(t, 275, *p.Items[0].Icons[0].Height, "275.0 decodes")
		assert.Equal(t, 1, p.Total)
	}
	runMethodCases(t, []methodCase{
		{
			name: opGetCategories.id + " List defaults", method: "GET", path: "/browse/categories",
			respond: categoriesPageJSON, check: checkPage,
			call: func(ctx context.Context, c *Client) (any, error) { return c.Categories.List(ctx, nil) },
		},
		{
			name: opGetCategories.id + " List with options", method: "GET", path: "/browse/categories",
			query:   url.Values{"locale": {"sv_SE"}, "limit": {"10"}, "offset": {"5"}},
			respond: categoriesPageJSON, check: checkPage,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Categories.List(ctx, &CategoriesOptions{Locale: "sv_SE", Limit: 10, Offset: 5})
			},
		},
		{
			name: opGetCategory.id + " Get", method: "GET", path: "/browse/categories/toplists",
			respond: categoriesJSON,
			call:    func(ctx context.Context, c *Client) (any, error) { return c.Categories.Get(ctx, "toplists", nil) },
			check: func(t *testing.T, got any) {
				cat := got.(*Category)
				assert.Equal(t, "toplists", cat.ID)
				assert.Equal(t, "https://api.spotify.com/v1/browse/categories/toplists", cat.Href)
			},
		},
		{
			name: opGetCategory.id + " Get with locale", method: "GET", path: "/browse/categories/toplists",
			query: url.Values{"locale": {"es_MX"}},
			respond: `{"href":"https://api.spotify.com/v1/browse/categories/toplists",
"icons":[{"height":null,"url":"https://t.scdn.co/media/toplists-es.jpg","width":null}],"id":"toplists","name":"Éxitos"}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Categories.Get(ctx, "toplists", &CategoryOptions{Locale: "es_MX"})
			},
			check: func(t *testing.T, got any) {
				cat := got.(*Category)
				assert.Equal(t, "toplists", cat.ID)
				assert.Equal(t, "Éxitos", cat.Name, "the name in the locale asked for")
				require.Len(t, cat.Icons, 1)
				assert.Equal(t, "https://t.scdn.co/media/toplists-es.jpg", cat.Icons[0].URL)
				assert.Nil(t, cat.Icons[0].Height)
			},
		},
	})
}

func TestCategoriesValidation(t *testing.T) {
	runInvalidCases(t, []invalidCase{
		{opGetCategory.id + " empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Categories.Get(ctx, " ", nil)
			return err
		}, "spotify: Categories.Get: category_id is empty"},
	})
}

// TestCategoriesListPages: the next page is unwrapped from "categories"
// too.
func TestCategoriesListPages(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/browse/categories", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("offset") == "1" {
			_, _ = io.WriteString(w, `{"categories":{"href":"h","items":[{"href":"h2","icons":[],"id":"pop","name":"Pop"}],"limit":1,"next":null,"offset":1,"previous":"p","total":2}}`)
			return
		}
		_, _ = io.WriteString(w, `{"categories":{"href":"h","items":[`+categoriesJSON+`],"limit":1,"next":"`+ts.URL+`/v1/browse/categories?offset=1&limit=1","offset":0,"previous":null,"total":2}}`)
	})
	c := newTestClient(t, ts)
	p, err := c.Categories.List(context.Background(), &CategoriesOptions{Limit: 1})
	require.NoError(t, err)
	var ids []string
	for cat, err := range p.All(context.Background()) {
		require.NoError(t, err)
		ids = append(ids, cat.ID)
	}
	assert.Equal(t, []string{"toplists", "pop"}, ids)
}

func TestCategoriesSamplesDecode(t *testing.T) {
	var w struct {
		Categories Page[Category] `json:"categories"`
	}
	assertDecodesWithoutLoss(t, sample(t, "categories-page.json"), &w)
	assert.Len(t, w.Categories.Items, 20)
	assert.Equal(t, 54, w.Categories.Total)
	assert.Equal(t, "toplists", w.Categories.Items[0].ID)
	assert.Nil(t, w.Categories.Items[1].Icons[0].Height, "a null height stays nil")
}

// TestCategoriesSampleThroughList: the sample, served as the answer, comes
// back from List unwrapped.
func TestCategoriesSampleThroughList(t *testing.T) {
	data := sample(t, "categories-page.json")
	runMethodCases(t, []methodCase{{
		name: opGetCategories.id + " sample", method: "GET", path: "/browse/categories",
		respond: string(data),
		call:    func(ctx context.Context, c *Client) (any, error) { return c.Categories.List(ctx, nil) },
		check: func(t *testing.T, got any) {
			p := got.(*Page[Category])
			assert.Len(t, p.Items, 20)
			assert.Equal(t, "Top Lists", p.Items[0].Name)
			assert.NotEmpty(t, p.Next)
		},
	}})
}
