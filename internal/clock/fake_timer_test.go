package clock

import (
	"context"
	"testing"
	"time"
)

// fired reports whether ch got a value within a moment: Advance calls a due timer's function
// before it returns, but a real timer's, or a fake one reset to zero, runs in a goroutine of
// its own.
func fired(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	case <-time.After(time.Second):
		return false
	}
}

// notFired reports whether ch stayed empty: checked after the goroutine a firing would have
// started has had its chance.
func notFired(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return false
	case <-time.After(20 * time.Millisecond):
		return true
	}
}

func signal() (chan struct{}, func()) {
	ch := make(chan struct{}, 4)
	return ch, func() { ch <- struct{}{} }
}

func TestFakeTimerFiresOnlyOnceAdvancedPastItsTime(t *testing.T) {
	t.Parallel()
	f := NewFake()
	ch, fn := signal()
	f.AfterFunc(time.Minute, fn)
	f.Advance(59 * time.Second)
	if !notFired(ch) {
		t.Fatal("the timer fired 59s into a minute")
	}
	f.Advance(time.Second)
	if !fired(ch) {
		t.Fatal("the timer did not fire once the clock had moved a minute")
	}
	f.Advance(time.Hour)
	if !notFired(ch) {
		t.Fatal("the timer fired twice")
	}
}

// A sleep moves the clock for the goroutine that sleeps; a try in flight beside it must not be
// cut by it, nor by the wall clock's milliseconds.
func TestFakeTimerIgnoresSleepsAndTheWallClock(t *testing.T) {
	t.Parallel()
	f := NewFake()
	ch, fn := signal()
	f.AfterFunc(time.Millisecond, fn)
	if err := f.Sleep(context.Background(), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := f.SleepUntil(context.Background(), f.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if !notFired(ch) {
		t.Fatal("a sleep, or the wall clock, fired the timer")
	}
	f.Advance(time.Millisecond)
	if !fired(ch) {
		t.Fatal("the timer did not fire on Advance after the sleeps")
	}
}

func TestFakeTimerResetStartsItsTimeAgain(t *testing.T) {
	t.Parallel()
	f := NewFake()
	ch, fn := signal()
	timer := f.AfterFunc(time.Minute, fn)
	f.Advance(40 * time.Second)
	if !timer.Reset(time.Minute) {
		t.Fatal("Reset of a waiting timer reported it was not waiting")
	}
	f.Advance(40 * time.Second)
	if !notFired(ch) {
		t.Fatal("the timer fired 80s after it started, 40s after its reset to a minute")
	}
	f.Advance(20 * time.Second)
	if !fired(ch) {
		t.Fatal("the timer did not fire a minute after its reset")
	}
	if timer.Reset(time.Second) {
		t.Fatal("Reset of a fired timer reported it was waiting")
	}
	f.Advance(time.Second)
	if !fired(ch) {
		t.Fatal("a fired timer that was reset did not fire again")
	}
}

func TestFakeTimerStopKeepsItFromFiring(t *testing.T) {
	t.Parallel()
	f := NewFake()
	ch, fn := signal()
	timer := f.AfterFunc(time.Minute, fn)
	if !timer.Stop() {
		t.Fatal("Stop of a waiting timer reported it was not waiting")
	}
	if timer.Stop() {
		t.Fatal("a second Stop reported the timer was waiting")
	}
	f.Advance(time.Hour)
	if !notFired(ch) {
		t.Fatal("a stopped timer fired")
	}
}

// A timer's function may read the clock and stop timers: Advance calls it outside its lock.
func TestFakeTimerFunctionMayUseTheClock(t *testing.T) {
	t.Parallel()
	f := NewFake()
	ch, fn := signal()
	other := f.AfterFunc(time.Hour, fn)
	f.AfterFunc(time.Second, func() {
		_ = f.Now()
		other.Stop()
		fn()
	})
	f.Advance(time.Second)
	if !fired(ch) {
		t.Fatal("the timer that uses the clock did not fire")
	}
	f.Advance(time.Hour)
	if !notFired(ch) {
		t.Fatal("the timer stopped from another's function fired")
	}
}

func TestRealAfterFuncFires(t *testing.T) {
	t.Parallel()
	ch, fn := signal()
	Real.AfterFunc(time.Millisecond, fn)
	if !fired(ch) {
		t.Fatal("a real timer of 1ms did not fire within a second")
	}
	stopped, fn2 := signal()
	if !Real.AfterFunc(time.Hour, fn2).Stop() || !notFired(stopped) {
		t.Fatal("a real timer of an hour did not stop")
	}
}
