package spotify_test

import (
	"context"

	"github.com/spotifysdk/spotify-go/spotify"
)

// conformanceExtendedCalls is the second half of the table: the
// operations only Extended Quota Mode apps have, in registry order.
var conformanceExtendedCalls = []confCall{
	{"get-multiple-albums", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Albums.GetSeveral(ctx, e.albums, nil))
	}},
	{"get-new-releases", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Albums.GetNewReleases(ctx, &spotify.NewReleasesOptions{Limit: 5}))
	}},
	{"check-users-saved-albums", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Albums.CheckSaved(ctx, e.albums, nil)) }},
	{"save-albums-user", func(ctx context.Context, e *confEnv) error { return e.me.Albums.Save(ctx, e.albums[:2], nil) }},
	{"remove-albums-user", func(ctx context.Context, e *confEnv) error { return e.me.Albums.Remove(ctx, e.albums[1:2], nil) }},
	{"get-multiple-artists", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Artists.GetSeveral(ctx, e.artists, nil))
	}},
	{"get-an-artists-top-tracks", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Artists.GetTopTracks(ctx, e.artist, &spotify.ArtistTopTracksOptions{Market: "SE"}))
	}},
	{"get-an-artists-related-artists", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Artists.GetRelatedArtists(ctx, e.artist, nil))
	}},
	{"get-multiple-audiobooks", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Audiobooks.GetSeveral(ctx, e.audiobooks, nil))
	}},
	{"check-users-saved-audiobooks", func(ctx context.Context, e *confEnv) error {
		return ignore(e.me.Audiobooks.CheckSaved(ctx, e.audiobooks, nil))
	}},
	{"save-audiobooks-user", func(ctx context.Context, e *confEnv) error { return e.me.Audiobooks.Save(ctx, e.audiobooks[:2], nil) }},
	{"remove-audiobooks-user", func(ctx context.Context, e *confEnv) error {
		return e.me.Audiobooks.Remove(ctx, e.audiobooks[1:2], nil)
	}},
	{"get-categories", func(ctx context.Context, e *confEnv) error { return ignore(e.app.Categories.List(ctx, nil)) }},
	{"get-a-category", func(ctx context.Context, e *confEnv) error { return ignore(e.app.Categories.Get(ctx, e.category, nil)) }},
	{"get-several-chapters", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Chapters.GetSeveral(ctx, e.chapters, nil))
	}},
	{"get-multiple-episodes", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Episodes.GetSeveral(ctx, e.episodes, nil))
	}},
	{"check-users-saved-episodes", func(ctx context.Context, e *confEnv) error {
		return ignore(e.me.Episodes.CheckSaved(ctx, e.episodes, nil))
	}},
	{"save-episodes-user", func(ctx context.Context, e *confEnv) error { return e.me.Episodes.Save(ctx, e.episodes[:2], nil) }},
	{"remove-episodes-user", func(ctx context.Context, e *confEnv) error { return e.me.Episodes.Remove(ctx, e.episodes[1:2], nil) }},
	{"get-available-markets", func(ctx context.Context, e *confEnv) error { return ignore(e.app.Markets.List(ctx, nil)) }},
	{"get-playlists-tracks", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Playlists.GetTracks(ctx, e.own, nil)) }},
	{"add-tracks-to-playlist", func(ctx context.Context, e *confEnv) error {
		return ignore(e.me.Playlists.AddTracks(ctx, e.own, e.trackURIs[:1], nil))
	}},
	{"remove-tracks-playlist", func(ctx context.Context, e *confEnv) error {
		return ignore(e.me.Playlists.RemoveTracks(ctx, e.own, &spotify.RemoveItemsOptions{
			Items: []spotify.PlaylistItemRef{{URI: e.trackURIs[0]}},
		}))
	}},
	{"reorder-or-replace-playlists-tracks", func(ctx context.Context, e *confEnv) error {
		return ignore(e.me.Playlists.ReorderOrReplaceTracks(ctx, e.own, &spotify.ReorderOrReplaceOptions{
			RangeStart: spotify.Ptr(1), InsertBefore: spotify.Ptr(0), RangeLength: spotify.Ptr(1),
		}))
	}},
	{"create-playlist-for-user", func(ctx context.Context, e *confEnv) error {
		return ignore(e.me.Playlists.CreateForUser(ctx, e.user, "Mixtape", &spotify.CreatePlaylistOptions{
			Collaborative: spotify.Ptr(true), Public: spotify.Ptr(false),
		}))
	}},
	{"get-list-users-playlists", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Playlists.GetForUser(ctx, e.other, &spotify.ListOptions{Limit: 10}))
	}},
	{"get-featured-playlists", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Playlists.GetFeatured(ctx, &spotify.FeaturedPlaylistsOptions{Locale: "sv_SE", Limit: 5}))
	}},
	{"get-a-categories-playlists", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Playlists.GetForCategory(ctx, e.category, nil))
	}},
	{"get-multiple-shows", func(ctx context.Context, e *confEnv) error { return ignore(e.app.Shows.GetSeveral(ctx, e.shows, nil)) }},
	{"check-users-saved-shows", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Shows.CheckSaved(ctx, e.shows, nil)) }},
	{"save-shows-user", func(ctx context.Context, e *confEnv) error { return e.me.Shows.Save(ctx, e.shows[:2], nil) }},
	{"remove-shows-user", func(ctx context.Context, e *confEnv) error { return e.me.Shows.Remove(ctx, e.shows[1:2], nil) }},
	{"get-several-tracks", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Tracks.GetSeveral(ctx, e.tracks, nil))
	}},
	{"check-users-saved-tracks", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Tracks.CheckSaved(ctx, e.tracks, nil)) }},
	{"save-tracks-user", func(ctx context.Context, e *confEnv) error { return e.me.Tracks.Save(ctx, e.tracks[:2], nil) }},
	{"remove-tracks-user", func(ctx context.Context, e *confEnv) error { return e.me.Tracks.Remove(ctx, e.tracks[1:2], nil) }},
	{"get-audio-features", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Tracks.GetAudioFeatures(ctx, e.track, nil))
	}},
	{"get-several-audio-features", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Tracks.GetSeveralAudioFeatures(ctx, e.tracks, nil))
	}},
	{"get-audio-analysis", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Tracks.GetAudioAnalysis(ctx, e.track, nil))
	}},
	{"get-recommendations", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Tracks.GetRecommendations(ctx, &spotify.RecommendationsOptions{
			SeedArtists: e.artists[:1], SeedTracks: e.tracks[:1], SeedGenres: []string{"pop"}, Limit: 10, Market: "US",
		}))
	}},
	{"get-recommendation-genres", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Tracks.GetRecommendationGenres(ctx, nil))
	}},
	{"get-users-profile", func(ctx context.Context, e *confEnv) error { return ignore(e.app.Users.GetProfile(ctx, e.other, nil)) }},
	{"follow-playlist", func(ctx context.Context, e *confEnv) error {
		return e.me.Users.FollowPlaylist(ctx, e.playlist, &spotify.FollowPlaylistOptions{Public: spotify.Ptr(false)})
	}},
	{"unfollow-playlist", func(ctx context.Context, e *confEnv) error { return e.me.Users.UnfollowPlaylist(ctx, e.playlist, nil) }},
	{"follow-artists-users", func(ctx context.Context, e *confEnv) error {
		return e.me.Users.FollowArtistsOrUsers(ctx, "artist", e.artists[:2], nil)
	}},
	{"unfollow-artists-users", func(ctx context.Context, e *confEnv) error {
		return e.me.Users.UnfollowArtistsOrUsers(ctx, "user", []string{e.other}, nil)
	}},
	{"check-current-user-follows", func(ctx context.Context, e *confEnv) error {
		return ignore(e.me.Users.CheckFollowsArtistsOrUsers(ctx, "artist", e.artists, nil))
	}},
	{"check-if-user-follows-playlist", func(ctx context.Context, e *confEnv) error {
		return ignore(e.me.Users.CheckIfFollowsPlaylist(ctx, e.playlist, nil))
	}},
}
