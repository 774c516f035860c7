package clock

import (
	"context"
	"time"
)

// Clock is what code that waits on GitHub's say-so reads and sleeps by.
type Clock interface {
	// Now is the current time.
	Now() time.Time
	// Sleep waits d, or until ctx is done, whichever comes first, and reports ctx's error in
	// the second case.
	Sleep(ctx context.Context, d time.Duration) error
	// SleepUntil is Sleep until t: what a wait for a time GitHub named (a rate limit's reset)
	// or the client booked (a paced write's turn) asks for.
	SleepUntil(ctx context.Context, t time.Time) error
	// AfterFunc calls f in its own goroutine once d has passed, unless the timer is stopped
	// first: what times a try's silence (transport's attempt timeout).
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is AfterFunc's timer; *time.Timer is one.
type Timer interface {
	// Reset makes the timer fire d from now, and reports whether it had still been waiting.
	Reset(d time.Duration) bool
	// Stop keeps the timer from firing, and reports whether it had still been waiting.
	Stop() bool
}

// Real is the wall clock and real timers.
var Real Clock = realClock{}

// Or is c, or Real when c is nil, so that a zero-valued setting means real time.
func Or(c Clock) Clock {
	if c == nil {
		return Real
	}
	return c
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

func (c realClock) SleepUntil(ctx context.Context, t time.Time) error {
	return c.Sleep(ctx, time.Until(t))
}

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
