package spotifytest

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMarketsSortedAndBounded(t *testing.T) {
	require.True(t, slices.IsSorted(markets), "marketIndex searches markets by bisection")
	require.LessOrEqual(t, len(markets), len0, "marketSet has room for len0 markets")
	for i, code := range markets {
		require.Len(t, code, 2, "the JSON writer copies two bytes")
		require.Equal(t, i, marketIndex(code), code)
		if i > 0 {
			require.NotEqual(t, markets[i-1], code, "duplicate market")
		}
	}
	assert.Equal(t, -1, marketIndex("XX"))
}

func TestMarketSetsAreNotShared(t *testing.T) {
	for x := range uint64(50) {
		m := marketsOf(x)
		m.del(0)
	}
	all := allMarkets()
	assert.Equal(t, all, everyMarket, "marketsOf changed the shared set")
	b := bookMarketSet()
	b.del(marketIndex("US"))
	b = bookMarketSet()
	assert.True(t, b.has(marketIndex("US")), "bookMarketSet returned the shared set")
	n := 0
	for i := range markets {
		if b.has(i) {
			n++
		}
	}
	assert.Equal(t, len(bookMarkets), n)
}
