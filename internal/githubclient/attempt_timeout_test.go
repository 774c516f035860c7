package githubclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/clock"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/transport"
)

// These tests time a try's silence on a fake clock (DESIGN.md, Time in tests): the server, or
// the link, moves it on while the client waits, so an hour's timeout passes at once and the
// result does not depend on how busy the machine is. The operations have no deadline, which
// the clock's moves would pass (a retry's sleep checks it). A client that did not give up on
// silence would hang, so the silent server answers after realPatience of real time instead,
// and the test fails on that answer; a client that times tries on real timers fails the same way.
const (
	attemptTimeout = time.Hour
	realPatience   = 5 * time.Second
)

// attemptClient is a client whose tries time out after attemptTimeout on fake; next, when not
// nil, stands for the network under the transport.
func attemptClient(t *testing.T, base string, fake *clock.Fake, next http.RoundTripper) *Client {
	t.Helper()
	c, _ := transportClient(t, base, func(cfg *Config) {
		cfg.Clock, cfg.Retry.AttemptTimeout = fake, attemptTimeout
		if next != nil {
			cfg.Transport = next
		}
	})
	return c
}

// silence holds r while the clock moves past a try's timeout, and reports whether the client
// gave up on it; false means realPatience passed first, and the server should answer.
func silence(r *http.Request, fake *clock.Fake) bool {
	fake.Advance(attemptTimeout)
	select {
	case <-r.Context().Done():
		return true
	case <-time.After(realPatience):
		return false
	}
}

// silentFor answers GETs of default setup with silence, only the first n of them when n > 0,
// and counts every GET it sees.
func silentFor(emu *emulator.Emulator, fake *clock.Fake, n int32) *atomic.Int32 {
	var seen atomic.Int32
	emu.Intercept(func(_ http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/default-setup") {
			return false
		}
		if i := seen.Add(1); n > 0 && i > n {
			return false
		}
		return silence(r, fake)
	})
	return &seen
}

func TestSilentServerFailsTheRequestAfterTwoTimedOutTries(t *testing.T) {
	t.Parallel()
	fake := clock.NewFake()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	seen := silentFor(emu, fake, 0)
	_, err := attemptClient(t, base, fake, nil).GetDefaultSetup(context.Background(), service)
	var noAnswer *NoAnswerError
	if !errors.As(err, &noAnswer) || noAnswer.Timeout != attemptTimeout || noAnswer.Partial {
		t.Fatalf("GetDefaultSetup error = %v; want a *NoAnswerError after %v", err, attemptTimeout)
	}
	if n := int(seen.Load()); n != transport.MaxTimedOutAttempts {
		t.Fatalf("%d GETs; want %d (a silent server is tried once more, no further)", n, transport.MaxTimedOutAttempts)
	}
}

func TestOneSilentAnswerIsRetried(t *testing.T) {
	t.Parallel()
	fake := clock.NewFake()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	seen := silentFor(emu, fake, 1)
	ds, err := attemptClient(t, base, fake, nil).GetDefaultSetup(context.Background(), service)
	if err != nil || ds.State != StateNotConfigured {
		t.Fatalf("GetDefaultSetup = %+v, %v; want it read on the second try", ds, err)
	}
	if n := seen.Load(); n != 2 {
		t.Fatalf("%d GETs; want 2", n)
	}
}

// An answer whose headers come but whose body stops is cut off by the same timeout: the body
// is read after the transport returns, under the try's deadline. The server falls silent once
// the headers have reached the client, so the cut falls in the body.
func TestAnswerWhoseBodyStopsComingTimesOut(t *testing.T) {
	t.Parallel()
	fake := clock.NewFake()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	headersCame := make(chan struct{}, 1)
	link := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		headersCame <- struct{}{}
		return resp, err
	})
	emu.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"state":`))
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		<-headersCame
		if !silence(r, fake) {
			_, _ = w.Write([]byte(`"not-configured","languages":[],"query_suite":"default"}`))
		}
		return true
	})
	_, err := attemptClient(t, base, fake, link).GetDefaultSetup(context.Background(), service)
	var noAnswer *NoAnswerError
	if !errors.As(err, &noAnswer) || !noAnswer.Partial {
		t.Fatalf("GetDefaultSetup error = %v; want a *NoAnswerError for an answer cut short", err)
	}
}

// The timeout is for silence longer than it: an answer that comes just within it is read.
func TestAnswersWithinTheTimeoutAreUntouched(t *testing.T) {
	t.Parallel()
	fake := clock.NewFake()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	emu.Intercept(func(_ http.ResponseWriter, _ *http.Request) bool {
		fake.Advance(attemptTimeout - time.Second)
		return false
	})
	c := attemptClient(t, base, fake, nil)
	for range 3 {
		if _, err := c.GetDefaultSetup(context.Background(), service); err != nil {
			t.Fatal(err)
		}
	}
}

// slowLink delivers an answer's body a few bytes at a time, each after half the try's timeout,
// and nothing more once the try is cut (the bytes the client's buffer already holds did not
// really arrive yet).
type slowLink struct {
	io.ReadCloser
	try  context.Context
	fake *clock.Fake
}

func (l slowLink) Read(p []byte) (int, error) {
	l.fake.Advance(attemptTimeout / 2)
	if err := l.try.Err(); err != nil {
		return 0, err
	}
	return l.ReadCloser.Read(p[:min(len(p), 8)])
}

// An answer that keeps coming is read whole, however long it takes in all: the timeout is for
// silence, so a large SARIF log on a slow link is not cut off. This one takes many times the
// timeout, never silent for more than half of it.
func TestAnAnswerThatKeepsComingIsNotCut(t *testing.T) {
	t.Parallel()
	fake := clock.NewFake()
	_, base := newFaultyEmulator(t, emulator.Config{})
	link := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err == nil {
			resp.Body = slowLink{ReadCloser: resp.Body, try: r.Context(), fake: fake}
		}
		return resp, err
	})
	start := fake.Now()
	if _, err := attemptClient(t, base, fake, link).GetDefaultSetup(context.Background(), service); err != nil {
		t.Fatalf("a steady answer longer than the timeout was cut: %v", err)
	}
	if took := fake.Now().Sub(start); took < 4*attemptTimeout {
		t.Fatalf("the answer took %v of the clock; the test means one far longer than the timeout %v", took, attemptTimeout)
	}
}
