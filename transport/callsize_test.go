package transport

import (
	"testing"
	"unsafe"
)

// TestStartedCallFitsItsSizeClass: StartCall's one allocation, the record
// and its context, stays within 256 bytes (the 288-byte size class before
// overrides became a pointer), so that it costs no more to allocate and
// scan. A field added to Call that breaks this should pay for itself.
func TestStartedCallFitsItsSizeClass(t *testing.T) {
	if got := unsafe.Sizeof(startedCall{}); got > 256 {
		t.Errorf("startedCall is %d bytes, over 256", got)
	}
}
