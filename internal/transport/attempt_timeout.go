package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/clock"
)

// Each try of a request runs under RetryPolicy.AttemptTimeout: from sending it to the answer's
// headers, then from each read of the answer's body to the next, which go-github makes after the
// transport has returned. So the try's context ends when the body is closed, not when RoundTrip
// returns, and a SARIF log of hundreds of megabytes that keeps coming is never cut, while an
// answer that stops halfway is.

// errAttemptTimedOut is the cause a try's context ends with when its clock runs out.
var errAttemptTimedOut = errors.New("attempt timed out")

// attemptClock cancels a try once it has been silent for its timeout.
type attemptClock struct {
	timer   clock.Timer
	timeout time.Duration
	cancel  context.CancelCauseFunc
}

// startAttempt starts the clock of a try under ctx, on clk's timers (Retry.Clock), so that a
// test makes a server silent for a timeout by moving a fake clock, not by waiting for it.
func startAttempt(ctx context.Context, clk clock.Clock, timeout time.Duration) (context.Context, *attemptClock) {
	attemptCtx, cancel := context.WithCancelCause(ctx)
	c := &attemptClock{timeout: timeout, cancel: cancel}
	c.timer = clk.AfterFunc(timeout, func() { cancel(errAttemptTimedOut) })
	return attemptCtx, c
}

// progress restarts the clock: the answer is still coming.
func (c *attemptClock) progress() { c.timer.Reset(c.timeout) }

// stop ends the try.
func (c *attemptClock) stop() {
	c.timer.Stop()
	c.cancel(context.Canceled)
}

// attemptBody is the body of one try's answer. Reading it to its end, or closing it, gives the
// request's slot back, so the cap counts requests whose answers are still streaming, and ends
// the try's timeout; a read cut short by that timeout says so. The end counts as well as Close
// because go-github never closes the body of an error answer: CheckResponse reads it whole and
// puts a copy in its place, so a slot given back only on Close was lost with every 404 or 409,
// and as many of them as the cap held every later request until its deadline. It also holds the answer to limit bytes (answer_bounds.go) and
// keeps its first bytes, for an error about an answer that does not decode.
type attemptBody struct {
	io.ReadCloser
	done            func()
	ctx, attemptCtx context.Context
	clock           *attemptClock
	timeout         time.Duration
	limit           int64
	read            int64
	head            []byte
	resent          bool // see Delivery
}

// Resent is the answer's Delivery.
func (b *attemptBody) Resent() bool { return b.resent }

func (b *attemptBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 && err == nil {
		b.clock.progress()
	}
	if err == io.EOF {
		b.done()
	}
	if err != nil && err != io.EOF && timedOut(b.ctx, b.attemptCtx) {
		err = &NoAnswerError{Timeout: b.timeout, Partial: true}
	}
	if room := answerHeadBytes - len(b.head); room > 0 {
		b.head = append(b.head, p[:min(n, room)]...)
	}
	b.read += int64(n)
	if b.limit > 0 && b.read > b.limit {
		return n, &AnswerTooLargeError{Limit: b.limit}
	}
	return n, err
}

func (b *attemptBody) Close() error {
	err := b.ReadCloser.Close()
	b.done()
	return err
}

// timedOut reports whether a try ended because its own timeout ran out, not the operation's.
func timedOut(ctx, attemptCtx context.Context) bool {
	return ctx.Err() == nil && errors.Is(context.Cause(attemptCtx), errAttemptTimedOut)
}

// NoAnswerError is a try that got no answer, or whose answer stopped coming, for
// RetryPolicy.AttemptTimeout.
type NoAnswerError struct {
	Timeout time.Duration
	Partial bool // the answer started but its body stopped coming
}

func (e *NoAnswerError) Error() string {
	if e.Partial {
		return fmt.Sprintf("the answer stopped coming before it was complete, and nothing more came for %s", e.Timeout)
	}
	return fmt.Sprintf("no answer within %s: the server, or a proxy on the way, did not answer", e.Timeout)
}
