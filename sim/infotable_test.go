package sim

import (
	"math"
	"testing"
)

// TestInfoTable: slots come and go by ID in any order, pages whose slots are all dead and
// whose IDs are all used go back to the free list, and a reused page starts zeroed.
func TestInfoTable(t *testing.T) {
	const page = 1 << infoPageBits
	var tb infoTable
	if tb.get(0) != nil || tb.get(1) != nil || tb.get(-3) != nil || tb.get(1<<30) != nil {
		t.Fatal("an empty table has a live slot")
	}
	s := tb.add(1)
	if !s.live || !math.IsInf(s.looked, -1) || s.truth != 0 || s.engaged != 0 {
		t.Fatalf("new slot %+v", *s)
	}
	s.truth, s.engaged = 7, 2
	if g := tb.get(1); g != s || g.truth != 7 {
		t.Fatal("get does not return the added slot")
	}
	// A second page, added out of order with the first page still open.
	tb.add(page + 3).truth = 9
	tb.add(2)
	tb.drop(1)
	if tb.get(1) != nil {
		t.Fatal("a dropped slot is live")
	}
	tb.drop(1) // dropping twice is harmless
	if tb.pages[0] == nil || len(tb.free) != 0 {
		t.Fatal("a page with a live slot was freed")
	}
	tb.drop(2)
	if tb.pages[0] != nil || len(tb.free) != 1 {
		t.Fatalf("a dead page whose IDs are all used was not freed: pages %v free %d", tb.pages, len(tb.free))
	}
	// The current page is not freed while IDs may still land in it.
	tb.drop(page + 3)
	if tb.pages[1] == nil {
		t.Fatal("the page of the highest ID was freed")
	}
	// The freed page is reused, zeroed, for later IDs; moving past the dead page of the
	// highest ID frees it.
	tb.add(3*page + 1)
	if tb.get(1) != nil || tb.pages[1] != nil || len(tb.free) != 1 {
		t.Fatalf("pages %v, %d free", tb.pages, len(tb.free))
	}
	for i := range tb.pages[3].slot {
		if i != 1 && tb.pages[3].slot[i] != (trackInfo{}) {
			t.Fatalf("reused page slot %d is %+v", i, tb.pages[3].slot[i])
		}
	}
	// An ID in a freed page can come back: it gets a page again.
	if tb.add(5).truth != 0 || tb.get(5) == nil {
		t.Fatal("an ID below a freed page cannot be added")
	}
	// Adding a live ID again replaces the slot without counting it twice.
	tb.add(5)
	tb.drop(5)
	if tb.pages[0] != nil {
		t.Fatal("re-adding a live ID counted it twice")
	}
}
