package spotifytest

import "strings"

// markets is the emulator's list of Spotify markets (ISO 3166-1 alpha-2),
// in alphabetical order: what GET /v1/markets answers and what
// available_markets lists draw from.
var markets = strings.Fields(`AD AE AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT
	BW BY BZ CA CD CG CH CI CL CM CO CR CV CW CY CZ DE DJ DK DM DO DZ EC EE EG ES ET FI FJ FM FR
	GA GB GD GE GH GM GN GQ GR GT GW GY HK HN HR HT HU ID IE IL IN IQ IS IT JM JO JP KE KG KH KI
	KM KN KR KW KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG MH MK ML MN MO MR MT MU MV MW
	MX MY MZ NA NE NG NI NL NO NP NR NZ OM PA PE PG PH PK PL PR PS PT PW PY QA RO RS RW SA SB SC
	SE SG SI SK SL SM SN SR ST SV SZ TD TG TH TJ TL TN TO TR TT TV TW TZ UA UG US UY UZ VC VE VN
	VU WS XK ZA ZM ZW`)

// bookMarkets are the markets of audiobooks and chapters (Spotify sells
// them in six).
var bookMarkets = []string{"AU", "CA", "GB", "IE", "NZ", "US"}

// marketSet is a set of markets, by position in markets.
type marketSet [(len0 + 63) / 64]uint64

// len0 is an upper bound of len(markets) known at compile time.
const len0 = 192

func (m *marketSet) add(i int)      { m[i/64] |= 1 << (i % 64) }
func (m *marketSet) del(i int)      { m[i/64] &^= 1 << (i % 64) }
func (m *marketSet) has(i int) bool { return i >= 0 && m[i/64]&(1<<(i%64)) != 0 }

// marketIndex returns the position of code in markets, or -1.
func marketIndex(code string) int {
	lo, hi := 0, len(markets)
	for lo < hi {
		mid := (lo + hi) / 2
		switch {
		case markets[mid] == code:
			return mid
		case markets[mid] < code:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return -1
}

// everyMarket and bookMarketsSet are the sets of markets and of
// bookMarkets, built once.
var (
	everyMarket    = allMarkets()
	bookMarketsSet = marketSetOf(bookMarkets)
)

// allMarkets returns the set of every market.
func allMarkets() marketSet {
	var m marketSet
	for i := range markets {
		m.add(i)
	}
	return m
}

// marketsOf returns the markets of an item: every market but 0..8 drawn
// from x (so ~170 codes, as Spotify's answers carry).
func marketsOf(x uint64) marketSet {
	m := everyMarket // a copy
	for n := int(x % 9); n > 0; n-- {
		x = mix(x + uint64(n))
		m.del(int(x % uint64(len(markets))))
	}
	return m
}

// bookMarketSet returns the set of bookMarkets.
func bookMarketSet() marketSet { return bookMarketsSet }

// marketSetOf returns the set of codes (each one of markets).
func marketSetOf(codes []string) marketSet {
	var m marketSet
	for _, c := range codes {
		m.add(marketIndex(c))
	}
	return m
}

// markets writes m as a JSON array of codes.
func (w *jw) markets(m *marketSet) {
	w.arr()
	for i, code := range markets {
		if m.has(i) { // codes need no escaping
			w.sep()
			w.b = append(w.b, '"', code[0], code[1], '"')
			w.comma = true
		}
	}
	w.arrEnd()
}
