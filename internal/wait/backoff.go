package wait

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/clock"
)

// Backoff says how long to wait before each further attempt: Initial, growing by Factor up to
// Max, each delay spread by up to ±Jitter (a fraction) so that many resources polling at once do
// not fall into step.
type Backoff struct {
	Initial time.Duration
	Max     time.Duration
	Factor  float64
	Jitter  float64
}

// DefaultBackoff suits GitHub runs, which take seconds to hours: ask often at first, then settle
// at one request every 15 seconds per resource, far inside the primary rate limit.
var DefaultBackoff = Backoff{Initial: time.Second, Max: 15 * time.Second, Factor: 1.5, Jitter: 0.2}

// Delay is the wait before attempt n (n counts from 0: the wait after the first attempt).
func (b Backoff) Delay(n int) time.Duration {
	d := float64(b.Initial)
	factor := b.Factor
	if factor < 1 {
		factor = 1
	}
	for i := 0; i < n && d < float64(b.Max); i++ {
		d *= factor
	}
	if b.Max > 0 && d > float64(b.Max) {
		d = float64(b.Max)
	}
	if b.Jitter > 0 {
		d += d * b.Jitter * (2*rand.Float64() - 1)
	}
	if d < 0 {
		d = 0
	}
	return time.Duration(d)
}

// Sleep waits for d or until ctx is done, whichever comes first, and reports ctx's error in the
// second case. It is the real clock's; code that tests run with a fake one sleeps by its
// clock.Clock instead.
func Sleep(ctx context.Context, d time.Duration) error {
	return clock.Real.Sleep(ctx, d)
}
