package emulator

import (
	"testing"
	"time"
)

func TestAdvanceMovesTheClockForward(t *testing.T) {
	t.Parallel()
	e := New(Config{})
	before := e.now()
	e.Advance(time.Hour)
	e.Advance(time.Hour)
	if got := e.now().Sub(before); got < 2*time.Hour || got > 2*time.Hour+time.Minute {
		t.Fatalf("after advancing twice by an hour the clock moved %v", got)
	}
}
