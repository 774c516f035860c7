package transport

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/codescanning/terraform-provider-codescanning/internal/clock"
)

// Limiter is what every request of one client shares: a cap on requests in flight, the pace of
// writes, and the pauses GitHub's rate limits impose. GitHub's guidance for integrators is to
// avoid concurrent bursts, to leave a second between mutating requests, and, once a rate limit
// is hit, to send nothing more until it lifts; a per-request retry alone would let the other
// requests of a run that changes hundreds keep hitting the same limit.
type Limiter struct {
	slots  chan struct{} // nil: no cap
	writes *rate.Limiter // nil: writes go as they come
	points *pointsBudget // nil: no budget

	mu sync.Mutex
	// pauses holds, by rate-limit category, when GitHub will answer again and what it said;
	// allCategories is the secondary limit, which covers every request of the credential.
	pauses map[string]pause
}

// allCategories keys a pause that holds every request.
const allCategories = "*"

type pause struct {
	until time.Time
	err   RateLimitError // what to report to a request that cannot wait that long
}

// NewLimiter caps requests in flight at maxConcurrency (0: no cap), starts writes writeDelay
// apart (0: as they come) and keeps the points spent in any minute within pointsPerMinute (0: no
// budget).
func NewLimiter(maxConcurrency int, writeDelay time.Duration, pointsPerMinute int) *Limiter {
	l := &Limiter{pauses: map[string]pause{}}
	if writeDelay > 0 {
		// One write a writeDelay, and no burst: after a quiet spell the first write goes at
		// once, and each one after it starts a writeDelay after the one before.
		l.writes = rate.NewLimiter(rate.Every(writeDelay), 1)
	}
	if maxConcurrency > 0 {
		l.slots = make(chan struct{}, maxConcurrency)
	}
	if pointsPerMinute > 0 {
		l.points = &pointsBudget{perMinute: pointsPerMinute}
	}
	return l
}

// pauseFor holds every request of category (or all, for allCategories) until until, unless a
// longer pause is already in force.
func (l *Limiter) pauseFor(category string, until time.Time, why RateLimitError) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if p, ok := l.pauses[category]; !ok || until.After(p.until) {
		why.Until = until
		l.pauses[category] = pause{until: until, err: why}
	}
}

// waitForPause waits out any pause covering category. When the pause outlasts ctx's deadline
// it fails at once with a *RateLimitError that gives the time GitHub will answer again.
func (l *Limiter) waitForPause(ctx context.Context, clk clock.Clock, category string, log LogFunc) error {
	for {
		l.mu.Lock()
		p := l.pauses[allCategories]
		if q := l.pauses[category]; q.until.After(p.until) {
			p = q
		}
		l.mu.Unlock()
		d := p.until.Sub(clk.Now())
		if d <= 0 {
			return nil
		}
		if err := beforeDeadline(ctx, p.until, p.err); err != nil {
			return err
		}
		log(ctx, "waiting for GitHub's rate limit to lift before sending", map[string]any{
			"until": p.until.UTC().Format(time.RFC3339), "wait": d.Round(time.Millisecond).String(), "secondary": p.err.Secondary,
		})
		if err := clk.SleepUntil(ctx, p.until); err != nil {
			return err
		}
	}
}

// paceWrite waits until writeDelay has passed since the previous mutating request started.
// Each caller reserves its own start time, so concurrent writes queue up rather than bunch.
// The reservation is made at the client's clock's time (ReserveN, not rate's Wait, which reads
// the real clock) and is kept when ctx ends first: the write after it still waits its turn.
func (l *Limiter) paceWrite(ctx context.Context, clk clock.Clock) error {
	if l.writes == nil {
		return nil
	}
	now := clk.Now()
	return clk.SleepUntil(ctx, now.Add(l.writes.ReserveN(now, 1).DelayFrom(now)))
}

// spendPoints waits until the request's points fit in the budget's minute.
func (l *Limiter) spendPoints(ctx context.Context, clk clock.Clock, method string) error {
	if l.points == nil {
		return nil
	}
	return clk.SleepUntil(ctx, l.points.reserve(clk.Now(), pointsFor(method)))
}

// acquire takes a slot for one request in flight; release gives it back.
func (l *Limiter) acquire(ctx context.Context) (release func(), err error) {
	if l.slots == nil {
		return func() {}, nil
	}
	select {
	case l.slots <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-l.slots }) }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// beforeDeadline returns why (with the deadline) when until is past ctx's deadline: waiting
// would only end in a timeout, later and less clearly.
func beforeDeadline(ctx context.Context, until time.Time, why RateLimitError) error {
	if deadline, ok := ctx.Deadline(); ok && until.After(deadline) {
		why.Until, why.Deadline = until, deadline
		return &why
	}
	return nil
}
