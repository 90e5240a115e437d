package spotify

import (
	"net/http"
	"net/url"
	"strings"
)

// operation is one Web API operation of the OpenAPI file: what the service
// methods send, what the retry stage may replay (idempotent), what names the
// spans (path), and which app modes have it.
type operation struct {
	// id is the spec's operationId.
	id string
	// method and path are the HTTP method and the spec's path template.
	method string
	path   string
	// idempotent: replaying after a 5xx or a broken connection cannot apply
	// the operation twice. An append or a reorder of a playlist is not.
	idempotent bool
	// extended: only Extended Quota Mode apps have it (the spec marks it
	// deprecated); Development Mode apps get 403.
	extended bool
	// maxOffset, when positive, is the largest offset the endpoint accepts
	// (search: 1,000); paging stops there.
	maxOffset int
	// segs is path split at "/", for matching requests built by hand
	// (route_match.go).
	segs []string
}

// registry lists every operation the SDK knows, in declaration order.
var registry []*operation

// op declares an operation. GET, PUT and DELETE are idempotent unless
// notIdempotent is given.
func op(id, method, path string, flags ...opFlag) *operation {
	o := &operation{id: id, method: method, path: path, segs: strings.Split(strings.Trim(path, "/"), "/")}
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

func maxOffset(n int) opFlag { return func(o *operation) { o.maxOffset = n } }

// expand fills the path template with args, in order, each escaped as one
// path segment.
func (o *operation) expand(args ...string) string {
	if len(args) == 0 {
		return o.path
	}
	var b strings.Builder
	rest := o.path
	for _, a := range args {
		i := strings.IndexByte(rest, '{')
		j := strings.IndexByte(rest, '}')
		if i < 0 || j < i {
			break
		}
		b.WriteString(rest[:i])
		b.WriteString(escapeSegment(a))
		rest = rest[j+1:]
	}
	b.WriteString(rest)
	return b.String()
}

// The 49 operations of Development Mode apps (the Python SDK's methods).
var (
	opGetAlbum         = op("get-an-album", http.MethodGet, "/albums/{id}")
	opGetAlbumTracks   = op("get-an-albums-tracks", http.MethodGet, "/albums/{id}/tracks")
	opGetSavedAlbums   = op("get-users-saved-albums", http.MethodGet, "/me/albums")
	opGetArtist        = op("get-an-artist", http.MethodGet, "/artists/{id}")
	opGetArtistAlbums  = op("get-an-artists-albums", http.MethodGet, "/artists/{id}/albums")
	opGetAudiobook     = op("get-an-audiobook", http.MethodGet, "/audiobooks/{id}")
	opGetAudiobookChap = op("get-audiobook-chapters", http.MethodGet, "/audiobooks/{id}/chapters")
	opGetSavedAudiobks = op("get-users-saved-audiobooks", http.MethodGet, "/me/audiobooks")
	opGetChapter       = op("get-a-chapter", http.MethodGet, "/chapters/{id}")
	opGetEpisode       = op("get-an-episode", http.MethodGet, "/episodes/{id}")
	opGetSavedEpisodes = op("get-users-saved-episodes", http.MethodGet, "/me/episodes")

	opSaveLibrary     = op("save-library-items", http.MethodPut, "/me/library")
	opRemoveLibrary   = op("remove-library-items", http.MethodDelete, "/me/library")
	opLibraryContains = op("check-library-contains", http.MethodGet, "/me/library/contains")

	opGetPlaybackState   = op("get-information-about-the-users-current-playback", http.MethodGet, "/me/player")
	opTransferPlayback   = op("transfer-a-users-playback", http.MethodPut, "/me/player")
	opGetDevices         = op("get-a-users-available-devices", http.MethodGet, "/me/player/devices")
	opGetCurrentlyPlayed = op("get-the-users-currently-playing-track", http.MethodGet, "/me/player/currently-playing")
	opStartPlayback      = op("start-a-users-playback", http.MethodPut, "/me/player/play")
	opPausePlayback      = op("pause-a-users-playback", http.MethodPut, "/me/player/pause")
	opSkipNext           = op("skip-users-playback-to-next-track", http.MethodPost, "/me/player/next")
	opSkipPrevious       = op("skip-users-playback-to-previous-track", http.MethodPost, "/me/player/previous")
	opSeek               = op("seek-to-position-in-currently-playing-track", http.MethodPut, "/me/player/seek")
	opSetRepeat          = op("set-repeat-mode-on-users-playback", http.MethodPut, "/me/player/repeat")
	opSetVolume          = op("set-volume-for-users-playback", http.MethodPut, "/me/player/volume")
	opSetShuffle         = op("toggle-shuffle-for-users-playback", http.MethodPut, "/me/player/shuffle")
	opRecentlyPlayed     = op("get-recently-played", http.MethodGet, "/me/player/recently-played")
	opGetQueue           = op("get-queue", http.MethodGet, "/me/player/queue")
	opAddToQueue         = op("add-to-queue", http.MethodPost, "/me/player/queue")

	opGetPlaylist          = op("get-playlist", http.MethodGet, "/playlists/{playlist_id}")
	opGetPlaylistItems     = op("get-playlists-items", http.MethodGet, "/playlists/{playlist_id}/items")
	opGetMyPlaylists       = op("get-a-list-of-current-users-playlists", http.MethodGet, "/me/playlists")
	opCreatePlaylist       = op("create-playlist", http.MethodPost, "/me/playlists")
	opChangePlaylist       = op("change-playlist-details", http.MethodPut, "/playlists/{playlist_id}")
	opReorderPlaylistItems = op("reorder-or-replace-playlists-items", http.MethodPut, "/playlists/{playlist_id}/items", notIdempotent)
	opAddPlaylistItems     = op("add-items-to-playlist", http.MethodPost, "/playlists/{playlist_id}/items")
	opRemovePlaylistItems  = op("remove-items-playlist", http.MethodDelete, "/playlists/{playlist_id}/items", notIdempotent)
	opGetPlaylistCover     = op("get-playlist-cover", http.MethodGet, "/playlists/{playlist_id}/images")
	opUploadPlaylistCover  = op("upload-custom-playlist-cover", http.MethodPut, "/playlists/{playlist_id}/images")

	opSearch = op("search", http.MethodGet, "/search", maxOffset(1000))

	opGetShow         = op("get-a-show", http.MethodGet, "/shows/{id}")
	opGetShowEpisodes = op("get-a-shows-episodes", http.MethodGet, "/shows/{id}/episodes")
	opGetSavedShows   = op("get-users-saved-shows", http.MethodGet, "/me/shows")

	opGetTrack       = op("get-track", http.MethodGet, "/tracks/{id}")
	opGetSavedTracks = op("get-users-saved-tracks", http.MethodGet, "/me/tracks")

	opGetMe              = op("get-current-users-profile", http.MethodGet, "/me")
	opGetTopArtists      = op("get-users-top-artists", http.MethodGet, "/me/top/artists")
	opGetTopTracks       = op("get-users-top-tracks", http.MethodGet, "/me/top/tracks")
	opGetFollowedArtists = op("get-followed", http.MethodGet, "/me/following")
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
	opGetSeveralAlbums        = op("get-multiple-albums", http.MethodGet, "/albums", extended)
	opGetNewReleases          = op("get-new-releases", http.MethodGet, "/browse/new-releases", extended)
	opCheckSavedAlbums        = op("check-users-saved-albums", http.MethodGet, "/me/albums/contains", extended)
	opSaveAlbums              = op("save-albums-user", http.MethodPut, "/me/albums", extended)
	opRemoveAlbums            = op("remove-albums-user", http.MethodDelete, "/me/albums", extended)
	opGetSeveralArtists       = op("get-multiple-artists", http.MethodGet, "/artists", extended)
	opGetArtistTopTracks      = op("get-an-artists-top-tracks", http.MethodGet, "/artists/{id}/top-tracks", extended)
	opGetRelatedArtists       = op("get-an-artists-related-artists", http.MethodGet, "/artists/{id}/related-artists", extended)
	opGetSeveralAudiobooks    = op("get-multiple-audiobooks", http.MethodGet, "/audiobooks", extended)
	opCheckSavedAudiobooks    = op("check-users-saved-audiobooks", http.MethodGet, "/me/audiobooks/contains", extended)
	opSaveAudiobooks          = op("save-audiobooks-user", http.MethodPut, "/me/audiobooks", extended)
	opRemoveAudiobooks        = op("remove-audiobooks-user", http.MethodDelete, "/me/audiobooks", extended)
	opGetCategories           = op("get-categories", http.MethodGet, "/browse/categories", extended)
	opGetCategory             = op("get-a-category", http.MethodGet, "/browse/categories/{category_id}", extended)
	opGetSeveralChapters      = op("get-several-chapters", http.MethodGet, "/chapters", extended)
	opGetSeveralEpisodes      = op("get-multiple-episodes", http.MethodGet, "/episodes", extended)
	opCheckSavedEpisodes      = op("check-users-saved-episodes", http.MethodGet, "/me/episodes/contains", extended)
	opSaveEpisodes            = op("save-episodes-user", http.MethodPut, "/me/episodes", extended)
	opRemoveEpisodes          = op("remove-episodes-user", http.MethodDelete, "/me/episodes", extended)
	opGetMarkets              = op("get-available-markets", http.MethodGet, "/markets", extended)
	opGetPlaylistTracks       = op("get-playlists-tracks", http.MethodGet, "/playlists/{playlist_id}/tracks", extended)
	opAddPlaylistTracks       = op("add-tracks-to-playlist", http.MethodPost, "/playlists/{playlist_id}/tracks", extended)
	opRemovePlaylistTracks    = op("remove-tracks-playlist", http.MethodDelete, "/playlists/{playlist_id}/tracks", extended, notIdempotent)
	opReorderPlaylistTracks   = op("reorder-or-replace-playlists-tracks", http.MethodPut, "/playlists/{playlist_id}/tracks", extended, notIdempotent)
	opCreatePlaylistForUser   = op("create-playlist-for-user", http.MethodPost, "/users/{user_id}/playlists", extended)
	opGetUserPlaylists        = op("get-list-users-playlists", http.MethodGet, "/users/{user_id}/playlists", extended)
	opGetFeaturedPlaylists    = op("get-featured-playlists", http.MethodGet, "/browse/featured-playlists", extended)
	opGetCategoryPlaylists    = op("get-a-categories-playlists", http.MethodGet, "/browse/categories/{category_id}/playlists", extended)
	opGetSeveralShows         = op("get-multiple-shows", http.MethodGet, "/shows", extended)
	opCheckSavedShows         = op("check-users-saved-shows", http.MethodGet, "/me/shows/contains", extended)
	opSaveShows               = op("save-shows-user", http.MethodPut, "/me/shows", extended)
	opRemoveShows             = op("remove-shows-user", http.MethodDelete, "/me/shows", extended)
	opGetSeveralTracks        = op("get-several-tracks", http.MethodGet, "/tracks", extended)
	opCheckSavedTracks        = op("check-users-saved-tracks", http.MethodGet, "/me/tracks/contains", extended)
	opSaveTracks              = op("save-tracks-user", http.MethodPut, "/me/tracks", extended)
	opRemoveTracks            = op("remove-tracks-user", http.MethodDelete, "/me/tracks", extended)
	opGetAudioFeatures        = op("get-audio-features", http.MethodGet, "/audio-features/{id}", extended)
	opGetSeveralAudioFeatures = op("get-several-audio-features", http.MethodGet, "/audio-features", extended)
	opGetAudioAnalysis        = op("get-audio-analysis", http.MethodGet, "/audio-analysis/{id}", extended)
	opGetRecommendations      = op("get-recommendations", http.MethodGet, "/recommendations", extended)
	opGetRecommendationGenres = op("get-recommendation-genres", http.MethodGet, "/recommendations/available-genre-seeds", extended)
	opGetUserProfile          = op("get-users-profile", http.MethodGet, "/users/{user_id}", extended)
	opFollowPlaylist          = op("follow-playlist", http.MethodPut, "/playlists/{playlist_id}/followers", extended)
	opUnfollowPlaylist        = op("unfollow-playlist", http.MethodDelete, "/playlists/{playlist_id}/followers", extended)
	opFollowArtistsOrUsers    = op("follow-artists-users", http.MethodPut, "/me/following", extended)
	opUnfollowArtistsOrUsers  = op("unfollow-artists-users", http.MethodDelete, "/me/following", extended)
	opCheckFollows            = op("check-current-user-follows", http.MethodGet, "/me/following/contains", extended)
	opCheckFollowsPlaylist    = op("check-if-user-follows-playlist", http.MethodGet, "/playlists/{playlist_id}/followers/contains", extended)
)
