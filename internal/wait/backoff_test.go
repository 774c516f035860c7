package wait

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestBackoffDelayGrowsAndIsCapped(t *testing.T) {
	t.Parallel()
	b := Backoff{Initial: 100 * time.Millisecond, Max: time.Second, Factor: 2}
	want := []int64{100, 200, 400, 800, 1000, 1000} // milliseconds
	for n, w := range want {
		if got := b.Delay(n); got != time.Duration(w)*time.Millisecond {
			t.Errorf("Delay(%d) = %v, want %dms", n, got, w)
		}
	}
}

func TestBackoffJitterStaysWithinItsFraction(t *testing.T) {
	t.Parallel()
	b := Backoff{Initial: time.Second, Max: time.Second, Factor: 1, Jitter: 0.2}
	seen := map[time.Duration]bool{}
	for i := 0; i < 200; i++ {
		d := b.Delay(3)
		if d < 800*time.Millisecond || d > 1200*time.Millisecond {
			t.Fatalf("Delay = %v, outside 1s ± 20%%", d)
		}
		seen[d] = true
	}
	if len(seen) < 2 {
		t.Fatalf("jitter produced a single value %v; delays would fall into step", seen)
	}
}

func TestSleepEndsWithTheContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := Sleep(ctx, time.Hour)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Sleep error = %v, want deadline exceeded", err)
	}
	if time.Since(start) > time.Second {
		t.Fatalf("Sleep outlived its context by %v", time.Since(start))
	}
}
