package spotify

import "context"

// CategoriesService reads the browse categories that tag playlists on
// Spotify's Browse tab: c.Categories. Extended Quota Mode only: Spotify
// removed these routes for Development Mode apps.
type CategoriesService service

// Category is a browse category ("Pop", "Workout").
type Category struct {
	// Href links to the category's full details.
	Href string `json:"href"`
	// Icons are the category's icon in various sizes.
	Icons []Image `json:"icons"`
	// ID is the category id, for [CategoriesService.Get] and
	// [PlaylistsService.GetForCategory].
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CategoriesOptions are the options of [CategoriesService.List]. Each is
// sent only when set (not zero), so Spotify's defaults apply (American
// English, limit 20, offset 0).
type CategoriesOptions struct {
	// Locale is the language of the category names: an ISO 639-1 language
	// code and an ISO 3166-1 alpha-2 country code joined by an underscore
	// ("es_MX").
	Locale string
	// Limit is the page size, 1 to 50, or 0 for Spotify's default,
	// 20; any other value fails before a request.
	Limit int
	// Offset is the index of the first category, 0 or more.
	Offset int
}

// List returns a page of the browse categories; walk the rest with
// NextPage or All. Spotify wraps the page in a "categories" member, which
// is unwrapped here and when paging.
//
// Spotify API: GET /browse/categories. No scope needed. Extended Quota Mode
// only.
func (s *CategoriesService) List(ctx context.Context, opts *CategoriesOptions) (*Page[Category], error) {
	if opts == nil {
		opts = &CategoriesOptions{}
	}
	cl, err := s.c.params(opGetCategories).str("locale", opts.Locale).page(opts.Limit, opts.Offset).call()
	if err != nil {
		return nil, err
	}
	return getWrappedPage[Category](ctx, s.c, cl, "categories")
}

// CategoryOptions are the options of [CategoriesService.Get].
type CategoryOptions struct {
	// Locale is the language of the category's name ("es_MX"); sent only
	// when set.
	Locale string
}

// Get returns a browse category.
//
// It fails with ErrInvalidArgument, sending nothing, when categoryID is
// empty.
//
// Spotify API: GET /browse/categories/{category_id}. No scope needed.
// Extended Quota Mode only.
func (s *CategoriesService) Get(ctx context.Context, categoryID string, opts *CategoryOptions) (*Category, error) {
	if opts == nil {
		opts = &CategoryOptions{}
	}
	cl, err := s.c.params(opGetCategory, categoryID).str("locale", opts.Locale).call()
	if err != nil {
		return nil, err
	}
	return getOne[Category](ctx, s.c, cl)
}
