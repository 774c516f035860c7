package transport

import (
	"context"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/clock"
)

// Writes are paced by x/time/rate at the client's clock: one write a write_delay, no burst, a
// turn kept by a write whose context ended before it, and the first write after a quiet spell
// sent at once.
func TestWritesStartAWriteDelayApartAtTheClientsClock(t *testing.T) {
	t.Parallel()
	const delay = time.Second
	clk := clock.NewFake()
	l := NewLimiter(0, delay, 0)
	ctx := context.Background()
	for range 3 {
		if err := l.paceWrite(ctx, clk); err != nil {
			t.Fatal(err)
		}
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	if err := l.paceWrite(gone, clk); err == nil {
		t.Fatal("a write whose context had ended was not refused")
	}
	if err := l.paceWrite(ctx, clk); err != nil {
		t.Fatal(err)
	}
	// The 2nd and 3rd writes wait a delay each; the 5th two, the 4th's turn being kept.
	sleeps := clk.Sleeps()
	want := []time.Duration{delay, delay, 2 * delay}
	if len(sleeps) != len(want) {
		t.Fatalf("sleeps %v, want about %v", sleeps, want)
	}
	for i, d := range sleeps {
		// The fake clock reads the wall clock too: the few microseconds between calls are
		// waited less.
		if d > want[i] || d < want[i]-100*time.Millisecond {
			t.Errorf("sleep %d = %v, want about %v", i, d, want[i])
		}
	}
	clk.Advance(10 * delay)
	if err := l.paceWrite(ctx, clk); err != nil {
		t.Fatal(err)
	}
	if n := len(clk.Sleeps()); n != len(want) {
		t.Errorf("the first write after a quiet spell waited %v", clk.Sleeps()[n-1])
	}
	if NewLimiter(0, 0, 0).paceWrite(ctx, clk) != nil || len(clk.Sleeps()) != len(want) {
		t.Error("a write_delay of 0 paced a write")
	}
}
