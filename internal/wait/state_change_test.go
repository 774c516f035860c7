package wait

import (
	"context"
	"errors"
	"testing"
	"time"
)

var fast = Backoff{Initial: time.Millisecond, Max: 2 * time.Millisecond, Factor: 2}

// states returns a Refresh that walks through the given states, then repeats the last.
func states(seq ...string) (func(context.Context) (int, string, error), *int) {
	calls := 0
	return func(context.Context) (int, string, error) {
		i := calls
		calls++
		if i >= len(seq) {
			i = len(seq) - 1
		}
		return i, seq[i], nil
	}, &calls
}

func TestWaitReturnsAtTheTargetState(t *testing.T) {
	t.Parallel()
	refresh, calls := states("queued", "in_progress", "completed")
	v, err := StateChange[int]{Pending: []string{"queued", "in_progress"}, Target: []string{"completed"}, Refresh: refresh, Backoff: fast}.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if v != 2 || *calls != 3 {
		t.Fatalf("value %d after %d calls, want 2 after 3", v, *calls)
	}
}

func TestWaitRejectsAnUnexpectedState(t *testing.T) {
	t.Parallel()
	refresh, _ := states("queued", "exploded")
	_, err := StateChange[int]{Pending: []string{"queued"}, Target: []string{"completed"}, Refresh: refresh, Backoff: fast}.Wait(context.Background())
	var unexpected *UnexpectedStateError
	if !errors.As(err, &unexpected) || unexpected.State != "exploded" {
		t.Fatalf("error = %v, want UnexpectedStateError for %q", err, "exploded")
	}
}

func TestWaitWithoutPendingTreatsAnyOtherStateAsPending(t *testing.T) {
	t.Parallel()
	refresh, _ := states("requested", "waiting", "completed")
	if _, err := (StateChange[int]{Target: []string{"completed"}, Refresh: refresh, Backoff: fast}).Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestWaitPassesOnRefreshErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	_, err := StateChange[int]{Target: []string{"done"}, Refresh: func(context.Context) (int, string, error) { return 0, "", boom }, Backoff: fast}.Wait(context.Background())
	if !errors.Is(err, boom) {
		t.Fatalf("error = %v, want %v", err, boom)
	}
}

func TestWaitTimesOutWithTheLastStateSeen(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	refresh, _ := states("queued")
	_, err := StateChange[int]{Target: []string{"completed"}, Refresh: refresh, Backoff: fast}.Wait(ctx)
	var timeout *TimeoutError
	if !errors.As(err, &timeout) || timeout.LastState != "queued" || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want TimeoutError after state queued", err)
	}
}
