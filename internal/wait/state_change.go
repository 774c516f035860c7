package wait

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/codescanning/terraform-provider-codescanning/internal/clock"
)

// StateChange waits for something to reach one of the Target states, asking Refresh for the
// current state and sleeping by Backoff in between. A state in neither Pending nor Target is an
// error, so a new state GitHub invents is reported rather than waited on forever; an empty Pending
// accepts any non-target state as pending.
type StateChange[T any] struct {
	Pending []string
	Target  []string
	Refresh func(ctx context.Context) (T, string, error)
	Backoff Backoff
	// Clock is what the poll sleeps by; the real clock when nil.
	Clock clock.Clock
}

// UnexpectedStateError reports a state that is neither pending nor a target.
type UnexpectedStateError struct {
	State string
	Want  []string
}

func (e *UnexpectedStateError) Error() string {
	return fmt.Sprintf("unexpected state %q, wanted one of %q", e.State, e.Want)
}

// TimeoutError reports that ctx ended before a target state was seen; LastState is the last state
// Refresh returned.
type TimeoutError struct {
	LastState string
	Err       error
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("gave up waiting (last state %q): %v", e.LastState, e.Err)
}

func (e *TimeoutError) Unwrap() error { return e.Err }

// Wait polls until a target state, an error from Refresh, an unexpected state, or ctx's end.
// It returns the last value Refresh gave in every case, so callers can report what they saw.
func (c StateChange[T]) Wait(ctx context.Context) (T, error) {
	var last T
	lastState := ""
	clk := clock.Or(c.Clock)
	for attempt := 0; ; attempt++ {
		v, state, err := c.Refresh(ctx)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
				return last, &TimeoutError{LastState: lastState, Err: ctxErr}
			}
			return v, err
		}
		last, lastState = v, state
		if slices.Contains(c.Target, state) {
			return v, nil
		}
		if len(c.Pending) > 0 && !slices.Contains(c.Pending, state) {
			return v, &UnexpectedStateError{State: state, Want: append(slices.Clone(c.Pending), c.Target...)}
		}
		if err := clk.Sleep(ctx, c.Backoff.Delay(attempt)); err != nil {
			return last, &TimeoutError{LastState: lastState, Err: err}
		}
	}
}
