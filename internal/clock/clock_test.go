package clock

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestRealSleepEndsWithTheContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := Real.Sleep(ctx, time.Hour); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Sleep error = %v, want deadline exceeded", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("Sleep outlived its context by %v", took)
	}
}

func TestRealSleepWaits(t *testing.T) {
	t.Parallel()
	start := time.Now()
	if err := Real.Sleep(context.Background(), 5*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < 5*time.Millisecond {
		t.Fatalf("slept %v, want at least 5ms", took)
	}
}

func TestFakeSleepMovesTheClockAtOnceAndIsRecorded(t *testing.T) {
	t.Parallel()
	f := NewFake()
	before := f.Now()
	start := time.Now()
	if err := f.Sleep(context.Background(), time.Hour); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("a fake sleep took %v of real time", took)
	}
	if got := f.Now().Sub(before); got < time.Hour || got > time.Hour+time.Second {
		t.Fatalf("the clock moved %v; want an hour", got)
	}
	if s := f.Sleeps(); len(s) != 1 || s[0] != time.Hour || f.Longest() != time.Hour {
		t.Fatalf("recorded %v (longest %v); want one sleep of an hour", s, f.Longest())
	}
	_ = f.Sleep(context.Background(), 0)
	if len(f.Sleeps()) != 1 {
		t.Fatal("a sleep of zero was recorded")
	}
}

// Many requests waiting for the same rate limit to lift wake together: their sleeps must not
// add up to a clock far past the reset.
func TestFakeSleepsUntilOneTimeDoNotAddUp(t *testing.T) {
	t.Parallel()
	f := NewFake()
	reset := f.Now().Add(time.Minute)
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = f.SleepUntil(context.Background(), reset)
		}()
	}
	wg.Wait()
	if moved := f.Moved(); moved < time.Minute-time.Second || moved > time.Minute {
		t.Fatalf("20 sleeps until a minute from now moved the clock %v; want a minute", moved)
	}
	if n := len(f.Sleeps()); n < 1 {
		t.Fatal("no sleep recorded")
	}
	if err := f.SleepUntil(context.Background(), reset.Add(-time.Second)); err != nil || len(f.Sleeps()) > 20 {
		t.Fatalf("a sleep until the past: %v, %d recorded", err, len(f.Sleeps()))
	}
}

func TestFakeSleepPastTheDeadlineStopsThere(t *testing.T) {
	t.Parallel()
	f := NewFake()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	deadline, _ := ctx.Deadline()
	if err := f.Sleep(ctx, time.Hour); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Sleep error = %v, want deadline exceeded", err)
	}
	if now := f.Now(); now.Before(deadline) || now.After(deadline.Add(time.Second)) {
		t.Fatalf("the clock reads %v; want the deadline %v", now, deadline)
	}
	cancelled, stop := context.WithCancel(context.Background())
	stop()
	if err := f.Sleep(cancelled, time.Second); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep under a cancelled context = %v", err)
	}
}

func TestFakeAdvanceMovesTheClock(t *testing.T) {
	t.Parallel()
	f := NewFake()
	f.Advance(3 * time.Hour)
	if d := time.Until(f.Now()); d < 3*time.Hour-time.Second {
		t.Fatalf("the clock is %v ahead; want 3h", d)
	}
	if len(f.Sleeps()) != 0 {
		t.Fatal("Advance was recorded as a sleep")
	}
}

func TestOrIsRealForNil(t *testing.T) {
	t.Parallel()
	if Or(nil) != Real {
		t.Fatal("Or(nil) is not the real clock")
	}
	f := NewFake()
	if Or(f) != f {
		t.Fatal("Or(f) is not f")
	}
}
