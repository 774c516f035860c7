package githubclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// Each try of a request runs under RetryPolicy.AttemptTimeout, from sending it to the last byte
// of its answer, which go-github reads after the transport has returned: so the try's context
// ends when the answer's body is closed, not when RoundTrip returns.

// attemptBody is the body of one try's answer. Closing it gives the request's slot back, so the
// cap counts requests whose answers are still streaming, and ends the try's timeout; a read cut
// short by that timeout says so. It also holds the answer to limit bytes (answer_bounds.go) and
// keeps its first bytes, for an error about an answer that does not decode.
type attemptBody struct {
	io.ReadCloser
	done            func()
	ctx, attemptCtx context.Context
	timeout         time.Duration
	limit           int64
	read            int64
	head            []byte
}

func (b *attemptBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
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
	return ctx.Err() == nil && errors.Is(attemptCtx.Err(), context.DeadlineExceeded)
}

// NoAnswerError is a try that got no complete answer within RetryPolicy.AttemptTimeout.
type NoAnswerError struct {
	Timeout time.Duration
	Partial bool // the answer started but its body stopped coming
}

func (e *NoAnswerError) Error() string {
	if e.Partial {
		return fmt.Sprintf("the answer stopped coming before it was complete, and the request timed out after %s", e.Timeout)
	}
	return fmt.Sprintf("no answer within %s: the server, or a proxy on the way, did not answer", e.Timeout)
}
