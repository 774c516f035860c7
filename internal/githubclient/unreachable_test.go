package githubclient

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
	"github.com/codescanning/terraform-provider-codescanning/internal/transport"
)

// countingDialer counts connections attempted, and fails each with fail when it is set.
type countingDialer struct {
	dials atomic.Int32
	fail  error
}

func (d *countingDialer) transport() *http.Transport {
	return &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		d.dials.Add(1)
		if d.fail != nil {
			return nil, d.fail
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
}

// An API host that cannot be reached fails the request within a few tries, with its cause told
// apart (Unreachable), not after the whole back-off of a struggling GitHub (two minutes by default).
func TestUnreachableAPIFailsFastWithItsCause(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/api/v3/"
	_ = ln.Close()
	_, plainHTTP := newFaultyEmulator(t, emulator.Config{})

	cases := []struct {
		name, base string
		fail       error
		tries      int32
		cause      string
		kind       UnreachableCause
	}{
		{"connection refused", closed, nil, 1 + transport.MaxUnreachableRetries, "connection refused", UnreachableListen},
		{"no such host", "https://ghe.invalid/api/v3/", &net.DNSError{Err: "no such host", Name: "ghe.invalid", IsNotFound: true}, 1, "no such host", UnreachableName},
		{"TLS to a plain HTTP server", strings.Replace(plainHTTP, "http://", "https://", 1), nil, 1, "https", UnreachableTLS},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dialer := &countingDialer{fail: tc.fail}
			c, _ := transportClient(t, tc.base, func(cfg *Config) { cfg.Transport = dialer.transport() })
			_, err := c.GetDefaultSetup(context.Background(), service)
			var apiErr *APIError
			if !errors.As(err, &apiErr) || !strings.Contains(strings.ToLower(err.Error()), tc.cause) {
				t.Fatalf("error = %v; want it to say %q", err, tc.cause)
			}
			if n := dialer.dials.Load(); n != tc.tries {
				t.Fatalf("%d connections tried; want %d", n, tc.tries)
			}
			if got := Unreachable(apiErr.Err); got != tc.kind {
				t.Fatalf("cause %q; want %q", got, tc.kind)
			}
		})
	}
}

// Retries of what may pass are logged at WARN, with the attempt's number, so a slow apply says why.
func TestRetriesAreWarnedWithTheAttemptNumber(t *testing.T) {
	t.Parallel()
	_, base := newFaultyEmulator(t, emulator.Config{Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultReset, netsim.FaultUnavailable}}})
	warnings := &logRecorder{}
	c, _ := transportClient(t, base, func(cfg *Config) { cfg.Warn = warnings.log })
	if _, err := c.GetDefaultSetup(context.Background(), service); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"server error; retrying", "request failed; retrying", "attempt=1", "attempt=2", "max_attempts=10"} {
		if !strings.Contains(warnings.all(), want) {
			t.Errorf("warnings lack %q:\n%s", want, warnings.all())
		}
	}
}
