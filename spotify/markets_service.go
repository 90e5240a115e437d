package spotify

import "context"

// MarketsService lists the markets where Spotify is available: c.Markets.
// Extended Quota Mode only: Spotify removed the route for Development Mode
// apps. (The [Market] and [Markets] types are the codes models carry.)
type MarketsService service

// MarketsOptions are the options of [MarketsService.List]. It has no
// fields yet; nil is fine.
type MarketsOptions struct{}

// List returns the ISO 3166-1 alpha-2 codes of the markets where Spotify
// is available ("CA", "BR", ...), unwrapped from the answer's "markets"
// member.
//
// Spotify API: GET /markets. No scope needed. Extended Quota Mode only.
func (s *MarketsService) List(ctx context.Context, opts *MarketsOptions) ([]string, error) {
	var codes []string
	if _, err := s.c.callWrapped(ctx, &call{op: opGetMarkets}, "markets", &codes); err != nil {
		return nil, err
	}
	return codes, nil
}
