package spotify

import (
	"net/http"
	"net/url"
	"strings"
)

// operation is one Web API operation of the OpenAPI file: what the service
// methods send and check before sending, what the retry stage may replay
// (idempotent), what names the spans (path), and which app modes have it.
type operation struct {
	// id is the spec's operationId.
	id string
	// name is the method that sends it, "Albums.GetTracks"; its argument
	// errors start with it.
	name string
	// method and path are the HTTP method and the spec's path template.
	method string
	path   string
	// idempotent: replaying after a 5xx or a broken connection cannot apply
	// the operation twice. An append or a reorder of a playlist is not.
	idempotent bool
	// extended: only Extended Quota Mode apps have it (the spec marks it
	// deprecated); Development Mode apps get 403.
	extended bool
	// limitMin, limitMax and limitDefault are the range and the default
	// of the limit parameter, as the spec gives them; limitMax 0 means the
	// operation takes no limit. A caller's limit of 0 means the default,
	// whatever the range.
	limitMin, limitMax, limitDefault int
	// limitMaxExtended, when positive, is the larger limit Spotify kept for
	// Extended Quota Mode apps when it cut limitMax in February 2026; it
	// applies unless the client is set to DevelopmentMode.
	limitMaxExtended int
	// offset: the operation takes an offset (0 or more). maxOffset, when
	// positive, is the largest it accepts (search: 1,000); paging stops
	// there.
	offset    bool
	maxOffset int
	// segs is path split at "/", for matching requests built by hand
	// (route_match.go).
	segs []string
	// pathNames are the names of the path parameters, in template order
	// ("id", "playlist_id"): argument errors name them.
	pathNames []string
}

// registry lists every operation the SDK knows, in declaration order.
var registry []*operation

// op declares the operation id of the spec, sent by the method name
// ("Service.Method"). GET, PUT and DELETE are idempotent unless
// notIdempotent is given.
func op(id, name, method, path string, flags ...opFlag) *operation {
	o := &operation{id: id, name: name, method: method, path: path, segs: strings.Split(strings.Trim(path, "/"), "/")}
	for _, s := range o.segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			o.pathNames = append(o.pathNames, s[1:len(s)-1])
		}
	}
	o.idempotent = method == http.MethodGet || method == http.MethodPut || method == http.MethodDelete
	for _, f := range flags {
		f(o)
	}
	registry = append(registry, o)
	return o
}

type opFlag func(*operation)

func notIdempotent(o *operation) { o.idempotent = false }

// extended marks an operation that only Extended Quota Mode apps have.
func extended(o *operation) { o.extended = true }

// pageLimit gives the operation a limit parameter of the spec's range
// lo..hi and default def. A range Spotify changes is this one place to
// change; a test checks every range against the OpenAPI file.
func pageLimit(lo, hi, def int) opFlag {
	return func(o *operation) { o.limitMin, o.limitMax, o.limitDefault = lo, hi, def }
}

// extendedLimit is the larger limit Extended Quota Mode apps keep (see
// operation.limitMaxExtended).
func extendedLimit(hi int) opFlag { return func(o *operation) { o.limitMaxExtended = hi } }

// pageOffset gives the operation an offset parameter (0 or more).
func pageOffset(o *operation) { o.offset = true }

// maxOffset gives the operation an offset parameter of at most n.
func maxOffset(n int) opFlag { return func(o *operation) { o.offset, o.maxOffset = true, n } }

// expand fills the path template with args, in order, each escaped as one
// path segment.
func (o *operation) expand(args ...string) string {
	if len(args) == 0 {
		return o.path
	}
	return fillPath("", o.path, args, false)
}

// The 49 operations Development Mode apps have.
var (
	opGetAlbum         = op("get-an-album", "Albums.Get", http.MethodGet, "/albums/{id}")
	opGetAlbumTracks   = op("get-an-albums-tracks", "Albums.GetTracks", http.MethodGet, "/albums/{id}/tracks", pageLimit(1, 50, 20), pageOffset)
	opGetSavedAlbums   = op("get-users-saved-albums", "Albums.GetSaved", http.MethodGet, "/me/albums", pageLimit(1, 50, 20), pageOffset)
	opGetArtist        = op("get-an-artist", "Artists.Get", http.MethodGet, "/artists/{id}")
	opGetArtistAlbums  = op("get-an-artists-albums", "Artists.GetAlbums", http.MethodGet, "/artists/{id}/albums", pageLimit(0, 10, 5), extendedLimit(50), pageOffset)
	opGetAudiobook     = op("get-an-audiobook", "Audiobooks.Get", http.MethodGet, "/audiobooks/{id}")
	opGetAudiobookChap = op("get-audiobook-chapters", "Audiobooks.GetChapters", http.MethodGet, "/audiobooks/{id}/chapters", pageLimit(1, 50, 20), pageOffset)
	opGetSavedAudiobks = op("get-users-saved-audiobooks", "Audiobooks.GetSaved", http.MethodGet, "/me/audiobooks", pageLimit(1, 50, 20), pageOffset)
	opGetChapter       = op("get-a-chapter", "Chapters.Get", http.MethodGet, "/chapters/{id}")
	opGetEpisode       = op("get-an-episode", "Episodes.Get", http.MethodGet, "/episodes/{id}")
	opGetSavedEpisodes = op("get-users-saved-episodes", "Episodes.GetSaved", http.MethodGet, "/me/episodes", pageLimit(1, 50, 20), pageOffset)

	opSaveLibrary     = op("save-library-items", "Library.SaveItems", http.MethodPut, "/me/library")
	opRemoveLibrary   = op("remove-library-items", "Library.RemoveItems", http.MethodDelete, "/me/library")
	opLibraryContains = op("check-library-contains", "Library.CheckContains", http.MethodGet, "/me/library/contains")

	opGetPlaybackState   = op("get-information-about-the-users-current-playback", "Player.GetPlaybackState", http.MethodGet, "/me/player")
	opTransferPlayback   = op("transfer-a-users-playback", "Player.TransferPlayback", http.MethodPut, "/me/player")
	opGetDevices         = op("get-a-users-available-devices", "Player.GetDevices", http.MethodGet, "/me/player/devices")
	opGetCurrentlyPlayed = op("get-the-users-currently-playing-track", "Player.GetCurrentlyPlaying", http.MethodGet, "/me/player/currently-playing")
	opStartPlayback      = op("start-a-users-playback", "Player.StartPlayback", http.MethodPut, "/me/player/play")
	opPausePlayback      = op("pause-a-users-playback", "Player.PausePlayback", http.MethodPut, "/me/player/pause")
	opSkipNext           = op("skip-users-playback-to-next-track", "Player.SkipToNext", http.MethodPost, "/me/player/next")
	opSkipPrevious       = op("skip-users-playback-to-previous-track", "Player.SkipToPrevious", http.MethodPost, "/me/player/previous")
	opSeek               = op("seek-to-position-in-currently-playing-track", "Player.Seek", http.MethodPut, "/me/player/seek")
	opSetRepeat          = op("set-repeat-mode-on-users-playback", "Player.SetRepeatMode", http.MethodPut, "/me/player/repeat")
	opSetVolume          = op("set-volume-for-users-playback", "Player.SetVolume", http.MethodPut, "/me/player/volume")
	opSetShuffle         = op("toggle-shuffle-for-users-playback", "Player.SetShuffle", http.MethodPut, "/me/player/shuffle")
	opRecentlyPlayed     = op("get-recently-played", "Player.GetRecentlyPlayed", http.MethodGet, "/me/player/recently-played", pageLimit(1, 50, 20))
	opGetQueue           = op("get-queue", "Player.GetQueue", http.MethodGet, "/me/player/queue")
	opAddToQueue         = op("add-to-queue", "Player.AddToQueue", http.MethodPost, "/me/player/queue")

	opGetPlaylist          = op("get-playlist", "Playlists.Get", http.MethodGet, "/playlists/{playlist_id}")
	opGetPlaylistItems     = op("get-playlists-items", "Playlists.GetItems", http.MethodGet, "/playlists/{playlist_id}/items", pageLimit(1, 50, 20), pageOffset)
	opGetMyPlaylists       = op("get-a-list-of-current-users-playlists", "Playlists.GetForCurrentUser", http.MethodGet, "/me/playlists", pageLimit(1, 50, 20), pageOffset)
	opCreatePlaylist       = op("create-playlist", "Playlists.Create", http.MethodPost, "/me/playlists")
	opChangePlaylist       = op("change-playlist-details", "Playlists.ChangeDetails", http.MethodPut, "/playlists/{playlist_id}")
	opReorderPlaylistItems = op("reorder-or-replace-playlists-items", "Playlists.ReorderOrReplaceItems", http.MethodPut, "/playlists/{playlist_id}/items", notIdempotent)
	opAddPlaylistItems     = op("add-items-to-playlist", "Playlists.AddItems", http.MethodPost, "/playlists/{playlist_id}/items")
	opRemovePlaylistItems  = op("remove-items-playlist", "Playlists.RemoveItems", http.MethodDelete, "/playlists/{playlist_id}/items", notIdempotent)
	opGetPlaylistCover     = op("get-playlist-cover", "Playlists.GetCoverImage", http.MethodGet, "/playlists/{playlist_id}/images")
	opUploadPlaylistCover  = op("upload-custom-playlist-cover", "Playlists.UploadCoverImage", http.MethodPut, "/playlists/{playlist_id}/images")

	opSearch = op("search", "Search.Search", http.MethodGet, "/search", pageLimit(1, 10, 5), extendedLimit(50), maxOffset(1000))

	opGetShow         = op("get-a-show", "Shows.Get", http.MethodGet, "/shows/{id}")
	opGetShowEpisodes = op("get-a-shows-episodes", "Shows.GetEpisodes", http.MethodGet, "/shows/{id}/episodes", pageLimit(1, 50, 20), pageOffset)
	opGetSavedShows   = op("get-users-saved-shows", "Shows.GetSaved", http.MethodGet, "/me/shows", pageLimit(1, 50, 20), pageOffset)

	opGetTrack       = op("get-track", "Tracks.Get", http.MethodGet, "/tracks/{id}")
	opGetSavedTracks = op("get-users-saved-tracks", "Tracks.GetSaved", http.MethodGet, "/me/tracks", pageLimit(1, 50, 20), pageOffset)

	opGetMe              = op("get-current-users-profile", "Users.GetCurrentProfile", http.MethodGet, "/me")
	opGetTopArtists      = op("get-users-top-artists", "Users.GetTopArtists", http.MethodGet, "/me/top/artists", pageLimit(1, 50, 20), pageOffset)
	opGetTopTracks       = op("get-users-top-tracks", "Users.GetTopTracks", http.MethodGet, "/me/top/tracks", pageLimit(1, 50, 20), pageOffset)
	opGetFollowedArtists = op("get-followed", "Users.GetFollowedArtists", http.MethodGet, "/me/following", pageLimit(1, 50, 20))
)

// escapeSegment escapes a as one path segment; "." and ".." are escaped
// too, so an id can never climb out of its route.
func escapeSegment(a string) string {
	switch a {
	case ".":
		return "%2E"
	case "..":
		return "%2E%2E"
	}
	return url.PathEscape(a)
}

// The 48 operations only Extended Quota Mode apps have (the spec marks them
// deprecated): Development Mode apps lost them in November 2024 or
// February 2026.
var (
	opGetSeveralAlbums        = op("get-multiple-albums", "Albums.GetSeveral", http.MethodGet, "/albums", extended)
	opGetNewReleases          = op("get-new-releases", "Albums.GetNewReleases", http.MethodGet, "/browse/new-releases", extended, pageLimit(1, 50, 20), pageOffset)
	opCheckSavedAlbums        = op("check-users-saved-albums", "Albums.CheckSaved", http.MethodGet, "/me/albums/contains", extended)
	opSaveAlbums              = op("save-albums-user", "Albums.Save", http.MethodPut, "/me/albums", extended)
	opRemoveAlbums            = op("remove-albums-user", "Albums.Remove", http.MethodDelete, "/me/albums", extended)
	opGetSeveralArtists       = op("get-multiple-artists", "Artists.GetSeveral", http.MethodGet, "/artists", extended)
	opGetArtistTopTracks      = op("get-an-artists-top-tracks", "Artists.GetTopTracks", http.MethodGet, "/artists/{id}/top-tracks", extended)
	opGetRelatedArtists       = op("get-an-artists-related-artists", "Artists.GetRelatedArtists", http.MethodGet, "/artists/{id}/related-artists", extended)
	opGetSeveralAudiobooks    = op("get-multiple-audiobooks", "Audiobooks.GetSeveral", http.MethodGet, "/audiobooks", extended)
	opCheckSavedAudiobooks    = op("check-users-saved-audiobooks", "Audiobooks.CheckSaved", http.MethodGet, "/me/audiobooks/contains", extended)
	opSaveAudiobooks          = op("save-audiobooks-user", "Audiobooks.Save", http.MethodPut, "/me/audiobooks", extended)
	opRemoveAudiobooks        = op("remove-audiobooks-user", "Audiobooks.Remove", http.MethodDelete, "/me/audiobooks", extended)
	opGetCategories           = op("get-categories", "Categories.List", http.MethodGet, "/browse/categories", extended, pageLimit(1, 50, 20), pageOffset)
	opGetCategory             = op("get-a-category", "Categories.Get", http.MethodGet, "/browse/categories/{category_id}", extended)
	opGetSeveralChapters      = op("get-several-chapters", "Chapters.GetSeveral", http.MethodGet, "/chapters", extended)
	opGetSeveralEpisodes      = op("get-multiple-episodes", "Episodes.GetSeveral", http.MethodGet, "/episodes", extended)
	opCheckSavedEpisodes      = op("check-users-saved-episodes", "Episodes.CheckSaved", http.MethodGet, "/me/episodes/contains", extended)
	opSaveEpisodes            = op("save-episodes-user", "Episodes.Save", http.MethodPut, "/me/episodes", extended)
	opRemoveEpisodes          = op("remove-episodes-user", "Episodes.Remove", http.MethodDelete, "/me/episodes", extended)
	opGetMarkets              = op("get-available-markets", "Markets.List", http.MethodGet, "/markets", extended)
	opGetPlaylistTracks       = op("get-playlists-tracks", "Playlists.GetTracks", http.MethodGet, "/playlists/{playlist_id}/tracks", extended, pageLimit(1, 100, 20), pageOffset)
	opAddPlaylistTracks       = op("add-tracks-to-playlist", "Playlists.AddTracks", http.MethodPost, "/playlists/{playlist_id}/tracks", extended)
	opRemovePlaylistTracks    = op("remove-tracks-playlist", "Playlists.RemoveTracks", http.MethodDelete, "/playlists/{playlist_id}/tracks", extended, notIdempotent)
	opReorderPlaylistTracks   = op("reorder-or-replace-playlists-tracks", "Playlists.ReorderOrReplaceTracks", http.MethodPut, "/playlists/{playlist_id}/tracks", extended, notIdempotent)
	opCreatePlaylistForUser   = op("create-playlist-for-user", "Playlists.CreateForUser", http.MethodPost, "/users/{user_id}/playlists", extended)
	opGetUserPlaylists        = op("get-list-users-playlists", "Playlists.GetForUser", http.MethodGet, "/users/{user_id}/playlists", extended, pageLimit(1, 50, 20), pageOffset)
	opGetFeaturedPlaylists    = op("get-featured-playlists", "Playlists.GetFeatured", http.MethodGet, "/browse/featured-playlists", extended, pageLimit(1, 50, 20), pageOffset)
	opGetCategoryPlaylists    = op("get-a-categories-playlists", "Playlists.GetForCategory", http.MethodGet, "/browse/categories/{category_id}/playlists", extended, pageLimit(1, 50, 20), pageOffset)
	opGetSeveralShows         = op("get-multiple-shows", "Shows.GetSeveral", http.MethodGet, "/shows", extended)
	opCheckSavedShows         = op("check-users-saved-shows", "Shows.CheckSaved", http.MethodGet, "/me/shows/contains", extended)
	opSaveShows               = op("save-shows-user", "Shows.Save", http.MethodPut, "/me/shows", extended)
	opRemoveShows             = op("remove-shows-user", "Shows.Remove", http.MethodDelete, "/me/shows", extended)
	opGetSeveralTracks        = op("get-several-tracks", "Tracks.GetSeveral", http.MethodGet, "/tracks", extended)
	opCheckSavedTracks        = op("check-users-saved-tracks", "Tracks.CheckSaved", http.MethodGet, "/me/tracks/contains", extended)
	opSaveTracks              = op("save-tracks-user", "Tracks.Save", http.MethodPut, "/me/tracks", extended)
	opRemoveTracks            = op("remove-tracks-user", "Tracks.Remove", http.MethodDelete, "/me/tracks", extended)
	opGetAudioFeatures        = op("get-audio-features", "Tracks.GetAudioFeatures", http.MethodGet, "/audio-features/{id}", extended)
	opGetSeveralAudioFeatures = op("get-several-audio-features", "Tracks.GetSeveralAudioFeatures", http.MethodGet, "/audio-features", extended)
	opGetAudioAnalysis        = op("get-audio-analysis", "Tracks.GetAudioAnalysis", http.MethodGet, "/audio-analysis/{id}", extended)
	opGetRecommendations      = op("get-recommendations", "Tracks.GetRecommendations", http.MethodGet, "/recommendations", extended, pageLimit(1, 100, 20))
	opGetRecommendationGenres = op("get-recommendation-genres", "Tracks.GetRecommendationGenres", http.MethodGet, "/recommendations/available-genre-seeds", extended)
	opGetUserProfile          = op("get-users-profile", "Users.GetProfile", http.MethodGet, "/users/{user_id}", extended)
	opFollowPlaylist          = op("follow-playlist", "Users.FollowPlaylist", http.MethodPut, "/playlists/{playlist_id}/followers", extended)
	opUnfollowPlaylist        = op("unfollow-playlist", "Users.UnfollowPlaylist", http.MethodDelete, "/playlists/{playlist_id}/followers", extended)
	opFollowArtistsOrUsers    = op("follow-artists-users", "Users.FollowArtistsOrUsers", http.MethodPut, "/me/following", extended)
	opUnfollowArtistsOrUsers  = op("unfollow-artists-users", "Users.UnfollowArtistsOrUsers", http.MethodDelete, "/me/following", extended)
	opCheckFollows            = op("check-current-user-follows", "Users.CheckFollowsArtistsOrUsers", http.MethodGet, "/me/following/contains", extended)
	opCheckFollowsPlaylist    = op("check-if-user-follows-playlist", "Users.CheckIfFollowsPlaylist", http.MethodGet, "/playlists/{playlist_id}/followers/contains", extended)
)
