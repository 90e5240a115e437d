package spotify

import (
	"net/url"
	"strings"

	"github.com/spotifysdk/spotify-go/transport"
)

// Requests built by hand (NewRequest, Do) name their operation like the
// service methods' do: the registry's template that their path matches
// becomes the request's route (spans, metrics, errors) and decides whether
// the retry stage may replay it.

// operationFor returns the registry operation of method and u, a URL under
// base, or nil when none matches. Of several templates that match
// ("/browse/categories/{id}" and a literal sibling), the one with more
// literal segments wins.
func operationFor(method string, base, u *url.URL) *operation {
	segs := strings.Split(strings.Trim(belowBase(base, u), "/"), "/")
	var best *operation
	bestLits := -1
	for _, o := range registry {
		if !strings.EqualFold(o.method, method) {
			continue
		}
		if lits, ok := templateMatch(o.segs, segs); ok && lits > bestLits {
			best, bestLits = o, lits
		}
	}
	return best
}

// templateMatch reports whether segs fit the split path template parts
// ("albums", "{id}", "tracks"): literal segments equal, parameters
// non-empty; and how many literal segments it has.
func templateMatch(parts, segs []string) (lits int, ok bool) {
	if len(parts) != len(segs) {
		return 0, false
	}
	for i, p := range parts {
		if strings.HasPrefix(p, "{") {
			if segs[i] == "" {
				return 0, false
			}
			continue
		}
		if p != segs[i] {
			return 0, false
		}
		lits++
	}
	return lits, true
}

// handRoute returns the route and replay rule of a request built by hand:
// its registry operation's, or none and the method's rule.
func handRoute(method string, base, u *url.URL) (string, bool) {
	if o := operationFor(method, base, u); o != nil {
		return o.path, o.idempotent
	}
	return "", transport.IdempotentMethod(method)
}
