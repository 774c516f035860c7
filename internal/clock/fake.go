package clock

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Fake is a clock for tests. It reads the wall clock plus how far it has been moved on, so that
// what takes real time (an emulated run of a few milliseconds, a real timer) still passes; Sleep
// returns at once, moving the clock on to when the sleep would have ended, and records the wait.
// Give the same Fake to the client and to the emulator (emulator.Config.Clock), so that a rate
// limit's reset, a token's expiry and a run's end come as the client waits for them.
//
// A Sleep starts when it is called, so sleeps in goroutines that run side by side follow one
// another in the clock's time, which then runs ahead of what real sleeps would take; SleepUntil
// names its end, so requests that all wait for one rate limit's reset move the clock to the
// reset once, not once each. A sleep that would end past its context's deadline
// moves the clock to the deadline and reports context.DeadlineExceeded, as a real one would
// then, so an operation's timeout passes in the clock's time, not the wall clock's.
//
// AfterFunc's timers count only Advance, neither the wall clock nor sleeps: a sleep moves the
// clock for the goroutine that sleeps, while a request in flight beside it took real
// milliseconds, and a retry's sleep past a try's timeout must not cut a try that was answered.
// So a test makes a server silent for a try's timeout by advancing the clock while the try
// waits, and nothing else ever fires a timer.
type Fake struct {
	mu       sync.Mutex
	offset   time.Duration
	sleeps   []time.Duration
	advanced time.Duration // the sum of Advance's moves, which timers count
	timers   map[*fakeTimer]struct{}
}

// NewFake returns a Fake that reads the wall clock until it is moved.
func NewFake() *Fake { return &Fake{} }

// Now is the wall clock plus every move so far.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return time.Now().Add(f.offset)
}

// Sleep records d and moves the clock on to its end, at once.
func (f *Fake) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	wall := time.Now()
	return f.sleepTo(ctx, wall, wall.Add(f.offset+d), d)
}

// SleepUntil records the wait until t, if t is ahead of the clock, and moves the clock to t,
// at once.
func (f *Fake) SleepUntil(ctx context.Context, t time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	wall := time.Now()
	d := t.Sub(wall.Add(f.offset))
	if d <= 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return f.sleepTo(ctx, wall, t, d)
}

// sleepTo records a sleep of d and moves the clock to wake, or to ctx's deadline before it.
func (f *Fake) sleepTo(ctx context.Context, wall, wake time.Time, d time.Duration) error {
	f.sleeps = append(f.sleeps, d)
	if deadline, ok := ctx.Deadline(); ok && wake.After(deadline) {
		f.moveTo(wall, deadline)
		return context.DeadlineExceeded
	}
	f.moveTo(wall, wake)
	return nil
}

// moveTo makes Now at least t, the wall clock reading wall.
func (f *Fake) moveTo(wall, t time.Time) {
	if d := t.Sub(wall); d > f.offset {
		f.offset = d
	}
}

// Advance moves the clock on by d, as time passing outside any sleep (a run GitHub takes an
// hour over).
//
// Timers whose time has come fire before Advance returns (outside its lock, so that they may
// use the clock), where time.AfterFunc's would run in a goroutine of their own: a test that
// advances past a try's timeout knows that the try has been cut when it goes on.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	f.offset += d
	f.advanced += d
	var due []*fakeTimer
	for t := range f.timers {
		if t.at <= f.advanced {
			delete(f.timers, t)
			due = append(due, t)
		}
	}
	f.mu.Unlock()
	for _, t := range due {
		t.f()
	}
}

// AfterFunc is a timer that fires once Advance has moved the clock d past now; one of zero or
// less fires at once, in a goroutine of its own as time.AfterFunc's does.
func (f *Fake) AfterFunc(d time.Duration, fn func()) Timer {
	t := &fakeTimer{clock: f, f: fn}
	t.Reset(d)
	return t
}

// fakeTimer is Fake.AfterFunc's timer: it fires when the clock's advanced reaches at.
type fakeTimer struct {
	clock *Fake
	f     func()
	at    time.Duration
}

func (t *fakeTimer) Reset(d time.Duration) bool {
	f := t.clock
	f.mu.Lock()
	defer f.mu.Unlock()
	_, waiting := f.timers[t]
	if d <= 0 {
		delete(f.timers, t)
		go t.f()
		return waiting
	}
	if f.timers == nil {
		f.timers = map[*fakeTimer]struct{}{}
	}
	t.at = f.advanced + d
	f.timers[t] = struct{}{}
	return waiting
}

func (t *fakeTimer) Stop() bool {
	f := t.clock
	f.mu.Lock()
	defer f.mu.Unlock()
	_, waiting := f.timers[t]
	delete(f.timers, t)
	return waiting
}

// Sleeps are the waits asked of Sleep so far, in the order asked; waits of zero or less are
// not sleeps and are not recorded.
func (f *Fake) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.sleeps)
}

// Longest is the longest wait asked of Sleep so far; 0 when none.
func (f *Fake) Longest() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	var longest time.Duration
	for _, d := range f.sleeps {
		longest = max(longest, d)
	}
	return longest
}

// Moved is how far the clock has been moved on from the wall clock, by sleeps and advances.
func (f *Fake) Moved() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.offset
}
