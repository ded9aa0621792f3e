package api

import (
	"net/url"
	"slices"
	"testing"
)

// TestPageByKeyWalksEveryItemOnce: following next from the first page
// sends every item once, in key order, even when an item is added before
// the cursor and another removed after it between two pages.
func TestPageByKeyWalksEveryItemOnce(t *testing.T) {
	items := []int64{9, 3, 7, 1, 5, 11, 13}
	key := func(v int64) string { return idKey(v) }
	k, err := keysetFrom(url.Values{"limit": {"3"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for range 10 {
		page, next := pageByKey(items, key, k)
		got = append(got, page...)
		if next == "" {
			break
		}
		if len(got) == 3 { // between pages: 2 is added before the cursor, 11 removed after it
			items = append(slices.DeleteFunc(items, func(v int64) bool { return v == 11 }), 2)
		}
		if k, err = keysetFrom(url.Values{"limit": {"3"}, "after": {next}}); err != nil {
			t.Fatal(err)
		}
	}
	if want := []int64{1, 3, 5, 7, 9, 13}; !slices.Equal(got, want) {
		t.Fatalf("walked %v, want %v", got, want)
	}
	for _, bad := range []url.Values{{"limit": {"0"}}, {"limit": {"1001"}}, {"after": {"%%%"}}} {
		if _, err := keysetFrom(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
