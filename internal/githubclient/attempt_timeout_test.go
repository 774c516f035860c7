package githubclient

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
	"github.com/codescanning/terraform-provider-codescanning/internal/transport"
)

// attemptTimeout is the per-request timeout of these tests: milliseconds, not GitHub's seconds.
const attemptTimeout = 30 * time.Millisecond

func withAttemptTimeout(cfg *Config) { cfg.Retry.AttemptTimeout = attemptTimeout }

// operationContext stands in for a resource's timeouts: far longer than the attempts, so a
// client without a per-request timeout would wait all of it.
func operationContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// The tries are counted as the client sends them, not as the emulator receives them: on a busy
// machine a try can run out of its 30ms before the emulator's handler has seen it (at a load
// average of 23, 1 GET of 2 arrived, 2 runs in 60).
func TestSilentServerFailsTheRequestAfterTwoTimedOutTries(t *testing.T) {
	t.Parallel()
	_, base := newFaultyEmulator(t, emulator.Config{Faults: netsim.Faults{Probability: 1, Kinds: []netsim.Fault{netsim.FaultSilent}}})
	var sent atomic.Int32
	c, _ := transportClient(t, base, func(cfg *Config) {
		withAttemptTimeout(cfg)
		cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.Method == http.MethodGet {
				sent.Add(1)
			}
			return http.DefaultTransport.RoundTrip(r)
		})
	})
	ctx := operationContext(t)
	_, err := c.GetDefaultSetup(ctx, service)
	var noAnswer *NoAnswerError
	if !errors.As(err, &noAnswer) || noAnswer.Timeout != attemptTimeout {
		t.Fatalf("GetDefaultSetup error = %v; want a *NoAnswerError after %v", err, attemptTimeout)
	}
	if ctx.Err() != nil {
		t.Fatal("the request used up the operation's whole time")
	}
	if n := int(sent.Load()); n != transport.MaxTimedOutAttempts {
		t.Fatalf("%d GETs sent; want %d (a silent server is tried once more, no further)", n, transport.MaxTimedOutAttempts)
	}
}

func TestOneSilentAnswerIsRetried(t *testing.T) {
	t.Parallel()
	emu, base := newFaultyEmulator(t, emulator.Config{Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultSilent}}})
	// Long enough that the second try's answer comes in time on a busy machine.
	c, _ := transportClient(t, base, func(cfg *Config) { cfg.Retry.AttemptTimeout = 250 * time.Millisecond })
	ds, err := c.GetDefaultSetup(operationContext(t), service)
	if err != nil || ds.State != StateNotConfigured {
		t.Fatalf("GetDefaultSetup = %+v, %v; want it read on the second try", ds, err)
	}
	if n := countRequests(emu, http.MethodGet); n != 2 {
		t.Fatalf("%d GETs; want 2", n)
	}
}

// An answer whose headers come but whose body stops is cut off by the same timeout: the body
// is read after the transport returns, under the try's deadline.
func TestAnswerWhoseBodyStopsComingTimesOut(t *testing.T) {
	t.Parallel()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	emu.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"state":`))
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		<-r.Context().Done()
		return true
	})
	c, _ := transportClient(t, base, withAttemptTimeout)
	ctx := operationContext(t)
	_, err := c.GetDefaultSetup(ctx, service)
	var noAnswer *NoAnswerError
	if !errors.As(err, &noAnswer) || !noAnswer.Partial {
		t.Fatalf("GetDefaultSetup error = %v; want a *NoAnswerError for an answer cut short", err)
	}
	if ctx.Err() != nil {
		t.Fatal("the request used up the operation's whole time")
	}
}

// The timeout covers one try and its body, which go-github reads after the transport returns:
// an answer within it is read whole.
func TestAnswersWithinTheTimeoutAreUntouched(t *testing.T) {
	t.Parallel()
	_, base := newFaultyEmulator(t, emulator.Config{Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultSlow}, SlowAnswer: 20 * time.Millisecond}})
	c, _ := transportClient(t, base, func(cfg *Config) { cfg.Retry.AttemptTimeout = 2 * time.Second })
	for range 3 {
		if _, err := c.GetDefaultSetup(operationContext(t), service); err != nil {
			t.Fatal(err)
		}
	}
}

// An answer that keeps coming is read whole, however long it takes in all: the timeout is for
// silence, so a large SARIF log on a slow link is not cut off. The answer lasts twice the
// timeout in all, by the wall clock rather than by a count of writes, and is never silent for
// more than a few milliseconds, so a busy machine must stall the process for 150ms to cut it.
// The attempt timeout is a real timer (DESIGN.md, Time in tests), so this narrows the race
// rather than ending it: with six busy loops on two cores, 25ms pauses under a 100ms timeout
// were cut in 36 runs of 60, these in 6.
func TestAnAnswerThatKeepsComingIsNotCut(t *testing.T) {
	t.Parallel()
	const timeout = 150 * time.Millisecond
	emu, base := newFaultyEmulator(t, emulator.Config{})
	emu.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Content-Type", "application/json")
		flusher, _ := w.(http.Flusher)
		_, _ = w.Write([]byte(`{"state":"not-configured","languages":[],"query_suite":"default"`))
		for start := time.Now(); time.Since(start) < 2*timeout; {
			_, _ = w.Write([]byte(` `))
			if flusher != nil {
				flusher.Flush()
			}
			time.Sleep(2 * time.Millisecond)
		}
		_, _ = w.Write([]byte(`}`))
		return true
	})
	c, _ := transportClient(t, base, func(cfg *Config) { cfg.Retry.AttemptTimeout = timeout })
	if _, err := c.GetDefaultSetup(operationContext(t), service); err != nil {
		t.Fatalf("a steady answer longer than the timeout was cut: %v", err)
	}
}
